"""Who may use each view: every view declares it, and undeclared views are refused.

A sign-in lasts ``LEVY_SESSION_IDLE_MINUTES`` (30) without a request and
``LEVY_SESSION_MAX_HOURS`` (12) after signing in, whatever else: the session cookie
holds both times (signed, so a copied cookie ends at the same moment), and the first
request past either limit signs out and goes to the sign-in page saying why. There
is no "remember me": a remember cookie (none is issued) signs nobody in.

``@roles("finance", "admin")`` or ``@public`` on a view function. A single
``before_request`` hook enforces it: anonymous users go to the login page, a
signed-in user with the wrong role gets 403. Ownership (a record of another
organisation or directorate) is checked where the record is loaded, and gives 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user, user_loaded_from_cookie, user_logged_out

from levy import clock
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
    g.pop("_levy_remembered", None)


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


SIGNED_IN = "levy_signed_in"  # when this browser signed in (seconds since the epoch, UTC)
LAST_SEEN = "levy_last_seen"  # its last request
# requests that neither renew nor end a sign-in: files a page loads, the health check
UNTIMED = frozenset({"static", "govuk_assets", "govuk_js", "levy_js", "main.healthz"})


def session_end_reason(
    signed_in: float, last_seen: float, now: float, *, idle_minutes: float, max_hours: float
) -> str | None:
    """Why a sign-in has ended at ``now`` (times in seconds), or None while it lasts."""
    if now - signed_in >= max_hours * 3600:
        return (
            f"You have been signed out because you signed in more than {max_hours:g} hours "
            "ago. Sign in again to carry on."
        )
    if now - last_seen >= idle_minutes * 60:
        return (
            f"You have been signed out after {idle_minutes:g} minutes without activity. "
            "Sign in again to carry on."
        )
    return None


def start_session() -> None:
    """A sign-in starts now (called once the password is checked)."""
    session[SIGNED_IN] = session[LAST_SEEN] = clock.now().timestamp()


def _forget_session_times(*_args: Any, **_kwargs: Any) -> None:
    session.pop(SIGNED_IN, None)
    session.pop(LAST_SEEN, None)


def _from_remember_cookie(*_args: Any, **_kwargs: Any) -> None:
    g._levy_remembered = True


def _expire_session() -> Any:
    """End a sign-in past either limit, else note this request as its last activity."""
    if request.endpoint in UNTIMED:
        return None
    if not current_user.is_authenticated:  # loads the user, from a remember cookie too
        if SIGNED_IN in session or LAST_SEEN in session:
            _forget_session_times()
        return None
    if g.pop("_levy_remembered", False):
        logout_user()  # no "remember me": only a sign-in with the password starts a session
        return None
    config = current_app.config
    now = clock.now().timestamp()
    # a session from before these times were kept starts its clock now
    reason = session_end_reason(
        float(session.get(SIGNED_IN, now)),
        float(session.get(LAST_SEEN, now)),
        now,
        idle_minutes=float(config["LEVY_SESSION_IDLE_MINUTES"]),
        max_hours=float(config["LEVY_SESSION_MAX_HOURS"]),
    )
    if reason is None:
        session.setdefault(SIGNED_IN, now)
        session[LAST_SEEN] = now
        return None
    logout_user()
    flash(reason, "info")
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and view_access(view)[0]:
        return None  # a public page carries on, signed out
    target = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("account.login", next=target))


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
    app.before_request(_expire_session)
    app.before_request(_enforce)
    app.context_processor(lambda: {"user_can": user_can})
    user_loaded_from_cookie.connect(_from_remember_cookie, app)
    user_logged_out.connect(_forget_session_times, app)
