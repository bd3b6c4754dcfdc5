"""Applications through their lifecycle: drafts, submission (screening and scoring),
information requests, approval against the allowance, the business's answer, apprentices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import selectinload

from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.domain.money import ZERO, format_money, money_str
from levy.domain.months import financial_year, format_day
from levy.extensions import db
from levy.models import Organisation, Standard, User
from levy.models.transfers import (
    TransferApplication,
    TransferApplicationEvent,
    TransferApprenticeStart,
)
from levy.services.audit import record, snapshot
from levy.services.transfers.allowance import year_allowance
from levy.services.transfers.businesses import organisation_rules
from levy.services.transfers.outbox import notify_business
from levy.services.transfers.policy import current_scoring, get_policy, local_policy

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
        raise DomainError("Enter the number of apprentices, 1 or more", field="apprentices")
    if dom.word_count(data.social_value) > dom.SOCIAL_VALUE_MAX_WORDS:
        raise DomainError(
            f"Social value must be {dom.SOCIAL_VALUE_MAX_WORDS} words or fewer",
            field="social_value",
        )
    unknown = set(data.target_groups) - set(dom.TARGET_GROUPS)
    if unknown:
        raise DomainError(
            f"Unknown target groups: {', '.join(sorted(unknown))}", field="target_groups"
        )
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
    """A new draft; its planned start must be ``today`` or later (transfers fund new starts)."""
    dom.check_start(data.planned_start, today)
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


def update_draft(
    app: TransferApplication, data: ApplicationData, actor: Actor, today: date
) -> None:
    """Change a draft; as for a new one, the planned start must be ``today`` or later."""
    dom.transition(app.status, "edit", dom.APPLICANT)
    dom.check_start(data.planned_start, today)
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


def check_rules(app: TransferApplication, on: date) -> dom.Screening:
    """The hard rules as they would stand if the application were submitted ``on`` that
    day (the "Check your answers" page); writes nothing."""
    return dom.screen(
        organisation_rules(app.organisation),
        application_rules(app),
        local_policy(),
        organisation_history(app),
        on,
    )


def failed_rules(app: TransferApplication, screening: dom.Screening | None = None) -> list[Any]:
    """The failed rules (of ``screening``, else as stored at submission), each with its
    plain title and what would fix it."""
    results: Any = screening.results if screening is not None else (app.screening or [])
    return dom.failed_rules(results, local_policy())


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


def apply_transition(
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
    apply_transition(
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
    apply_transition(
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
    apply_transition(app, "respond_info", dom.APPLICANT, actor, today, answer.strip())


def approve(app_id: int, actor: Actor, today: date) -> TransferApplication:
    """Approve and reserve the cost, never past the allowance.

    The policy row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; the
    counter update takes SQLite's write lock), so concurrent approvals queue and
    each sees the reservations committed before it. SQLite has no row locks: callers
    wrap the call in ``levy.transaction.serialised()`` so approvals take turns.
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
    apply_transition(
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
    apply_transition(
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
    last_day = dom.funds_expire_on(app.planned_start, today) - timedelta(days=1)
    apply_transition(
        app,
        "accept",
        dom.APPLICANT,
        actor,
        today,
        notify=f"You accepted the offer for {app.reference}. Tell us when your apprentices "
        "have started (sign in and open the application): the funds expire if no start is "
        f"reported by {format_day(last_day)}.",
    )


def decline(app: TransferApplication, actor: Actor, today: date) -> None:
    apply_transition(
        app,
        "decline",
        dom.APPLICANT,
        actor,
        today,
        notify=f"You declined the offer for {app.reference}.",
    )


def withdraw(app: TransferApplication, actor: Actor, today: date) -> None:
    apply_transition(
        app,
        "withdraw",
        dom.APPLICANT,
        actor,
        today,
        notify=f"Application {app.reference} is withdrawn.",
    )


def _take_on(
    app: TransferApplication,
    count: int,
    start: date,
    who: str,
    actor: Actor,
    today: date,
    note: str,
    notify: str,
) -> None:
    """The apprentices taken on: the application moves to funds used and its reservation
    follows what was taken on (fewer apprentices give some of it back)."""
    app.apprentices_taken = count
    app.actual_start = start
    cost = dom.application_cost(app.band_maximum, count, app.duration_months, start)
    app.cost_total = cost.total
    app.reserved = cost.reserved
    app.cost_shares = {str(s.year_start): money_str(s.amount) for s in cost.shares}
    apply_transition(app, "record_apprentices", who, actor, today, note, notify=notify)


def record_apprentices(
    app: TransferApplication, count: int, start: date, actor: Actor, today: date
) -> None:
    """An officer records how many apprentices were taken on and from when."""
    if count < 1:
        raise DomainError("Enter the number of apprentices taken on, 1 or more")
    if count > app.apprentices:
        raise DomainError(
            f"The offer was for {app.apprentices} apprentice(s); {count} is more than that"
        )
    dom.transition(app.status, "record_apprentices", dom.OFFICER)
    _take_on(
        app,
        count,
        start,
        dom.OFFICER,
        actor,
        today,
        f"{count} apprentice(s) from {start:%d %B %Y}",
        f"We have recorded {count} apprentice(s) for {app.reference}; payments "
        "start from their start month.",
    )


def funds_expire_on(app: TransferApplication) -> date | None:
    """The day an accepted offer's funds expire if no start is reported (None if not
    accepted)."""
    if app.status != dom.ACCEPTED:
        return None
    return dom.funds_expire_on(app.planned_start, app.accepted_on)


def report_starts(
    app: TransferApplication,
    starts: list[dom.ApprenticeStart],
    actor: Actor,
    today: date,
) -> list[TransferApprenticeStart]:
    """The business reports its apprentices' starts for an accepted offer: one or more,
    no more than were funded, each with a name, a start date and the ULN where known.
    Saved, audited, shown to officers; the application moves to funds used."""
    dom.transition(app.status, "record_apprentices", dom.APPLICANT)
    expires = dom.funds_expire_on(app.planned_start, app.accepted_on)
    earliest = app.submitted_on or app.planned_start
    clean = dom.check_starts(starts, app.apprentices, earliest, expires - timedelta(days=1))
    rows = [
        TransferApprenticeStart(
            name=s.name,
            start=s.start,
            uln=s.uln,
            reported_on=today,
            reported_by=actor.label,
        )
        for s in clean
    ]
    app.starts.extend(rows)
    first = min(s.start for s in clean if s.start is not None)
    record(
        actor,
        "transfers.starts_reported",
        "TransferApplication",
        app.reference,
        None,
        {
            "starts": [
                {"name": s.name, "start": s.start.isoformat() if s.start else None, "uln": s.uln}
                for s in clean
            ]
        },
    )
    _take_on(
        app,
        len(clean),
        first,
        dom.APPLICANT,
        actor,
        today,
        f"{len(clean)} apprentice(s) reported as started, the first on {first:%d %B %Y}",
        f"Thank you: you told us {len(clean)} apprentice(s) started for {app.reference}. "
        "Transfer payments start from the first start month.",
    )
    return rows


def applications_for(org_id: int) -> list[TransferApplication]:
    return list(
        db.session.execute(
            db.select(TransferApplication)
            .where(TransferApplication.organisation_id == org_id)
            .order_by(TransferApplication.id.desc())
        ).scalars()
    )


def all_applications(
    statuses: Iterable[str] | None = None, limit: int | None = None
) -> list[TransferApplication]:
    """Newest first, each with its business loaded in the same round trip."""
    query = (
        db.select(TransferApplication)
        .options(selectinload(TransferApplication.organisation))
        .order_by(TransferApplication.id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(TransferApplication.status.in_(list(statuses)))
    return list(db.session.execute(query).scalars())


def find_application(app_id: int) -> TransferApplication | None:
    """The application with this id, or None."""
    return db.session.get(TransferApplication, app_id)


def standards() -> list[Standard]:
    """The standards a business can apply for, by title."""
    return list(db.session.execute(db.select(Standard).order_by(Standard.title)).scalars())


def find_standard(standard_id: int | None) -> Standard | None:
    """The standard with this id, or None (also for no id)."""
    return db.session.get(Standard, standard_id) if standard_id else None
