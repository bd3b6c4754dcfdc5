"""A business registers itself (organisation, profile, unconfirmed employer user) and
confirms its email address."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError, Problems
from levy.extensions import db
from levy.models import Organisation, User
from levy.models.transfers import BusinessProfile
from levy.services.audit import record, snapshot
from levy.services.transfers.outbox import send_message
from levy.services.transfers.policy import local_policy, postcode_areas
from levy.services.users import check_password, create_user, find_user, spend_password_hash

CONFIRM_SALT = "levy-confirm-email"
CONFIRM_MAX_AGE = 7 * 24 * 3600


@dataclass
class Registration:
    contact_name: str
    email: str
    password: str
    legal_name: str
    company_number: str
    charity_number: str
    address: str
    postcode: str
    employees: int
    pays_levy: bool
    is_vcse: bool
    sector: str
    pays_rates_in_county: bool
    serves_county_residents: bool = True
    sends_transfers: bool = False


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def register_business(reg: Registration, actor: Actor | None = None) -> tuple[User, str]:
    """A business registers itself: organisation, profile and an unconfirmed
    employer user. An email that already has an account gets the same answer
    (that account is emailed instead, and the token is empty). The confirmation
    link goes to the outbox, never the log."""
    if not reg.legal_name.strip():
        raise DomainError("Enter the organisation's legal name")
    if not (reg.company_number.strip() or reg.charity_number.strip()):
        raise DomainError("Enter a Companies House number or a charity number")
    if reg.employees < 1:
        raise DomainError("Enter the number of employees, 1 or more")
    screened = dom.registration_problems(reg.employees, reg.sector, local_policy())
    if screened:
        raise Problems(screened)
    match = dom.postcode_district(reg.postcode, postcode_areas())
    existing = db.session.execute(
        db.select(Organisation).where(
            db.func.lower(Organisation.name) == reg.legal_name.strip().lower()
        )
    ).scalar_one_or_none()
    if existing is not None:
        raise DomainError(
            f"{reg.legal_name.strip()} is already registered: ask a colleague "
            "there to add you, or contact the apprenticeships team"
        )
    # the password is judged before looking the email up, so a weak one gets the same
    # answer whether the address has an account or not
    check_password(reg.password, reg.email, reg.contact_name)
    existing_user = find_user(reg.email)
    if existing_user is not None:
        # the same answer as a registration (no telling who has an account); the account
        # holder is told instead, and a password is hashed so it takes as long
        spend_password_hash(reg.password)
        send_message(
            existing_user.email,
            "You already have an account",
            f"Hello {existing_user.name},\n\nSomeone tried to register {reg.legal_name.strip()} "
            "for levy transfers with this email address, which already has an account. "
            f"Sign in at {current_app.config['LEVY_BASE_URL']}{url_for('account.login')}. "
            "If it was not you, you can ignore this email.",
        )
        return existing_user, ""
    actor = actor or Actor(label=f"self-registration:{reg.email.strip().lower()}")
    org = Organisation(name=reg.legal_name.strip(), kind="business", levy_payer=reg.pays_levy)
    db.session.add(org)
    db.session.flush()
    profile = BusinessProfile(
        organisation_id=org.id,
        company_number=reg.company_number.strip(),
        charity_number=reg.charity_number.strip(),
        address=reg.address.strip(),
        postcode=match.postcode,
        district=match.district,
        employees=reg.employees,
        pays_levy=reg.pays_levy,
        sends_transfers=reg.sends_transfers,
        is_vcse=reg.is_vcse,
        sector=reg.sector,
        pays_rates_in_county=reg.pays_rates_in_county,
        serves_county_residents=reg.serves_county_residents,
        contact_name=reg.contact_name.strip(),
        contact_email=reg.email.strip().lower(),
    )
    db.session.add(profile)
    user = create_user(
        reg.email,
        "employer",
        reg.password,
        actor,
        name=reg.contact_name.strip(),
        organisation=org,
        email_confirmed=False,
    )
    db.session.flush()
    record(
        actor,
        "transfers.business_registered",
        "Organisation",
        org.id,
        None,
        snapshot(
            profile,
            (
                "postcode",
                "district",
                "employees",
                "sector",
                "is_vcse",
                "pays_levy",
                "pays_rates_in_county",
            ),
        )
        | {"name": org.name},
    )
    token = _serializer().dumps(user.id)
    link = current_app.config["LEVY_BASE_URL"] + url_for("transfers.confirm_email", token=token)
    send_message(
        user.email,
        "Confirm your email address",
        f"Hello {user.name},\n\nConfirm your email address to finish registering "
        f"{org.name} for levy transfers:\n\n{link}\n\nThe link lasts 7 days.",
        org,
    )
    return user, token


def confirm_email(token: str) -> User:
    try:
        user_id = _serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except SignatureExpired as exc:
        raise DomainError("The link has expired: register again or ask for a new one") from exc
    except BadSignature as exc:
        raise DomainError("The link is not valid: copy the whole link from the email") from exc
    user = db.session.get(User, int(user_id))
    if user is None:
        raise DomainError("The link is not valid any more")
    if not user.email_confirmed:
        user.email_confirmed = True
        db.session.flush()
        record(
            Actor.of(user),
            "user.email_confirmed",
            "User",
            user.id,
            {"email_confirmed": False},
            {"email_confirmed": True},
        )
    return user
