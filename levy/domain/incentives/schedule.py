"""Due dates (days in learning, breaks not counted) and each scheme's instalments, with
recording a payment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from levy.domain.commitments import Break
from levy.domain.incentives.base import (
    APPLIED,
    DUE,
    FORFEITED,
    INSTALMENT_MOVES,
    NOT_YET_DUE,
    PAID,
    IncentiveApprentice,
    IncentiveError,
    PaymentRefused,
    check_move,
    day_text,
)
from levy.domain.incentives.eligibility import Eligibility
from levy.domain.money import ZERO, round_pence

# --- due dates ----------------------------------------------------------------------


def _closed_breaks(
    start: date, breaks: Iterable[Break], open_until: date | None
) -> list[tuple[date, date]]:
    """Breaks clipped to the start date, open ones run to ``open_until``, overlaps merged."""
    spans: list[tuple[date, date]] = []
    for brk in breaks:
        end = brk.end if brk.end is not None else open_until
        if end is None:
            raise IncentiveError(
                f"the break from {day_text(brk.start)} is still open: give the date to count to"
            )
        first = max(brk.start, start)
        if end < first:
            continue
        spans.append((first, end))
    spans.sort()
    merged: list[tuple[date, date]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def due_date(
    start: date, days: int, breaks: Iterable[Break] = (), open_until: date | None = None
) -> date:
    """The day the apprentice completes ``days`` days in learning (issue 7 rule 2).

    Day 1 is ``start``; with no break the answer is ``start + days - 1``. Each break that
    begins before the due date worked out so far pushes it back by the break's length in
    days, first and last days included. An open break counts as running to
    ``open_until`` (the as-of date: the earliest the apprentice could be back).
    """
    if days < 1:
        raise ValueError("an instalment falls due after at least 1 day in learning")
    due = start + timedelta(days=days - 1)
    for first, last in _closed_breaks(start, breaks, open_until):
        if first <= due:
            due += timedelta(days=(last - first).days + 1)
    return due


# --- instalments --------------------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    """A payment received for one instalment."""

    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class Instalment:
    """One instalment of one scheme, with its status on the as-of date."""

    scheme: str
    number: int  # 1, 2, 3
    days: int  # due after this many days in learning
    amount: Decimal
    due_date: date | None  # None when forfeited before it could be reached
    status: str
    payment: Payment | None = None
    forfeit_reason: str = ""
    moved_by: int = 0  # days the due date moved because of breaks in learning

    @property
    def label(self) -> str:
        return f"instalment {self.number} of {self.scheme}"

    @property
    def received(self) -> Decimal:
        return self.payment.amount if self.payment else ZERO


def instalments(
    a: IncentiveApprentice,
    e: Eligibility,
    payments: Mapping[int, Payment] | None = None,
    as_of: date | None = None,
) -> list[Instalment]:
    """The scheme's instalments for ``a`` with their due dates and statuses on ``as_of``.

    A recorded payment makes an instalment ``paid``; otherwise it is ``forfeited`` when the
    apprentice completed, withdrew or left employment before its due date, ``due`` once the
    due date is reached, and ``not yet due`` before. Ineligible schemes have none.
    """
    if not e.eligible:
        return []
    payments = payments or {}
    today = as_of or date.max
    ended = a.ended_on
    if ended is not None and ended > today:
        ended = None  # not yet happened on the as-of date
    open_until = ended if ended is not None else as_of
    result: list[Instalment] = []
    for number, (days, amount) in enumerate(zip(e.days, e.amounts, strict=True), start=1):
        payment = payments.get(number)
        try:
            due: date | None = due_date(a.apprenticeship_start, days, a.breaks, open_until)
        except IncentiveError:
            due = None  # open break and no as-of date: not yet known
        moved = (due - a.apprenticeship_start).days - (days - 1) if due is not None else 0
        if payment is not None:
            result.append(
                Instalment(e.scheme, number, days, amount, due, PAID, payment, moved_by=moved)
            )
            continue
        if ended is not None and (due is None or ended < due):
            reason = f"{a.end_reason} on {day_text(ended)}, before day {days}"
            result.append(
                Instalment(e.scheme, number, days, amount, None, FORFEITED, forfeit_reason=reason)
            )
            continue
        status = DUE if due is not None and today >= due else NOT_YET_DUE
        result.append(Instalment(e.scheme, number, days, amount, due, status, moved_by=moved))
    return result


def mark_paid(
    instalment: Instalment,
    application: str,
    on: date,
    amount: Decimal,
    as_of: date | None = None,
) -> Payment:
    """Record a payment (``due -> paid``) or refuse it with a reason a person can act on."""
    what = instalment.label
    if instalment.status == PAID:
        assert instalment.payment is not None
        raise PaymentRefused(
            f"{what} was already recorded as paid on {day_text(instalment.payment.paid_on)}"
        )
    if instalment.status == FORFEITED:
        raise PaymentRefused(f"{what} was forfeited: the apprentice {instalment.forfeit_reason}")
    if application != APPLIED:
        raise PaymentRefused(
            f"record the application for {instalment.scheme} before a payment "
            f"(the application is {application})"
        )
    if instalment.status == NOT_YET_DUE:
        when = (
            f"until {day_text(instalment.due_date)}"
            if instalment.due_date
            else "while a break in learning is open"
        )
        raise PaymentRefused(f"{what} is not due {when}")
    assert instalment.due_date is not None
    if on < instalment.due_date:
        raise PaymentRefused(
            f"{what} fell due on {day_text(instalment.due_date)}: it cannot have been paid "
            f"on {day_text(on)}"
        )
    if as_of is not None and on > as_of:
        raise PaymentRefused(f"the payment date {day_text(on)} is in the future")
    amount = Decimal(amount)
    if amount <= ZERO:
        raise PaymentRefused("enter the amount received: more than £0.00")
    if amount != round_pence(amount):
        raise PaymentRefused(f"{amount} has more than 2 decimal places")
    check_move(INSTALMENT_MOVES, instalment.status, PAID, what)
    return Payment(paid_on=on, amount=amount)
