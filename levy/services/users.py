"""Users and roles, sign-in and its throttle."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.extensions import db
from levy.models import Directorate, LoginAttempt, Organisation, User
from levy.models.user import ROLES, hash_password, password_hash_method
from levy.services.audit import record, record_change, snapshot

USER_FIELDS = ("email", "name", "role", "organisation_id", "active", "directorate_names")
MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS = 10_000  # the most common passwords of zxcvbn's list (MIT), refused
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4: 3 is "safely unguessable" (about 10^8 guesses or more)
ZXCVBN_MAX_LENGTH = 72  # zxcvbn scores this many characters at most


class SignInRefused(DomainError):
    pass


def _snapshot(user: User) -> dict[str, object]:
    return snapshot(user, USER_FIELDS)


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(f"'{email}' is not a valid email address") from exc


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS])


def personal_words(email: str = "", name: str = "") -> list[str]:
    """What a guesser knows about the person: their address, its parts and their name."""
    words = [email.strip().lower(), name.strip().lower()]
    local, _, domain = email.strip().lower().partition("@")
    words += re.split(r"[^a-z0-9]+", f"{local} {domain}") + re.split(r"\W+", name.lower())
    return [w for w in dict.fromkeys(words) if len(w) >= 3]


def password_strength(password: str, email: str = "", name: str = "") -> tuple[int, str]:
    """zxcvbn's score (0-4) for ``password`` and its feedback in one sentence or two.

    The person's email address and name count as known words, so ``SamPatel2024``
    scores low for Sam Patel.
    """
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=personal_words(email, name))
    feedback = result["feedback"]
    advice = " ".join(
        part.strip() for part in (feedback.get("warning") or "", *feedback["suggestions"]) if part
    )
    return int(result["score"]), advice


def check_password(password: str, email: str = "", name: str = "") -> None:
    """NCSC password guidance: length over complexity, and no common or guessable ones.

    12 characters or more; not the email address or the part before the @; not one of
    the 10,000 most common passwords, nor one of them with digits or symbols added
    at the end (``password1234``); and strong enough by zxcvbn's estimate (score 3
    or more, with the person's email and name as words a guesser knows), which
    refuses repeats (``aaaaaaaaaaaa``, twelve spaces), runs of digits, keyboard rows
    and well-known phrases, saying why. Digits alone are refused at any length.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"The password must be {MIN_PASSWORD_LENGTH} characters or more", field="password"
        )
    lowered = password.strip().lower()
    address = email.strip().lower()
    if address and lowered in {address, address.split("@", 1)[0]}:
        raise DomainError(
            "The password must not be your email address: choose three random words",
            field="password",
        )
    stem = lowered.rstrip("0123456789!?.,;:-_*#@$%&+=~ ")
    if lowered in common_passwords() or (stem and stem in common_passwords()):
        raise DomainError(
            "This password is one of the most commonly used, so easy to guess: "
            "choose three random words",
            field="password",
        )
    if re.fullmatch(r"\s*\d[\d\s]*", password):
        raise DomainError(
            "A password of digits alone is easy to guess (and often a date or a phone "
            "number): choose three random words",
            field="password",
        )
    score, advice = password_strength(password, email, name)
    if score < MIN_PASSWORD_SCORE:
        raise DomainError(
            f"This password is too easy to guess: {advice or 'choose three random words.'}",
            field="password",
        )


def _dummy_hash() -> str:
    """A hash made the way real ones are (the app's method), so checking it costs the same."""
    return _dummy_hash_by(password_hash_method())


@cache
def _dummy_hash_by(method: str) -> str:
    return generate_password_hash("levy: no such account", method=method)


def spend_password_check(password: str) -> None:
    """Check ``password`` against a dummy hash, so an unknown email takes as long as a known one."""
    check_password_hash(_dummy_hash(), password)


def spend_password_hash(password: str) -> None:
    """Hash ``password`` and throw it away, so a refused registration takes as long."""
    hash_password(password)


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
    check_password(password, email, name)
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
    active: bool | None = None,
    password: str | None = None,
) -> User:
    email = normalise_email(email)
    other = find_user(email)
    if other is not None and other.id != user.id:
        raise DomainError(f"There is already a user with the email address {email}")
    _check_scope(role, directorates, organisation)
    if password:
        check_password(password, email, name)
    before = _snapshot(user)
    user.email, user.name, user.role = email, name, role
    if active is not None and active != user.active:
        user.active = active
        if not active:
            user.end_sessions()
    user.organisation = organisation
    user.directorates = list(directorates)
    db.session.flush()
    record_change(actor, "user.updated", user, USER_FIELDS, before)
    if password:
        set_password(user, password, actor)
    return user


def set_password(user: User, password: str, actor: Actor) -> User:
    """A new password: every session of the user ends (they sign in again)."""
    check_password(password, user.email, user.name)
    user.set_password(password)
    user.end_sessions()
    db.session.flush()
    record(actor, "user.password_set", "User", user.id, None, {"email": user.email})
    return user


def change_own_password(user: User, current: str, new: str) -> User:
    """The signed-in user changes their password; their other sessions end."""
    if not user.check_password(current):
        raise DomainError("Your current password is not correct", field="current_password")
    if current == new:
        raise DomainError("Choose a password different from the current one", field="password")
    return set_password(user, new, Actor.of(user))


def set_active(user: User, active: bool, actor: Actor) -> User:
    """Switch a user on or off (audited); a user switched off is signed out everywhere."""
    if actor.user_id == user.id and not active:
        raise DomainError("You cannot switch off your own account: ask another administrator")
    if user.active == active:
        return user
    before = _snapshot(user)
    user.active = active
    if not active:
        user.end_sessions()
    db.session.flush()
    record_change(
        actor, "user.activated" if active else "user.deactivated", user, USER_FIELDS, before
    )
    return user


def sign_out(user: User) -> None:
    """Signing out ends every session of the user, not only this browser's."""
    user.end_sessions()
    db.session.flush()


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def all_users() -> list[User]:
    return list(db.session.execute(db.select(User).order_by(User.role, User.email)).scalars())


def directorate_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        db.select(Directorate).join(Organisation).order_by(Organisation.name, Directorate.name)
    ).scalars()
    return [(d.id, d.label) for d in rows]


def organisation_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(db.select(Organisation).order_by(Organisation.name)).scalars()
    return [(o.id, o.name) for o in rows]


def scope_for(
    directorate_ids: Sequence[int], organisation_id: int | None
) -> tuple[list[Directorate], Organisation | None]:
    """The directorates and organisation an admin ticked on the user form."""
    directorates = (
        list(
            db.session.execute(
                db.select(Directorate).where(Directorate.id.in_(list(directorate_ids)))
            ).scalars()
        )
        if directorate_ids
        else []
    )
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    return directorates, org


def _recent_failures(since: datetime, *, address: str, email: str | None = None) -> int:
    query = db.select(db.func.count(LoginAttempt.id)).where(
        LoginAttempt.address == address, LoginAttempt.at >= since
    )
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    return db.session.execute(query).scalar_one()


def authenticate(email: str, password: str, address: str, now: datetime) -> User:
    """The user, or ``SignInRefused`` with a message; failures are throttled.

    Failures are counted by account *and* client address together: too many for one
    account from one address within the window lock that account from that address
    only, so nobody can lock another person out by guessing from elsewhere. Too many
    failures from one address over any accounts lock that address (guessing across
    many accounts). Either lock lasts until the window has passed, whatever the password.
    """
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    since = now - window
    email = email.strip().lower()
    limit = config["LOGIN_MAX_FAILURES"]
    if (
        _recent_failures(since, address=address, email=email) >= limit
        or _recent_failures(since, address=address) >= limit * 4
    ):
        raise SignInRefused(
            "Too many failed sign-in attempts from this device. Wait "
            f"{config['LOGIN_WINDOW_MINUTES']} minutes and try again, or ask an administrator "
            "to reset your password."
        )
    user = find_user(email)
    if user is None:
        spend_password_check(password)  # as long as checking a real account's password
    if user is None or not user.check_password(password):
        db.session.add(LoginAttempt(email=email, address=address, at=now))
        db.session.flush()
        raise SignInRefused("Enter a correct email address and password")
    if not user.email_confirmed:
        raise SignInRefused("Confirm your email address first: use the link we sent you")
    if not user.active:
        raise SignInRefused("This account has been switched off: ask an administrator")
    return user


def attempt_sign_in(
    email: str, password: str, address: str, now: datetime
) -> tuple[User | None, str | None]:
    """(user, None) when the sign-in succeeds, else (None, the message to show).

    Never raises for a refused sign-in, so the failed attempt is committed and
    counts towards the throttle.
    """
    try:
        return authenticate(email, password, address, now), None
    except SignInRefused as exc:
        return None, str(exc)
