"""Users and roles, sign-in and its throttle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from levy.domain.errors import DomainError
from levy.extensions import db
from levy.models import Directorate, LoginAttempt, Organisation, User
from levy.models.user import ROLES
from levy.services.audit import Actor, record, record_change, snapshot

USER_FIELDS = ("email", "name", "role", "organisation_id", "active", "directorate_names")


class SignInRefused(DomainError):
    pass


def _snapshot(user: User) -> dict[str, object]:
    return snapshot(user, USER_FIELDS)


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(f"'{email}' is not a valid email address") from exc


def find_user(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(db.func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def _check_scope(
    role: str, directorates: Sequence[Directorate], organisation: Organisation | None
) -> None:
    if role not in ROLES:
        raise DomainError(f"'{role}' is not a role: choose one of {', '.join(ROLES)}")
    if role == "directorate_manager" and not directorates:
        raise DomainError("A directorate manager needs at least one directorate")
    if role != "directorate_manager" and directorates:
        raise DomainError("Only directorate managers are scoped to directorates")
    if role == "employer" and organisation is None:
        raise DomainError("A local business user needs its organisation")


def create_user(
    email: str,
    role: str,
    password: str,
    actor: Actor,
    *,
    name: str = "",
    directorates: Sequence[Directorate] = (),
    organisation: Organisation | None = None,
    email_confirmed: bool = True,
) -> User:
    email = normalise_email(email)
    if find_user(email):
        raise DomainError(f"There is already a user with the email address {email}")
    if len(password) < 12:
        raise DomainError("The password must be 12 characters or more")
    _check_scope(role, directorates, organisation)
    user = User(
        email=email,
        name=name,
        role=role,
        organisation=organisation,
        directorates=list(directorates),
        email_confirmed=email_confirmed,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", "User", user.id, None, _snapshot(user))
    return user


def update_user(
    user: User,
    actor: Actor,
    *,
    email: str,
    name: str,
    role: str,
    directorates: Sequence[Directorate],
    organisation: Organisation | None,
    active: bool = True,
    password: str | None = None,
) -> User:
    email = normalise_email(email)
    other = find_user(email)
    if other is not None and other.id != user.id:
        raise DomainError(f"There is already a user with the email address {email}")
    _check_scope(role, directorates, organisation)
    before = _snapshot(user)
    user.email, user.name, user.role, user.active = email, name, role, active
    user.organisation = organisation
    user.directorates = list(directorates)
    db.session.flush()
    record_change(actor, "user.updated", user, USER_FIELDS, before)
    if password:
        if len(password) < 12:
            raise DomainError("The password must be 12 characters or more")
        user.set_password(password)
        record(actor, "user.password_set", "User", user.id, None, {"email": user.email})
    return user


def _recent_failures(column: object, value: str, since: datetime) -> int:
    return db.session.execute(
        db.select(db.func.count(LoginAttempt.id)).where(column == value, LoginAttempt.at >= since)
    ).scalar_one()


def authenticate(email: str, password: str, address: str, now: datetime) -> User:
    """The user, or ``SignInRefused`` with a message; failures are throttled.

    Too many failures for one account, or from one address, within the window
    lock further attempts until the window has passed, whatever the password.
    """
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    since = now - window
    email = email.strip().lower()
    limit = config["LOGIN_MAX_FAILURES"]
    if (
        _recent_failures(LoginAttempt.email, email, since) >= limit
        or _recent_failures(LoginAttempt.address, address, since) >= limit * 4
    ):
        raise SignInRefused(
            "Too many failed sign-in attempts. Wait "
            f"{config['LOGIN_WINDOW_MINUTES']} minutes and try again, or ask an administrator "
            "to reset your password."
        )
    user = find_user(email)
    if user is None or not user.check_password(password):
        db.session.add(LoginAttempt(email=email, address=address, at=now))
        db.session.flush()
        raise SignInRefused("Enter a correct email address and password")
    if not user.email_confirmed:
        raise SignInRefused("Confirm your email address first: use the link we sent you")
    if not user.active:
        raise SignInRefused("This account has been switched off: ask an administrator")
    return user
