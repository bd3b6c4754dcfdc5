"""Levy transfers to local businesses (issue 6): load rows, call the domain
(``levy.domain.transfers``), write rows, audit, notify, ``flush()``. Never commit.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from levy.domain import transfers as dom
from levy.domain.errors import DomainError
from levy.domain.forecast import ForecastPayment
from levy.domain.ledger import TRANSFER
from levy.domain.money import ZERO, format_money, money_str
from levy.domain.months import add_months, financial_year, financial_year_starting, format_month
from levy.extensions import db
from levy.models import LevyTransaction, Organisation, Standard, User
from levy.models.base import utcnow
from levy.models.transfers import (
    BusinessProfile,
    OutboxMessage,
    ScoringWeights,
    TransferApplication,
    TransferApplicationEvent,
    TransferPolicy,
)
from levy.services.audit import Actor, record, snapshot
from levy.services.ledger import payment_provider
from levy.services.locks import write_transaction
from levy.services.users import create_user, find_user

log = logging.getLogger(__name__)

PAYMENT_SOURCE = "transfers"
CONFIRM_SALT = "levy-confirm-email"
CONFIRM_MAX_AGE = 7 * 24 * 3600
APP_FIELDS = (
    "status",
    "standard_reference",
    "level",
    "band_maximum",
    "price",
    "duration_months",
    "apprentices",
    "planned_start",
    "provider_name",
    "provider_in_county",
    "new_start",
    "target_groups",
    "social_value",
    "reserved",
    "decision_reason",
    "apprentices_taken",
    "actual_start",
)


# ------------------------------------------------------------------------------------------
# Policy, weights and allowance
# ------------------------------------------------------------------------------------------


def _default_policy() -> TransferPolicy:
    return TransferPolicy(
        id=1,
        local_share_bp=2500,
        max_employees=250,
        refuse_all_levy_payers=False,
        max_applications_per_year=3,
        max_amount_per_year=Decimal("50000"),
        approvals=0,
    )


def get_policy(*, lock: bool = False, create: bool = False) -> TransferPolicy:
    """The policy row. Without one, reading gives the defaults (nothing is written);
    ``create`` or ``lock`` stores it first. ``lock`` takes ``SELECT … FOR UPDATE``."""
    query = db.select(TransferPolicy).where(TransferPolicy.id == 1)
    if lock:
        query = query.with_for_update()
    policy = db.session.execute(query).scalar_one_or_none()
    if policy is None:
        if not (lock or create):
            return _default_policy()
        db.session.add(_default_policy())
        db.session.flush()
        policy = db.session.execute(query).scalar_one()
    return policy


def local_policy(policy: TransferPolicy | None = None) -> dom.LocalPolicy:
    p = policy or get_policy()
    groups = dom.DEFAULT_CRITERIA_GROUPS
    if p.criteria_groups:
        groups = tuple(dom.CriterionGroup(code, tuple(codes)) for code, codes in p.criteria_groups)
    windows = tuple(
        dom.ApplicationWindow(date.fromisoformat(a), date.fromisoformat(b))
        for a, b in (p.windows or [])
    )
    return dom.LocalPolicy(
        local_share=Decimal(p.local_share_bp) / 10000,
        criteria_groups=groups,
        growth_sectors=tuple(p.growth_sectors or dom.DEFAULT_GROWTH_SECTORS),
        max_employees=p.max_employees,
        refuse_all_levy_payers=p.refuse_all_levy_payers,
        max_applications_per_year=p.max_applications_per_year,
        max_amount_per_year=p.max_amount_per_year,
        windows=windows,
    )


def postcode_areas(policy: TransferPolicy | None = None) -> Mapping[str, dom.PostcodeArea]:
    p = policy or get_policy()
    if not p.postcode_areas:
        return dom.DEFAULT_POSTCODE_AREAS
    return {k: dom.PostcodeArea(v[0], bool(v[1])) for k, v in p.postcode_areas.items()}


def set_local_share(percent: Decimal, actor: Actor) -> TransferPolicy:
    """Finance changes the council's local share (audited)."""
    if not Decimal(0) <= percent <= Decimal(100) or percent != percent.quantize(Decimal("0.01")):
        raise DomainError("The local share must be a percentage from 0 to 100, like 25")
    policy = get_policy(create=True)
    before = {"local_percent": _pct(policy.local_share_bp)}
    policy.local_share_bp = int(percent * 100)
    db.session.flush()
    record(
        actor,
        "transfers.local_share",
        "TransferPolicy",
        policy.id,
        before,
        {"local_percent": _pct(policy.local_share_bp)},
    )
    return policy


def _pct(bp: int) -> str:
    return f"{Decimal(bp) / 100:.2f}"


def current_scoring() -> dom.ScoringRules:
    row = db.session.execute(
        db.select(ScoringWeights).order_by(ScoringWeights.version.desc()).limit(1)
    ).scalar_one_or_none()
    if row is None:
        return dom.DEFAULT_SCORING
    return dom.ScoringRules(row.version, dict(row.weights))


def save_weights(weights: Mapping[str, object], actor: Actor) -> ScoringWeights:
    """A new version of the scoring weights (audited); earlier versions are kept."""
    clean = dom.validate_weights(weights)
    before = current_scoring()
    row = ScoringWeights(version=before.version + 1, weights=clean, created_by=actor.label)
    db.session.add(row)
    db.session.flush()
    record(
        actor,
        "transfers.weights",
        "ScoringWeights",
        row.version,
        {"version": before.version, "weights": dict(before.weights)},
        {"version": row.version, "weights": clean},
    )
    return row


def ledger_entries() -> list[dom.LedgerEntry]:
    rows = db.session.execute(
        db.select(LevyTransaction.month, LevyTransaction.type, LevyTransaction.amount).where(
            LevyTransaction.type.in_((dom.KIND_LEVY, dom.KIND_TOP_UP, dom.KIND_TRANSFER))
        )
    ).all()
    return [dom.LedgerEntry(month, kind, amount) for month, kind, amount in rows]


def paid_by_application() -> dict[str, dict[date, Decimal]]:
    """Transfer payments written for each application, by month."""
    rows = db.session.execute(
        db.select(LevyTransaction.reference, LevyTransaction.month, LevyTransaction.amount).where(
            LevyTransaction.type == dom.KIND_TRANSFER, LevyTransaction.source == PAYMENT_SOURCE
        )
    ).all()
    paid: dict[str, dict[date, Decimal]] = defaultdict(dict)
    for reference, month, amount in rows:
        paid[reference][month] = paid[reference].get(month, ZERO) + amount
    return paid


def _shares(app: TransferApplication) -> tuple[dom.YearShare, ...]:
    return tuple(dom.YearShare(int(y), Decimal(a)) for y, a in (app.cost_shares or {}).items())


def reservations(exclude: int | None = None) -> list[dom.Reservation]:
    apps = db.session.execute(
        db.select(TransferApplication).where(TransferApplication.status.in_(dom.RESERVING))
    ).scalars()
    paid = paid_by_application()
    result = []
    for app in apps:
        if app.id == exclude:
            continue
        by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for month, amount in paid.get(app.reference, {}).items():
            by_year[financial_year(month).start.year] += amount
        result.append(dom.Reservation(app.reference, _shares(app), dict(by_year)))
    return result


def year_allowance(year_start: int, policy: TransferPolicy | None = None) -> dom.Allowance:
    p = policy or get_policy()
    return dom.allowance(
        year_start, ledger_entries(), reservations(), local_share=Decimal(p.local_share_bp) / 10000
    )


# ------------------------------------------------------------------------------------------
# Outbox
# ------------------------------------------------------------------------------------------


def send_message(
    to: str, subject: str, body: str, organisation: Organisation | None = None
) -> OutboxMessage:
    """Keep the message in the outbox; send it by SMTP when ``MAIL_SERVER`` is set."""
    message = OutboxMessage(
        to=to, subject=subject, body=body, organisation_id=organisation.id if organisation else None
    )
    db.session.add(message)
    server = current_app.config.get("MAIL_SERVER")
    if server:
        email = EmailMessage()
        email["From"] = current_app.config.get("MAIL_SENDER", "")
        email["To"] = to
        email["Subject"] = subject
        email.set_content(body)
        try:
            with smtplib.SMTP(
                server, int(current_app.config.get("MAIL_PORT", 25)), timeout=10
            ) as smtp:
                smtp.send_message(email)
            message.sent_at = utcnow()
        except OSError as exc:  # the outbox keeps it; an admin can see why
            message.error = str(exc)
    db.session.flush()
    return message


def notify_business(org: Organisation, subject: str, body: str) -> list[OutboxMessage]:
    users = (
        db.session.execute(
            db.select(User).where(User.organisation_id == org.id, User.role == "employer")
        )
        .scalars()
        .all()
    )
    addresses = sorted({u.email for u in users})
    profile = get_profile(org)
    if not addresses and profile and profile.contact_email:
        addresses = [profile.contact_email]
    return [send_message(a, subject, body, org) for a in addresses]


# ------------------------------------------------------------------------------------------
# Registration
# ------------------------------------------------------------------------------------------


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


def get_profile(org: Organisation) -> BusinessProfile | None:
    return db.session.execute(
        db.select(BusinessProfile).where(BusinessProfile.organisation_id == org.id)
    ).scalar_one_or_none()


def register_business(reg: Registration, actor: Actor | None = None) -> tuple[User, str]:
    """A business registers itself: organisation, profile and an unconfirmed
    employer user. The confirmation link goes to the log and the outbox."""
    if not reg.legal_name.strip():
        raise DomainError("Enter the organisation's legal name")
    if not (reg.company_number.strip() or reg.charity_number.strip()):
        raise DomainError("Enter a Companies House number or a charity number")
    if reg.employees < 1:
        raise DomainError("Enter the number of employees, 1 or more")
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
    if find_user(reg.email):
        raise DomainError(f"There is already an account for {reg.email.strip()}")
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
    link = url_for("transfers.confirm_email", token=token, _external=True)
    log.info("Email confirmation link for %s: %s", user.email, link)
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


def override_district(
    profile: BusinessProfile, district: str | None, reason: str, actor: Actor
) -> BusinessProfile:
    if district is not None and district not in dom.COUNTY_DISTRICTS:
        raise DomainError(f"'{district}' is not one of the county's districts")
    if not reason.strip():
        raise DomainError("Give a reason for changing the district")
    before = {"district": profile.district, "reason": profile.district_override_reason}
    profile.district = district
    profile.district_override_reason = reason.strip()
    db.session.flush()
    record(
        actor,
        "transfers.district_override",
        "BusinessProfile",
        profile.id,
        before,
        {"district": district, "reason": profile.district_override_reason},
    )
    return profile


def organisation_rules(org: Organisation) -> dom.Organisation:
    profile = get_profile(org)
    if profile is None:
        raise DomainError(f"{org.name} has not registered its details for transfers")
    return dom.Organisation(
        name=org.name,
        employees=profile.employees,
        district=profile.district,
        serves_county_residents=profile.serves_county_residents,
        pays_rates_in_county=profile.pays_rates_in_county,
        is_vcse=profile.is_vcse,
        sector=profile.sector,
        pays_levy=profile.pays_levy or org.levy_payer,
        sends_transfers=profile.sends_transfers,
    )


# ------------------------------------------------------------------------------------------
# Applications
# ------------------------------------------------------------------------------------------


@dataclass
class ApplicationData:
    standard: Standard
    apprentices: int
    planned_start: date
    provider_name: str
    provider_in_county: bool
    target_groups: list[str] = field(default_factory=list)
    social_value: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    price: Decimal | None = None  # per apprentice; the band maximum when not given
    duration_months: int | None = None  # the standard's typical duration when not given
    new_start: bool = True


def _next_reference(today: date) -> str:
    prefix = f"LT-{financial_year(today).start.year}-"
    last = db.session.execute(
        db.select(db.func.max(TransferApplication.reference)).where(
            TransferApplication.reference.like(f"{prefix}%")
        )
    ).scalar()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _apply_data(app: TransferApplication, data: ApplicationData) -> None:
    band = data.standard.band_on(data.planned_start)
    if band is None:
        raise DomainError(
            f"{data.standard.label} has no funding band on {data.planned_start:%d %B %Y}"
        )
    if data.apprentices < 1:
        raise DomainError("Enter the number of apprentices, 1 or more")
    if dom.word_count(data.social_value) > dom.SOCIAL_VALUE_MAX_WORDS:
        raise DomainError(f"Social value must be {dom.SOCIAL_VALUE_MAX_WORDS} words or fewer")
    unknown = set(data.target_groups) - set(dom.TARGET_GROUPS)
    if unknown:
        raise DomainError(f"Unknown target groups: {', '.join(sorted(unknown))}")
    app.standard_id = data.standard.id
    app.standard_reference = data.standard.reference
    app.standard_title = data.standard.title
    app.level = data.standard.level
    app.band_maximum = band
    app.price = band if data.price is None else data.price
    app.duration_months = data.duration_months or data.standard.duration_months
    app.apprentices = data.apprentices
    app.planned_start = data.planned_start
    app.provider_name = data.provider_name.strip()
    app.provider_in_county = data.provider_in_county
    app.new_start = data.new_start
    app.target_groups = [g for g in dom.TARGET_GROUPS if g in data.target_groups]
    app.social_value = data.social_value.strip()
    app.contact_name = data.contact_name.strip()
    app.contact_email = data.contact_email.strip()
    app.contact_phone = data.contact_phone.strip()


def create_draft(
    org: Organisation, user: User | None, data: ApplicationData, actor: Actor, today: date
) -> TransferApplication:
    app = TransferApplication(
        reference=_next_reference(today),
        organisation_id=org.id,
        created_by_id=user.id if user else None,
        status=dom.DRAFT,
    )
    _apply_data(app, data)
    db.session.add(app)
    db.session.flush()
    record(
        actor,
        "transfers.application_created",
        "TransferApplication",
        app.reference,
        None,
        snapshot(app, APP_FIELDS),
    )
    return app


def update_draft(app: TransferApplication, data: ApplicationData, actor: Actor) -> None:
    dom.transition(app.status, "edit", dom.APPLICANT)
    before = snapshot(app, APP_FIELDS)
    _apply_data(app, data)
    db.session.flush()
    _audit(actor, "transfers.application_updated", app, before)


def _audit(actor: Actor, action: str, app: TransferApplication, before: dict[str, Any]) -> None:
    after = snapshot(app, APP_FIELDS)
    changed = [k for k in APP_FIELDS if before.get(k) != after.get(k)]
    record(
        actor,
        action,
        "TransferApplication",
        app.reference,
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
    )


def application_rules(app: TransferApplication) -> dom.Application:
    return dom.Application(
        standard_code=app.standard_reference,
        level=app.level,
        apprentices=app.apprentices,
        start=app.planned_start,
        duration_months=app.duration_months,
        price=app.price,
        band_maximum=app.band_maximum,
        provider_in_county=app.provider_in_county,
        target_groups=frozenset(app.target_groups or ()),
        is_standard=app.is_standard,
        new_start=app.new_start,
        submitted_on=app.submitted_on,
    )


def organisation_history(app: TransferApplication) -> dom.OrganisationYear:
    others = db.session.execute(
        db.select(TransferApplication).where(
            TransferApplication.organisation_id == app.organisation_id,
            TransferApplication.id != app.id,
        )
    ).scalars()
    triples = [(o.status, o.planned_start, o.reserved or ZERO) for o in others]
    return dom.organisation_year(triples, financial_year(app.planned_start).start.year)


def first_time(app: TransferApplication) -> bool:
    earlier = db.session.execute(
        db.select(db.func.count(TransferApplication.id)).where(
            TransferApplication.organisation_id == app.organisation_id,
            TransferApplication.id != app.id,
            TransferApplication.status.in_(
                (dom.ACCEPTED, dom.FUNDS_USED, dom.WITHDRAWN_AFTER_ACCEPTANCE, dom.FUNDS_EXPIRED)
            ),
        )
    ).scalar_one()
    return earlier == 0


def screen_and_score(app: TransferApplication, on: date) -> dom.Screening:
    """Run the hard rules and the scoring; store both with the weights' version."""
    policy = local_policy()
    org_rules = organisation_rules(app.organisation)
    app_rules = application_rules(app)
    screening = dom.screen(org_rules, app_rules, policy, organisation_history(app), on)
    scored = dom.score(org_rules, app_rules, first_time(app), current_scoring(), policy)
    cost = app_rules.cost()
    app.eligible = screening.eligible
    app.screening = [[r.code, r.passed, r.reason] for r in screening.results]
    app.score = scored.total
    app.score_version = scored.version
    app.score_breakdown = [[line.code, line.label, line.points] for line in scored.breakdown]
    app.cost_total = cost.total
    app.reserved = cost.reserved
    app.cost_shares = {str(s.year_start): money_str(s.amount) for s in cost.shares}
    return screening


def _event(
    app: TransferApplication, action: str, before: str, actor: Actor, on: date, note: str = ""
) -> None:
    app.events.append(
        TransferApplicationEvent(
            on=on,
            actor_label=actor.label,
            action=action,
            from_status=before,
            to_status=app.status,
            note=note,
        )
    )


def _move(
    app: TransferApplication,
    action: str,
    who: str,
    actor: Actor,
    on: date,
    note: str = "",
    notify: str | None = None,
) -> None:
    before_status = app.status
    before = snapshot(app, APP_FIELDS)
    app.status = dom.transition(app.status, action, who)
    _event(app, action, before_status, actor, on, note)
    db.session.flush()
    _audit(actor, f"transfers.{action}", app, before)
    if notify:
        notify_business(app.organisation, f"Your levy transfer application {app.reference}", notify)


def submit(app: TransferApplication, actor: Actor, today: date) -> dom.Screening:
    if dom.word_count(app.social_value) > dom.SOCIAL_VALUE_MAX_WORDS:
        raise DomainError(f"Social value must be {dom.SOCIAL_VALUE_MAX_WORDS} words or fewer")
    dom.transition(app.status, "submit", dom.APPLICANT)
    app.submitted_on = today
    screening = screen_and_score(app, today)
    _move(
        app,
        "submit",
        dom.APPLICANT,
        actor,
        today,
        notify=f"We have received your application {app.reference} for "
        f"{app.apprentices} apprentice(s) on {app.standard_title}. We will decide within "
        "3 months.",
    )
    return screening


def request_info(app: TransferApplication, question: str, actor: Actor, today: date) -> None:
    if not question.strip():
        raise DomainError("Say what information you need")
    app.info_request = question.strip()
    app.info_response = ""
    _move(
        app,
        "request_info",
        dom.OFFICER,
        actor,
        today,
        question.strip(),
        notify=f"We need more information about application {app.reference}:\n\n"
        f"{question.strip()}\n\nSign in to answer.",
    )


def respond_info(app: TransferApplication, answer: str, actor: Actor, today: date) -> None:
    if not app.info_request:
        raise DomainError("There is no request for information to answer")
    if not answer.strip():
        raise DomainError("Enter your answer")
    app.info_response = answer.strip()
    _move(app, "respond_info", dom.APPLICANT, actor, today, answer.strip())


_SQLITE_APPROVALS = threading.Lock()


@contextmanager
def serialised_approvals() -> Iterator[None]:
    """Wrap an approval and its commit. PostgreSQL needs nothing more than the row lock
    ``approve`` takes; SQLite has no row locks, so approvals in this process take turns,
    each starting from a fresh ``BEGIN IMMEDIATE`` transaction (the read transaction is
    ended first), which also makes approvals in other processes queue."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    with _SQLITE_APPROVALS:
        write_transaction()  # nothing written yet: ends the read, takes the write lock
        yield


def approve(app_id: int, actor: Actor, today: date) -> TransferApplication:
    """Approve and reserve the cost, never past the allowance.

    The policy row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; the
    counter update takes SQLite's write lock), so concurrent approvals queue and
    each sees the reservations committed before it.
    """
    policy = get_policy(lock=True)
    policy.approvals += 1
    db.session.flush()
    app = db.session.execute(
        db.select(TransferApplication)
        .where(TransferApplication.id == app_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    dom.transition(app.status, "approve", dom.OFFICER)
    cost = application_rules(app).cost()
    first_year = cost.shares[0].year_start
    allowances = {}
    for share in cost.shares:
        a = year_allowance(share.year_start, policy)
        if share.year_start == first_year or a.base > ZERO:
            allowances[share.year_start] = a
    dom.check_approval(cost, allowances)
    app.cost_total = cost.total
    app.reserved = cost.reserved
    app.cost_shares = {str(s.year_start): money_str(s.amount) for s in cost.shares}
    app.approved_on = today
    app.decided_on = today
    app.decision_reason = ""
    _move(
        app,
        "approve",
        dom.OFFICER,
        actor,
        today,
        f"reserved {format_money(cost.reserved)}",
        notify=f"Good news: application {app.reference} is approved, funding "
        f"{app.apprentices} apprentice(s) on {app.standard_title} (up to "
        f"{format_money(cost.total)}). Sign in and accept the offer within 42 days.",
    )
    return app


def reject(app: TransferApplication, reason: str, actor: Actor, today: date) -> None:
    if not reason.strip():
        raise DomainError("Give the reason for rejecting: the business will see it")
    app.decision_reason = reason.strip()
    app.decided_on = today
    _move(
        app,
        "reject",
        dom.OFFICER,
        actor,
        today,
        reason.strip(),
        notify=f"Application {app.reference} was not approved.\n\nReason: {reason.strip()}",
    )


def accept(app: TransferApplication, actor: Actor, today: date) -> None:
    dom.transition(app.status, "accept", dom.APPLICANT)
    app.accepted_on = today
    _move(
        app,
        "accept",
        dom.APPLICANT,
        actor,
        today,
        notify=f"You accepted the offer for {app.reference}. Tell us when your apprentices "
        "start: the funds expire if none is recorded within 3 months.",
    )


def decline(app: TransferApplication, actor: Actor, today: date) -> None:
    _move(
        app,
        "decline",
        dom.APPLICANT,
        actor,
        today,
        notify=f"You declined the offer for {app.reference}.",
    )


def withdraw(app: TransferApplication, actor: Actor, today: date) -> None:
    _move(
        app,
        "withdraw",
        dom.APPLICANT,
        actor,
        today,
        notify=f"Application {app.reference} is withdrawn.",
    )


def record_apprentices(
    app: TransferApplication, count: int, start: date, actor: Actor, today: date
) -> None:
    if count < 1:
        raise DomainError("Enter the number of apprentices taken on, 1 or more")
    if count > app.apprentices:
        raise DomainError(
            f"The offer was for {app.apprentices} apprentice(s); {count} is more than that"
        )
    dom.transition(app.status, "record_apprentices", dom.OFFICER)
    app.apprentices_taken = count
    app.actual_start = start
    # the reservation follows what was taken on: fewer apprentices give some of it back
    cost = dom.application_cost(app.band_maximum, count, app.duration_months, start)
    app.cost_total = cost.total
    app.reserved = cost.reserved
    app.cost_shares = {str(s.year_start): money_str(s.amount) for s in cost.shares}
    _move(
        app,
        "record_apprentices",
        dom.OFFICER,
        actor,
        today,
        f"{count} apprentice(s) from {start:%d %B %Y}",
        notify=f"We have recorded {count} apprentice(s) for {app.reference}; payments "
        "start from their start month.",
    )


# ------------------------------------------------------------------------------------------
# Timers and payments
# ------------------------------------------------------------------------------------------


@dataclass
class TickSummary:
    moves: list[dom.Move] = field(default_factory=list)
    payments: list[tuple[str, date, Decimal]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{m.ref}: {m.from_status} → {m.to_status} ({m.reason})" for m in self.moves]
        out += [
            f"{ref}: transfer payment {format_month(month)} {format_money(amount)}"
            for ref, month, amount in self.payments
        ]
        return out or ["Nothing due."]


def tick(as_of: date, actor: Actor) -> TickSummary:
    """Apply the timers due by ``as_of`` and write the transfer payments due
    (idempotent: a second run finds nothing to do)."""
    summary = TickSummary()
    timed = (
        db.session.execute(
            db.select(TransferApplication)
            .where(TransferApplication.status.in_((dom.SUBMITTED, dom.APPROVED, dom.ACCEPTED)))
            .order_by(TransferApplication.id)
        )
        .scalars()
        .all()
    )
    by_ref = {a.reference: a for a in timed}
    clocks = [
        dom.Clock(a.reference, a.status, a.submitted_on, a.approved_on, a.accepted_on)
        for a in timed
    ]
    for move in dom.tick(clocks, as_of):
        app = by_ref[str(move.ref)]
        if move.to_status == dom.REJECTED:
            app.decision_reason = move.reason
            app.decided_on = move.due_on
        _move(
            app,
            move.action,
            dom.SYSTEM,
            actor,
            move.due_on,
            move.reason,
            notify=f"Application {app.reference} is now {move.to_status}: {move.reason}",
        )
        summary.moves.append(move)
    summary.payments = write_payments(as_of, actor)
    return summary


def write_payments(as_of: date, actor: Actor) -> list[tuple[str, date, Decimal]]:
    """Transfer payments for applications with apprentices recorded, month by month,
    as ``transfer`` rows in the levy ledger (they leave the pot oldest funds first)."""
    apps = (
        db.session.execute(
            db.select(TransferApplication)
            .where(
                TransferApplication.status == dom.FUNDS_USED,
                TransferApplication.apprentices_taken.is_not(None),
            )
            .order_by(TransferApplication.id)
        )
        .scalars()
        .all()
    )
    paid = paid_by_application()
    written: list[tuple[str, date, Decimal]] = []
    for app in apps:
        start = app.actual_start or app.planned_start
        schedule = dom.monthly_payments(
            app.band_maximum, app.apprentices_taken or 0, start, app.duration_months
        )
        limit = app.band_maximum * (app.apprentices_taken or 0)
        for month, amount in dom.payments_due(schedule, paid.get(app.reference, {}), as_of, limit):
            db.session.add(
                LevyTransaction(
                    month=month,
                    type=dom.KIND_TRANSFER,
                    amount=amount,
                    reference=app.reference,
                    source=PAYMENT_SOURCE,
                    source_key=f"transfer:{app.reference}:{format_month(month)}",
                )
            )
            written.append((app.reference, month, amount))
    db.session.flush()
    if written:
        record(
            actor,
            "transfers.payments",
            "LevyTransaction",
            None,
            None,
            {
                "as_of": as_of,
                "payments": [[r, format_month(m), a] for r, m, a in written],
                "total": sum((a for _, _, a in written), ZERO),
            },
        )
    return written


# ------------------------------------------------------------------------------------------
# Queue and reports
# ------------------------------------------------------------------------------------------


@dataclass
class QueueRow:
    app: TransferApplication
    remaining: Decimal
    year_label: str


def queue() -> list[QueueRow]:
    """Submitted applications ranked by score (highest first) then submission date."""
    apps = (
        db.session.execute(
            db.select(TransferApplication).where(TransferApplication.status == dom.SUBMITTED)
        )
        .scalars()
        .all()
    )
    apps.sort(key=lambda a: (-(a.score or 0), a.submitted_on or date.max, a.id))
    cache: dict[int, dom.Allowance] = {}
    rows = []
    for app in apps:
        year = financial_year(app.planned_start).start.year
        if year not in cache:
            cache[year] = year_allowance(year)
        rows.append(QueueRow(app, cache[year].remaining, cache[year].year.label))
    return rows


@dataclass
class YearReport:
    year_label: str
    transferred: Decimal  # paid to local businesses under the scheme
    businesses: int
    apprenticeships: int
    by_district: dict[str, Decimal]
    by_sector: dict[str, Decimal]
    by_target_group: dict[str, int]
    by_level: dict[str, Decimal]
    rows: list[tuple[TransferApplication, Decimal]]
    other_transfers: Decimal = ZERO  # ledger transfers not paid through the scheme

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year_label,
            "transferred": money_str(self.transferred),
            "businesses": self.businesses,
            "apprenticeships": self.apprenticeships,
            "other_transfers": money_str(self.other_transfers),
            "by_district": {k: money_str(v) for k, v in self.by_district.items()},
            "by_sector": {k: money_str(v) for k, v in self.by_sector.items()},
            "by_target_group": self.by_target_group,
            "by_level": {k: money_str(v) for k, v in self.by_level.items()},
        }


def report(year_start: int) -> YearReport:
    """What the council transferred to local businesses in a financial year: the ledger's
    transfer rows paid through this scheme, the businesses and apprenticeships they funded,
    by district, sector, target group and level. Other transfer rows in the ledger (say,
    imported from the apprenticeship service) are reported apart as ``other_transfers``;
    the allowance counts them all as paid."""
    year = financial_year_starting(year_start)
    rows = db.session.execute(
        db.select(LevyTransaction.reference, LevyTransaction.source, LevyTransaction.amount).where(
            LevyTransaction.type == dom.KIND_TRANSFER,
            LevyTransaction.month >= year.start,
            LevyTransaction.month <= year.end,
        )
    ).all()
    by_ref: dict[str, Decimal] = defaultdict(lambda: ZERO)
    other = ZERO
    for reference, source, amount in rows:
        if source == PAYMENT_SOURCE:
            by_ref[reference] += amount
        else:  # e.g. imported from the apprenticeship service's download
            other += amount
    transferred = sum(by_ref.values(), ZERO)
    apps = (
        db.session.execute(
            db.select(TransferApplication)
            .where(TransferApplication.reference.in_(list(by_ref)))
            .order_by(TransferApplication.reference)
        )
        .scalars()
        .all()
        if by_ref
        else []
    )
    by_district: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_sector: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_level: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_group: dict[str, int] = defaultdict(int)
    for app in apps:
        amount = by_ref[app.reference]
        profile = get_profile(app.organisation)
        by_district[(profile.district if profile else None) or "Outside the county"] += amount
        by_sector[(profile.sector if profile else "") or "Not given"] += amount
        by_level[f"Level {app.level}"] += amount
        for group in app.target_groups or ():
            by_group[dom.TARGET_GROUPS.get(group, group)] += app.apprentices_taken or 0
    return YearReport(
        year_label=year.label,
        transferred=transferred,
        businesses=len({a.organisation_id for a in apps}),
        apprenticeships=sum(a.apprentices_taken or 0 for a in apps),
        by_district=dict(sorted(by_district.items())),
        by_sector=dict(sorted(by_sector.items())),
        by_target_group=dict(sorted(by_group.items())),
        by_level=dict(sorted(by_level.items())),
        rows=[(a, by_ref[a.reference]) for a in apps],
        other_transfers=other,
    )


def years_with_transfers() -> list[int]:
    months = (
        db.session.execute(
            db.select(LevyTransaction.month)
            .where(LevyTransaction.type == dom.KIND_TRANSFER)
            .distinct()
        )
        .scalars()
        .all()
    )
    return sorted({financial_year(m).start.year for m in months}, reverse=True)


def allowance_years(today: date, limit: int = 8) -> list[int]:
    """Years worth showing, newest first: next year, this year, and every year whose
    base or payments are in the ledger (at most ``limit``)."""
    months = db.session.execute(
        db.select(LevyTransaction.month, LevyTransaction.type)
        .where(LevyTransaction.type.in_((dom.KIND_LEVY, dom.KIND_TOP_UP, dom.KIND_TRANSFER)))
        .distinct()
    ).all()
    this_year = financial_year(today).start.year
    years = {this_year, this_year + 1}
    for month, kind in months:
        year = financial_year(month).start.year
        if kind == dom.KIND_TRANSFER:
            years.add(year)
        else:  # May to April feeds the base of the year starting in that April
            years.add(year if month.month == 4 else year + 1)
    return sorted(years, reverse=True)[:limit]


def applications_for(org_id: int) -> list[TransferApplication]:
    return list(
        db.session.execute(
            db.select(TransferApplication)
            .where(TransferApplication.organisation_id == org_id)
            .order_by(TransferApplication.id.desc())
        ).scalars()
    )


def all_applications(statuses: Iterable[str] | None = None) -> list[TransferApplication]:
    query = db.select(TransferApplication).order_by(TransferApplication.id.desc())
    if statuses:
        query = query.where(TransferApplication.status.in_(list(statuses)))
    return list(db.session.execute(query).scalars())


# ------------------------------------------------------------------------------------------
# Loading history (and the demo) from the transfers workbook
# ------------------------------------------------------------------------------------------


@dataclass
class HistorySummary:
    businesses: int = 0
    applications: int = 0
    payments: int = 0

    def __str__(self) -> str:
        return (
            f"{self.businesses} new businesses, {self.applications} new applications, "
            f"{self.payments} new transfer payments"
        )


def _standard_for(row: Any) -> Standard:
    from levy.models import FundingBand

    standard = db.session.execute(
        db.select(Standard).where(Standard.reference == row.standard_reference)
    ).scalar_one_or_none()
    if standard is None:
        standard = Standard(
            reference=row.standard_reference,
            title=row.standard_title,
            level=row.level,
            duration_months=row.months,
            demo_data=True,
        )
        standard.bands.append(FundingBand(valid_from=date(2018, 8, 1), maximum=row.band_maximum))
        db.session.add(standard)
        db.session.flush()
    return standard


def import_history(book: Any, actor: Actor) -> HistorySummary:
    """Businesses, applications and payments from a checked ``TransfersWorkbook``.

    Running it twice changes nothing: businesses are matched by name, applications
    by reference and payments by (reference, month)."""
    summary = HistorySummary()
    orgs: dict[str, Organisation] = {}
    for b in book.businesses:
        org = db.session.execute(
            db.select(Organisation).where(db.func.lower(Organisation.name) == b.name.lower())
        ).scalar_one_or_none()
        if org is None:
            org = Organisation(name=b.name, kind="business", levy_payer=False)
            db.session.add(org)
            db.session.flush()
        if get_profile(org) is None:
            # Companies House numbers have 8 characters (01234567, SC123456); charities fewer
            company = b.number if len(b.number) == 8 else ""
            db.session.add(
                BusinessProfile(
                    organisation_id=org.id,
                    company_number=company,
                    charity_number="" if company else b.number,
                    address=b.address,
                    postcode=b.postcode,
                    district=b.district,
                    employees=b.employees,
                    is_vcse=b.is_vcse,
                    sector=b.sector,
                    pays_rates_in_county=b.pays_rates_in_county,
                    contact_email=b.login_email,
                    demo_data=True,
                )
            )
            db.session.flush()
            record(
                actor,
                "transfers.business_imported",
                "Organisation",
                org.id,
                None,
                {"name": org.name, "district": b.district},
            )
            summary.businesses += 1
        orgs[b.name.lower()] = org
    apps: dict[str, TransferApplication] = {}
    for a in book.applications:
        existing = db.session.execute(
            db.select(TransferApplication).where(TransferApplication.reference == a.reference)
        ).scalar_one_or_none()
        if existing is not None:
            apps[a.reference] = existing
            continue
        standard = _standard_for(a)
        app = TransferApplication(
            reference=a.reference,
            organisation_id=orgs[a.business.lower()].id,
            status=a.status,
            standard_id=standard.id,
            standard_reference=a.standard_reference,
            standard_title=a.standard_title,
            level=a.level,
            band_maximum=a.band_maximum,
            price=a.band_maximum,
            duration_months=a.months,
            apprentices=a.apprentices,
            planned_start=a.planned_start,
            provider_name=a.provider,
            provider_in_county=a.provider_in_county,
            target_groups=list(a.target_groups),
            social_value=a.social_value,
            contact_name="",
            contact_email="",
            submitted_on=a.submitted,
            decision_reason=a.reason,
            apprentices_taken=a.apprentices_taken,
            actual_start=a.actual_start,
            demo_data=True,
        )
        app.organisation = orgs[a.business.lower()]
        decided_states = {
            dom.APPROVED,
            dom.ACCEPTED,
            dom.FUNDS_USED,
            dom.DECLINED,
            dom.WITHDRAWN_AFTER_ACCEPTANCE,
            dom.FUNDS_EXPIRED,
        }
        if a.status in decided_states or (a.status == dom.WITHDRAWN and a.decided):
            app.approved_on = a.decided
        app.decided_on = a.decided
        app.accepted_on = a.accepted
        db.session.add(app)
        db.session.flush()
        if a.status != dom.DRAFT:
            screen_and_score(app, a.submitted or a.planned_start)
        moves = [(a.submitted, "", dom.SUBMITTED)]
        if a.status not in (dom.DRAFT, dom.SUBMITTED):
            moves.append((a.decided or a.submitted, dom.SUBMITTED, a.status))
        for on, before, after in moves:
            if on is not None and a.status != dom.DRAFT:
                app.events.append(
                    TransferApplicationEvent(
                        on=on,
                        actor_label=actor.label,
                        action="import",
                        from_status=before,
                        to_status=after,
                        note="loaded from the transfers workbook",
                    )
                )
        db.session.flush()
        record(
            actor,
            "transfers.application_imported",
            "TransferApplication",
            app.reference,
            None,
            snapshot(app, APP_FIELDS),
        )
        apps[a.reference] = app
        summary.applications += 1
    for p in book.payments:
        key = f"transfer:{p.reference}:{format_month(p.month)}"
        exists = db.session.execute(
            db.select(LevyTransaction.id).where(LevyTransaction.source_key == key)
        ).scalar_one_or_none()
        if exists is None:
            db.session.add(
                LevyTransaction(
                    month=p.month,
                    type=dom.KIND_TRANSFER,
                    amount=p.amount,
                    reference=p.reference,
                    source=PAYMENT_SOURCE,
                    source_key=key,
                )
            )
            summary.payments += 1
    db.session.flush()
    if summary.payments:
        record(
            actor,
            "transfers.payments_imported",
            "LevyTransaction",
            None,
            None,
            {"payments": summary.payments},
        )
    return summary


# ------------------------------------------------------------------------------------------
# The local policy's settings (admins and finance, audited)
# ------------------------------------------------------------------------------------------

POLICY_FIELDS = (
    "max_employees",
    "refuse_all_levy_payers",
    "max_applications_per_year",
    "max_amount_per_year",
    "criteria_groups",
    "growth_sectors",
    "windows",
)


@dataclass
class PolicySettings:
    max_employees: int
    refuse_all_levy_payers: bool
    max_applications_per_year: int | None
    max_amount_per_year: Decimal | None
    alternatives: list[str]  # local criteria of which any one is enough; the rest must hold
    growth_sectors: list[str]
    windows: list[tuple[date, date]]


def criteria_alternatives(policy: TransferPolicy | None = None) -> list[str]:
    """The local criteria that are alternatives (any one is enough) under the policy."""
    groups = local_policy(policy).criteria_groups
    for group in groups:
        if len(group.criteria) > 1:
            return list(group.criteria)
    return []


def update_policy(settings: PolicySettings, actor: Actor) -> TransferPolicy:
    """Change the local rules (audited). The chosen alternatives form one group of which
    any one must hold; every other local criterion must hold on its own."""
    if settings.max_employees < 1:
        raise DomainError("The employee limit must be 1 or more")
    unknown = set(settings.alternatives) - set(dom.LOCAL_CRITERIA)
    if unknown:
        raise DomainError(f"Unknown local criteria: {', '.join(sorted(unknown))}")
    if len(settings.alternatives) == 1:
        raise DomainError("Choose at least two alternatives, or none")
    for opens, closes in settings.windows:
        if closes < opens:
            raise DomainError(
                f"The window {opens:%d %B %Y} to {closes:%d %B %Y} ends before it opens"
            )
    sectors = [s.strip() for s in settings.growth_sectors if s.strip()]
    if not sectors:
        raise DomainError("List at least one growth sector")
    policy = get_policy(create=True)
    before = snapshot(policy, POLICY_FIELDS)
    groups: list[list[Any]] = []
    if settings.alternatives:
        groups.append(
            ["local.presence", [c for c in dom.LOCAL_CRITERIA if c in settings.alternatives]]
        )
    groups += [[f"local.{c}", [c]] for c in dom.LOCAL_CRITERIA if c not in settings.alternatives]
    policy.max_employees = settings.max_employees
    policy.refuse_all_levy_payers = settings.refuse_all_levy_payers
    policy.max_applications_per_year = settings.max_applications_per_year
    policy.max_amount_per_year = settings.max_amount_per_year
    policy.criteria_groups = groups
    policy.growth_sectors = sectors
    policy.windows = [[a.isoformat(), b.isoformat()] for a, b in settings.windows]
    db.session.flush()
    after = snapshot(policy, POLICY_FIELDS)
    changed = [k for k in POLICY_FIELDS if before.get(k) != after.get(k)]
    if changed:
        record(
            actor,
            "transfers.policy",
            "TransferPolicy",
            policy.id,
            {k: before[k] for k in changed},
            {k: after[k] for k in changed},
        )
    return policy


# ------------------------------------------------------------------------------------------
# Levy forecast
# ------------------------------------------------------------------------------------------

FORECAST_STATUSES = (dom.APPROVED, dom.ACCEPTED, dom.FUNDS_USED)


@payment_provider("transfers")
def forecast_payments(start: date, months: int) -> list[ForecastPayment]:
    """Transfer payments still to come from approved, accepted and in-use applications
    (issue 4 rule 8): each schedule less the months already written to the ledger.
    They leave the pot oldest funds first, like every transfer."""
    end = add_months(start, months)
    paid = paid_by_application()
    out: list[ForecastPayment] = []
    query = db.select(TransferApplication).where(TransferApplication.status.in_(FORECAST_STATUSES))
    for app in db.session.execute(query).scalars():
        begin = app.actual_start or app.planned_start
        count = app.apprentices_taken or app.apprentices
        already = paid.get(app.reference, {})
        for month, amount in dom.monthly_payments(
            app.band_maximum, count, begin, app.duration_months
        ):
            if start <= month < end and month not in already:
                out.append(ForecastPayment(month, amount, begin, TRANSFER, app.reference))
    return out
