"""One apprentice's record page: warnings, the levy commitment and its payments, incentive
schemes, and the dated timeline of all of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from levy.domain import incentives as inc
from levy.domain.cohorts import Status, age_at_start, commitment_for
from levy.domain.commitments import Commitment, ScheduledPayment, schedule
from levy.domain.money import format_money
from levy.domain.months import format_day, month_end
from levy.domain.programme_checks import ProgrammePlan, ProgrammeWarning, programme_warnings
from levy.models import Apprentice
from levy.services import incentives as incentive_service
from levy.services.cohorts.apprentices import apprentice_breaks


def plan_for(
    apprentice: Apprentice, band: Decimal | None, level: int | None, otj_minimum: int | None
) -> ProgrammePlan:
    return ProgrammePlan(
        start=apprentice.actual_start or apprentice.planned_start,
        planned_end=apprentice.planned_end,
        level=level or 0,
        date_of_birth=apprentice.date_of_birth,
        agreed_price=apprentice.agreed_price,
        band_maximum=band,
        weekly_hours=None if apprentice.weekly_hours is None else Decimal(apprentice.weekly_hours),
        otj_hours_planned=None
        if apprentice.otj_hours_planned is None
        else Decimal(apprentice.otj_hours_planned),
        standard_otj_minimum=None if otj_minimum is None else Decimal(otj_minimum),
        care_leaver=apprentice.care_leaver,
        ehc_plan=apprentice.ehc_plan,
    )


def warnings_for(apprentice: Apprentice) -> list[ProgrammeWarning]:
    standard = apprentice.standard
    if standard is None:
        return []
    start = apprentice.actual_start or apprentice.planned_start
    return programme_warnings(
        plan_for(apprentice, standard.band_on(start), standard.level, standard.otj_minimum_hours)
    )


def commitment_of(apprentice: Apprentice) -> Commitment | None:
    """One apprentice's commitment (band-capped, paused by breaks, stopped by withdrawal),
    or None without a standard or for a cancelled start; read-only."""
    if apprentice.standard is None:
        return None
    start = apprentice.actual_start or apprentice.planned_start
    return commitment_for(
        agreed_price=apprentice.agreed_price,
        band_maximum=apprentice.standard.band_on(start),
        start=start,
        planned_end=apprentice.planned_end,
        status=Status(apprentice.status),
        status_date=apprentice.status_date,
        breaks=apprentice_breaks(apprentice),
    )


@dataclass(frozen=True)
class Event:
    """One dated, labelled line of the record's timeline."""

    on: date
    kind: str  # "status", "break", "levy payment" or "incentive"
    title: str
    text: str = ""
    by: str = ""


KIND_ORDER = {"status": 0, "break": 1, "levy payment": 2, "incentive": 3}
PAYMENT_KINDS = {
    "instalment": "monthly instalment",
    "completion": "completion payment",
    "balancing": "balancing payment",
}


def incentive_events(
    apprentice: Apprentice, records: Sequence[inc.SchemeRecord], today: date
) -> list[Event]:
    """Instalments that fell due, were paid or were forfeited, up to ``today``."""
    events: list[Event] = []
    ended = incentive_service.as_domain(apprentice).ended_on
    for r in records:
        name = inc.SCHEME_NAMES[r.scheme]
        for i in r.instalments:
            what = f"{name}, instalment {i.number}"
            if i.due_date is not None and i.due_date <= today and i.status != inc.FORFEITED:
                events.append(
                    Event(
                        i.due_date,
                        "incentive",
                        f"Incentive due: {what}",
                        f"{format_money(i.amount)} after {i.days} days in learning",
                    )
                )
            if i.payment is not None:
                events.append(
                    Event(
                        i.payment.paid_on,
                        "incentive",
                        f"Incentive paid: {what}",
                        f"{format_money(i.payment.amount)} received",
                    )
                )
            elif i.status == inc.FORFEITED and ended is not None:
                events.append(
                    Event(
                        ended,
                        "incentive",
                        f"Incentive forfeited: {what}",
                        f"{format_money(i.amount)}: {i.forfeit_reason}",
                    )
                )
    return events


def timeline_events(
    apprentice: Apprentice,
    schedule: Sequence[ScheduledPayment],
    incentives: Sequence[inc.SchemeRecord],
    today: date,
) -> list[Event]:
    """Status changes, breaks (start and end), levy payments up to ``today`` (each at its
    month-end) and incentive instalments (due, paid, forfeited), oldest first."""
    events: list[Event] = []
    for change in apprentice.status_history:
        events.append(
            Event(
                change.on,
                "status",
                (
                    f"Status: {change.from_status} → {change.to_status}"
                    if change.from_status
                    else f"Recorded as {change.to_status}"
                ),
                change.reason,
                change.recorded_by,
            )
        )
    for brk in apprentice.breaks:
        events.append(Event(brk.start, "break", "Break in learning started"))
        if brk.end is not None:
            events.append(Event(brk.end, "break", "Break in learning ended"))
    for payment in schedule:
        paid_on = month_end(payment.month)
        if paid_on <= today:
            events.append(
                Event(
                    paid_on,
                    "levy payment",
                    f"Levy payment: {PAYMENT_KINDS.get(payment.kind, payment.kind)}",
                    f"{format_money(payment.amount)} for {payment.month:%B %Y}",
                )
            )
    events.extend(incentive_events(apprentice, incentives, today))
    events.sort(key=lambda e: (e.on, KIND_ORDER[e.kind]))
    return events


def incentive_records(apprentice: Apprentice, today: date) -> tuple[inc.SchemeRecord, ...]:
    """The apprentice's incentive schemes on ``today`` (the incentives area's own records)."""
    (item,) = incentive_service.schemes_for([apprentice], today)
    return tuple(item.records)


def apprentice_timeline(
    apprentice: Apprentice, today: date, *, with_incentives: bool = True
) -> list[Event]:
    """The record's timeline on ``today``; incentive lines only ``with_incentives``."""
    return record_page(apprentice, today, with_incentives=with_incentives).timeline


@dataclass
class RecordPage:
    """What the apprentice's record page shows; ``incentives`` is None for a reader who
    may not see incentives."""

    start: date
    age: int
    warnings: list[ProgrammeWarning]
    commitment: Commitment | None
    schedule: list[ScheduledPayment]
    incentives: tuple[inc.SchemeRecord, ...] | None
    timeline: list[Event]
    payments_note: str = ""


def payments_note(apprentice: Apprentice, payments: Sequence[ScheduledPayment]) -> str:
    """A sentence on why the payments look as they do: paused by a break, none due."""
    status = Status(apprentice.status)
    open_break = next((b for b in apprentice.breaks if b.end is None), None)
    if open_break is not None:
        return (
            f"Payments are paused during the break in learning that started on "
            f"{format_day(open_break.start)}. They resume after it, when the apprentice returns: "
            f"the remaining monthly payments move back by the months spent on the break."
        )
    if not payments:
        if status is Status.CANCELLED:
            return "No payments are due: the planned start was cancelled."
        if status is Status.WITHDRAWN:
            return (
                "No payments are due: the apprentice withdrew within the 42-day qualifying "
                "period, so no funding was earned."
            )
        return "No payments are due."
    closed = [b for b in apprentice.breaks if b.end is not None]
    if closed:
        spans = ", ".join(f"{format_day(b.start)} to {format_day(b.end)}" for b in closed)
        return (
            f"Payments were paused during the break in learning ({spans}) and resumed after "
            f"it; the later payments moved back by the months spent on the break."
        )
    return ""


def record_page(apprentice: Apprentice, today: date, *, with_incentives: bool) -> RecordPage:
    start = apprentice.actual_start or apprentice.planned_start
    commitment = commitment_of(apprentice)
    payments = schedule(commitment) if commitment else []
    incentives = incentive_records(apprentice, today) if with_incentives else None
    return RecordPage(
        start=start,
        age=age_at_start(apprentice.date_of_birth, start),
        warnings=warnings_for(apprentice),
        commitment=commitment,
        schedule=payments,
        incentives=incentives,
        timeline=timeline_events(apprentice, payments, incentives or (), today),
        payments_note=payments_note(apprentice, payments),
    )
