"""Who may use each view: every view declares it, and undeclared views are refused.

``@roles("finance", "admin")`` or ``@public`` on a view function. A single
``before_request`` hook enforces it: anonymous users go to the login page, a
signed-in user with the wrong role gets 403. Ownership (a record of another
organisation or directorate) is checked where the record is loaded, and gives 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, request
from flask_login import current_user

from levy.extensions import db, login_manager
from levy.models import User
from levy.models.user import ROLES

F = TypeVar("F", bound=Callable[..., Any])
ANY_ROLE = tuple(ROLES)
STAFF = ("admin", "ld_team", "finance", "directorate_manager", "care_leavers")

# Who may do what: one named tuple per permission, used by ``@roles`` and ``@home_card``.
# Templates ask ``user_can(endpoint)`` (a context processor) rather than naming roles.
LEDGER_READERS = ("finance", "admin", "ld_team")
LEDGER_IMPORTERS = ("finance",)
WORKFORCE_READERS = ("admin", "finance", "ld_team")
USER_ADMINS = ("admin",)
INCENTIVE_READERS = ("ld_team", "finance", "admin")
INCENTIVE_WRITERS = ("ld_team", "admin")
CARE_LEAVER_TEAM = ("care_leavers", "ld_team")
CARE_LEAVER_REPORT_READERS = ("care_leavers", "ld_team", "finance", "admin")


def public(view: F) -> F:
    view._levy_public = True  # type: ignore[attr-defined]  # a marker read by the access check
    return view


def roles(*allowed: str) -> Callable[[F], F]:
    unknown = set(allowed) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")

    def decorate(view: F) -> F:
        view._levy_roles = tuple(allowed)  # type: ignore[attr-defined]  # a marker read by the access check
        return view

    return decorate


def view_access(view: Callable[..., Any]) -> tuple[bool, tuple[str, ...] | None]:
    """(is public, allowed roles) as declared on a view; (False, None) if undeclared."""
    return bool(getattr(view, "_levy_public", False)), getattr(view, "_levy_roles", None)


def _forget_user() -> None:
    """Each request looks its user up afresh from its own cookie (an app context kept
    across requests, as in the tests, must not carry the last request's user over)."""
    g.pop("_login_user", None)


def _enforce() -> Any:
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is None:
        return None
    is_public, allowed = view_access(view)
    if is_public:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if allowed is None:
        current_app.logger.error("view %s declares no roles: refused", request.endpoint)
        abort(403)
    if current_user.role not in allowed:
        abort(403)
    return None


def user_can(endpoint: str) -> bool:
    """Whether the signed-in user may open ``endpoint`` (used to build navigation)."""
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    is_public, allowed = view_access(view)
    if is_public:
        return True
    return bool(current_user.is_authenticated and allowed and current_user.role in allowed)


def require_directorate(directorate_id: int) -> None:
    """404 unless the user may see this directorate (managers see only their own)."""
    if current_user.role == "directorate_manager" and directorate_id not in {
        d.id for d in current_user.directorates
    }:
        abort(404)


def require_organisation(organisation_id: int | None) -> None:
    """404 unless the user may see this organisation's records (employers see only their own)."""
    if current_user.role == "employer" and organisation_id != current_user.organisation_id:
        abort(404)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user whose id *and* session version match the cookie's ``id:version``.

    Signing out, a new password or being switched off raises the version, so a
    cookie copied before then no longer loads anyone.
    """
    ident, _, version = str(user_id).partition(":")
    try:
        key, expected = int(ident), int(version)
    except ValueError:
        return None
    user = db.session.get(User, key)
    if user is None or user.session_version != expected or not user.is_active:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.login_view = "account.login"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    app.before_request(_forget_user)
    app.before_request(_enforce)
    app.context_processor(lambda: {"user_can": user_can})
