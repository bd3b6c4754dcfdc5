"""Insight (issue 15): load rows, call ``levy.domain.insight``; the commentary is the only
write (audited, flushed, never committed). See ``docs/insight.md``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from levy.domain.accounts import Actor
from levy.domain.cohorts import Status, commitment_for
from levy.domain.commitments import Break, schedule
from levy.domain.errors import DomainError
from levy.domain.insight import quarterly as q
from levy.domain.insight.expiry_share import DirectorateExpiry, DirectorateYear, expiry_shares
from levy.domain.insight.reconcile import (
    Learner,
    Problem,
    ServiceDownload,
    expiry_problems,
    learner_problems,
    sort_problems,
)
from levy.domain.ledger import build_ledger
from levy.domain.money import ZERO, round_pence
from levy.domain.months import (
    Quarter,
    add_months,
    financial_year_starting,
    month_of,
    month_range,
)
from levy.extensions import db
from levy.models import Apprentice, ApprenticeBreak, Directorate, FundingBand, Organisation
from levy.models import DirectorateYear as DirYear
from levy.models.insight import QuarterCommentary
from levy.services import ledger as ledger_service
from levy.services import ledger_inputs
from levy.services.audit import record

DEFAULT_PAYMENT_LAG_MONTHS = 1


# --- every apprenticeship's schedule ----------------------------------------------------


@dataclass
class ApprenticeSchedule:
    id: int
    reference: str
    uln: str | None
    directorate_id: int
    status: str
    status_date: date | None
    start: date
    planned_end: date
    payments: dict[date, Decimal] = field(default_factory=dict)


def apprentice_schedules() -> list[ApprenticeSchedule]:
    """The commitment schedule of every apprenticeship (the same schedules the forecast
    uses: band-capped, paused by breaks, stopped by withdrawal), summed by month."""
    bands: dict[int, list[tuple[date, Decimal]]] = {}
    for band in db.session.execute(
        db.select(FundingBand).order_by(FundingBand.valid_from)
    ).scalars():
        bands.setdefault(band.standard_id, []).append((band.valid_from, band.maximum))
    breaks: dict[int, list[Break]] = {}
    for brk in db.session.execute(
        db.select(ApprenticeBreak).order_by(ApprenticeBreak.start)
    ).scalars():
        breaks.setdefault(brk.apprentice_id, []).append(Break(brk.start, brk.end))
    result = []
    query = (
        db.select(Apprentice)
        .where(Apprentice.programme_type == "apprenticeship")
        .order_by(Apprentice.reference)
    )
    for a in db.session.execute(query).scalars():
        start = a.actual_start or a.planned_start
        item = ApprenticeSchedule(
            a.id,
            a.reference,
            a.uln,
            a.directorate_id,
            a.status,
            a.status_date,
            start,
            a.planned_end,
        )
        if a.standard_id is not None:
            band = None
            for valid_from, maximum in bands.get(a.standard_id, []):
                if valid_from <= start:
                    band = maximum
            commitment = commitment_for(
                agreed_price=a.agreed_price,
                band_maximum=band,
                start=start,
                planned_end=a.planned_end,
                status=Status(a.status),
                status_date=a.status_date,
                breaks=breaks.get(a.id, []),
            )
            if commitment is not None:
                for payment in schedule(commitment):
                    item.payments[payment.month] = (
                        item.payments.get(payment.month, ZERO) + payment.amount
                    )
        result.append(item)
    return result


# --- §1 expiry traced to directorates ---------------------------------------------------


@dataclass(frozen=True)
class ExpiryReport:
    year: int
    funds_in: Decimal
    expired: Decimal
    rows: list[tuple[int, DirectorateExpiry]]  # (directorate id, row)

    @property
    def label(self) -> str:
        return financial_year_starting(self.year).label

    def visible(self, directorate_ids: Iterable[int] | None) -> list[DirectorateExpiry]:
        wanted = None if directorate_ids is None else set(directorate_ids)
        return [row for d, row in self.rows if wanted is None or d in wanted]

    def total(self, name: str) -> Decimal:
        return sum((getattr(row, name) for _, row in self.rows), ZERO)


def year_ledger_totals(year: int) -> tuple[Decimal, Decimal]:
    """(funds in, expired) of the ledger for April ``year`` to March ``year + 1``."""
    fy = financial_year_starting(year)
    if ledger_inputs.first_month() is None:
        return ZERO, ZERO
    ledger = ledger_service.get_ledger(month_of(fy.end))
    funds_in = expired = ZERO
    for row in ledger.months:
        if row.month in fy:
            funds_in += row.funds_in
            expired += row.expired
    return funds_in, expired


def expiry_by_directorate(year: int) -> ExpiryReport:
    if not 2000 <= year <= 2100:
        raise DomainError(f"{year} is not a financial year: give its start year, like 2020")
    fy = financial_year_starting(year)
    figures = db.session.execute(
        db.select(Directorate.id, Organisation.name, Directorate.name, DirYear.pay_bill)
        .join(Directorate, DirYear.directorate_id == Directorate.id)
        .join(Organisation, Directorate.organisation_id == Organisation.id)
        .where(DirYear.year == year, DirYear.pay_bill > 0)
    ).all()
    used: dict[int, Decimal] = {}
    for item in apprentice_schedules():
        spent = sum((v for m, v in item.payments.items() if m in fy), ZERO)
        used[item.directorate_id] = used.get(item.directorate_id, ZERO) + spent
    ids = {(org, name): d_id for d_id, org, name, _ in figures}
    funds_in, expired = year_ledger_totals(year)
    rows = expiry_shares(
        [DirectorateYear(org, name, pay, used.get(d_id, ZERO)) for d_id, org, name, pay in figures],
        funds_in,
        expired,
    )
    return ExpiryReport(
        year, funds_in, expired, [(ids[(r.organisation, r.directorate)], r) for r in rows]
    )


# --- §2 reconciliation ------------------------------------------------------------------


def payment_lag(config: Mapping[str, Any]) -> int:
    """The ``LEVY_PAYMENT_LAG_MONTHS`` setting, checked (``docs/ledger.md``)."""
    value = config.get("LEVY_PAYMENT_LAG_MONTHS", DEFAULT_PAYMENT_LAG_MONTHS)
    try:
        lag = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(
            f"LEVY_PAYMENT_LAG_MONTHS must be a whole number of months, not '{value}'"
        ) from exc
    if not 0 <= lag <= 12:
        raise DomainError(f"LEVY_PAYMENT_LAG_MONTHS must be 0 to 12, not {lag}")
    return lag


@dataclass(frozen=True)
class MonthPair:
    month: date
    funds_in: tuple[Decimal, Decimal]  # (ours, service)
    payments: tuple[Decimal, Decimal]
    transfers: tuple[Decimal, Decimal]
    expired: tuple[Decimal, Decimal]

    def as_dict(self) -> dict[str, object]:
        def pair(values: tuple[Decimal, Decimal]) -> dict[str, str]:
            return {"ours": f"{values[0]:.2f}", "service": f"{values[1]:.2f}"}

        return {
            "month": f"{self.month:%Y-%m}",
            "funds_in": pair(self.funds_in),
            "payments": pair(self.payments),
            "transfers": pair(self.transfers),
            "expired": pair(self.expired),
        }


@dataclass(frozen=True)
class Reconciliation:
    recognised: str
    lag: int
    months: list[MonthPair]
    problems: list[Problem]
    references: dict[str, int]  # apprentice reference -> id, for links

    def as_dict(self) -> dict[str, object]:
        return {
            "months": [m.as_dict() for m in self.months],
            "problems": [p.as_dict() for p in self.problems],
        }

    def by_kind(self) -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = {}
        for p in self.problems:
            out.setdefault(p.kind, []).append(p)
        return out


SERVICE_KIND = {
    "levy": "funds_in",
    "top-up": "funds_in",
    "adjustment": "funds_in",
    "payment": "payments",
    "transfer": "transfers",
}


def reconcile(parsed: ServiceDownload, lag: int = DEFAULT_PAYMENT_LAG_MONTHS) -> Reconciliation:
    """Compare the service's download with our records and ledger; writes nothing."""
    download = parsed.download
    service: dict[tuple[date, str], Decimal] = {}
    months: set[date] = set(download.expiries)
    for t in download.transactions:
        key = (t.month, SERVICE_KIND[t.type])
        service[key] = service.get(key, ZERO) + t.amount
        months.add(t.month)
    months.update(month_of(p.day) for p in parsed.payments)
    covered = list(month_range(min(months), max(months))) if months else []
    ours: dict[date, object] = {}
    computed: dict[date, Decimal] = {}
    if covered and ledger_inputs.first_month() is not None:
        last = covered[-1]
        ours = {row.month: row for row in ledger_service.get_ledger(last).months}
        # our own expiry, without the expiries recorded from the service's files
        computed = {
            row.month: row.expired
            for row in build_ledger(ledger_inputs.month_totals(last), to=last).months
        }
    rows = []
    for month in covered:
        mine = ours.get(month)

        def our(name: str, mine: object = mine) -> Decimal:
            return ZERO if mine is None else getattr(mine, name)

        rows.append(
            MonthPair(
                month,
                (our("funds_in"), round_pence(service.get((month, "funds_in"), ZERO))),
                (our("payments"), round_pence(service.get((month, "payments"), ZERO))),
                (our("transfers"), round_pence(service.get((month, "transfers"), ZERO))),
                (our("expired"), download.expiries.get(month, ZERO)),
            )
        )
    schedules = apprentice_schedules()
    learners = []
    for s in schedules:
        if s.status == Status.CANCELLED.value:
            continue
        ended = s.status if s.status in (Status.WITHDRAWN.value, Status.COMPLETED.value) else None
        learners.append(
            Learner(
                s.reference,
                s.uln,
                s.payments,
                s.start,
                s.status_date if ended and s.status_date else s.planned_end,
                ended,
                s.status_date if ended else None,
            )
        )
    problems = learner_problems(parsed.payments, learners, lag)
    problems += expiry_problems(download.expiries, computed, covered)
    return Reconciliation(
        download.description,
        lag,
        rows,
        sort_problems(problems),
        {s.reference: s.id for s in schedules},
    )


# --- §3 the quarterly report ------------------------------------------------------------

DEFINITIONS = {
    "starts": "Apprentices (not future starts) whose start date falls in the quarter. Target: "
    "the year's target starts over all directorates (2.3% of headcount, or the year's quota "
    "method) ÷ 4, rounded to whole people.",
    "on_programme": "Apprentices on programme on the quarter's last day (as the cohorts page "
    "counts them). No target.",
    "levy_used_percent": "Payments and transfers as a share of funds in over the 12 months "
    "ending with the quarter's last month. Target 100%.",
    "expired": "Levy that expired in the quarter's months. Target £0.00: green at zero, amber "
    "up to 5% of the quarter's funds in, red above. Lower is better.",
    "transferred": "Transfer payments in the quarter. Target: the year's transfer cap ÷ 4.",
    "incentives_received": "Incentive instalments recorded as received in the quarter (amount). "
    "No target.",
    "care_leaver_placements": "Care-leaver placements starting in the quarter. No target.",
}
NAMES = {
    "starts": "Apprenticeship starts",
    "on_programme": "Apprentices on programme",
    "levy_used_percent": "Levy used (12 months)",
    "expired": "Levy expired",
    "transferred": "Levy transferred",
    "incentives_received": "Incentives received",
    "care_leaver_placements": "Care-leaver placements started",
}


@dataclass(frozen=True)
class QuarterlyReport:
    quarter: Quarter
    indicators: list[q.Indicator]
    commentary: str = ""
    commentary_by: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "quarter": self.quarter.label,
            "period_start": self.quarter.start.isoformat(),
            "period_end": self.quarter.end.isoformat(),
            "indicators": [i.as_dict() for i in self.indicators],
        }


@dataclass(frozen=True)
class _Figures:
    starts: int
    on_programme: int
    levy_used: Decimal | None
    expired: Decimal
    funds_in: Decimal
    transferred: Decimal
    incentives: Decimal
    placements: int


def _quarter_figures(quarter: Quarter, ledger_rows: dict[date, object]) -> _Figures:
    from levy.models.care_leavers import Placement
    from levy.models.incentives import IncentiveInstalment
    from levy.services.cohorts import cohort

    starts = db.session.execute(
        db.select(db.func.count(Apprentice.id)).where(
            Apprentice.programme_type == "apprenticeship",
            Apprentice.status.not_in((Status.FUTURE.value, Status.CANCELLED.value)),
            Apprentice.actual_start >= quarter.start,
            Apprentice.actual_start <= quarter.end,
        )
    ).scalar_one()

    def total(name: str, months: Iterable[date]) -> Decimal:
        return sum((getattr(ledger_rows[m], name) for m in months if m in ledger_rows), ZERO)

    year_months = [add_months(quarter.last_month, -i) for i in range(12)]
    funds_12 = total("funds_in", year_months)
    spent_12 = total("payments", year_months) + total("transfers", year_months)
    levy_used = (
        (spent_12 * 100 / funds_12).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if funds_12 > 0
        else None
    )
    incentives = db.session.execute(
        db.select(db.func.coalesce(db.func.sum(IncentiveInstalment.amount), 0)).where(
            IncentiveInstalment.paid_on >= quarter.start,
            IncentiveInstalment.paid_on <= quarter.end,
        )
    ).scalar_one()
    started = db.func.coalesce(Placement.actual_start, Placement.planned_start)
    placements = db.session.execute(
        db.select(db.func.count(Placement.id)).where(
            started >= quarter.start,
            started <= quarter.end,
            db.or_(Placement.outcome.is_(None), Placement.outcome != "did not start"),
        )
    ).scalar_one()
    return _Figures(
        int(starts),
        cohort(quarter.end).on_programme,
        levy_used,
        total("expired", quarter.months),
        total("funds_in", quarter.months),
        total("transfers", quarter.months),
        round_pence(Decimal(incentives)),
        int(placements),
    )


def quarterly_report(quarter: Quarter, today: date) -> QuarterlyReport:
    from levy.services.cohorts import quotas
    from levy.services.transfers import year_allowance

    if not 2000 <= quarter.year <= 2100:
        raise DomainError(f"{quarter.key} is not a quarter this service can report on")
    previous = quarter.previous()
    rows: dict[date, object] = {}
    if ledger_inputs.first_month() is not None:
        rows = {r.month: r for r in ledger_service.get_ledger(quarter.last_month).months}
    now, before = _quarter_figures(quarter, rows), _quarter_figures(previous, rows)
    on = quarter.end
    year_target = sum((line.target_starts for line in quotas(quarter.year, today)), ZERO)
    starts_target = int((year_target / 4).quantize(Decimal(1), ROUND_HALF_UP))
    transfer_target = round_pence(year_allowance(quarter.year).cap / 4)
    hundred = Decimal("100.0")

    def ind(
        key: str,
        unit: str,
        target: q.Number | None,
        actual: q.Number | None,
        prev: q.Number | None,
        rag: str | None,
        higher: bool = True,
        places: int = 2,
    ) -> q.Indicator:
        return q.Indicator(
            key,
            NAMES[key],
            unit,
            target,
            actual,
            prev,
            rag,
            q.direction(actual, prev, higher),
            DEFINITIONS[key],
            places,
        )

    indicators = [
        ind(
            "starts",
            q.COUNT,
            starts_target,
            now.starts,
            before.starts,
            q.rag_higher_better(now.starts, starts_target, on),
        ),
        ind("on_programme", q.COUNT, None, now.on_programme, before.on_programme, None),
        ind(
            "levy_used_percent",
            q.PERCENT,
            hundred,
            now.levy_used,
            before.levy_used,
            q.rag_higher_better(now.levy_used, hundred, on),
            places=1,
        ),
        ind(
            "expired",
            q.MONEY,
            ZERO,
            now.expired,
            before.expired,
            q.rag_expired(now.expired, now.funds_in, on),
            higher=False,
        ),
        ind(
            "transferred",
            q.MONEY,
            transfer_target,
            now.transferred,
            before.transferred,
            q.rag_higher_better(now.transferred, transfer_target, on),
        ),
        ind("incentives_received", q.MONEY, None, now.incentives, before.incentives, None),
        ind("care_leaver_placements", q.COUNT, None, now.placements, before.placements, None),
    ]
    note = commentary(quarter)
    return QuarterlyReport(
        quarter, indicators, note.text if note else "", note.updated_by if note else ""
    )


def commentary(quarter: Quarter) -> QuarterCommentary | None:
    return db.session.execute(
        db.select(QuarterCommentary).where(QuarterCommentary.quarter == quarter.key)
    ).scalar_one_or_none()


MAX_COMMENTARY = 20000


def save_commentary(quarter: Quarter, text: str, actor: Actor) -> QuarterCommentary:
    """Write the officers' commentary for ``quarter``; audited when it changes."""
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > MAX_COMMENTARY:
        raise DomainError(
            f"The commentary must be {MAX_COMMENTARY:,} characters or fewer", field="text"
        )
    note = commentary(quarter)
    before = None if note is None else {"text": note.text}
    if note is None:
        note = QuarterCommentary(quarter=quarter.key, text="")
        db.session.add(note)
    if before is not None and before["text"] == text:
        return note
    note.text = text
    note.updated_by = actor.label
    db.session.flush()
    record(
        actor,
        "report.commentary.saved",
        "quarter_commentary",
        note.id,
        before,
        {"quarter": quarter.key, "text": text},
    )
    return note


def assign_ulns(ulns: dict[str, str], actor: Actor) -> int:
    """Give the apprentices named by reference their ULN where they have none (a ULN
    already on another record is skipped); audited; returns how many were set."""
    held = set(
        db.session.execute(db.select(Apprentice.uln).where(Apprentice.uln.is_not(None))).scalars()
    )
    changed = 0
    query = db.select(Apprentice).where(Apprentice.reference.in_(list(ulns)))
    for apprentice in db.session.execute(query.order_by(Apprentice.reference)).scalars():
        uln = ulns[apprentice.reference]
        if apprentice.uln is not None or uln in held:
            continue
        apprentice.uln = uln
        held.add(uln)
        changed += 1
        record(
            actor, "apprentice.updated", "Apprentice", apprentice.id, {"uln": None}, {"uln": uln}
        )
    db.session.flush()
    return changed
