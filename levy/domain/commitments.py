"""The payments an apprenticeship commits the levy account to (docs/rules.md §3).

* The agreed price is capped at the standard's funding band maximum; the
  excess is the employer's own cost, outside the levy.
* 20% of the capped price (rounded half-up to the penny) is the completion
  payment, due in the planned end month.
* The other 80% is paid in equal monthly instalments, one for each month-end
  from the start date to the planned end date inclusive, each rounded half-up
  to the penny, the last one taking the remainder.
* An instalment is earned only when the apprentice is in learning on the last
  day of the month: a month-end inside a break is skipped and the plan moves
  on by one month, so the instalments and the completion payment resume after
  the break (the planned end moves back by the months missed). An open break
  pauses everything after it.
* A withdrawal stops instalments after the withdrawal date and there is no
  completion payment; leaving within the 42-day qualifying period (which
  restarts after a break) means nothing was ever due.
* Completing early pays the completion payment and the instalments not yet
  paid (a balancing payment) in the completion month.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from levy.domain.money import ZERO, round_pence
from levy.domain.rules import RULES, RuleBook


@dataclass(frozen=True)
class Break:
    start: date
    end: date | None  # None while the break is open

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ScheduledPayment:
    month: date  # first of the month the payment leaves the account
    amount: Decimal
    kind: str  # "instalment", "completion" or "balancing"


@dataclass(frozen=True)
class Commitment:
    """What one apprenticeship is expected to cost the levy account."""

    agreed_price: Decimal
    band_maximum: Decimal | None
    start: date
    planned_end: date
    breaks: Sequence[Break] = ()
    withdrawn_on: date | None = None
    completed_on: date | None = None

    @property
    def capped_price(self) -> Decimal:
        if self.band_maximum is None:
            return self.agreed_price
        return min(self.agreed_price, self.band_maximum)

    @property
    def excess(self) -> Decimal:
        """The part of the price above the band: the organisation's own cost."""
        return max(ZERO, self.agreed_price - self.capped_price)


#: Schedules stop here: a stored planned end beyond it (an old ``9999-12-31``) is read as
#: this, so forecasts and pages still work (``levy.domain.fields.PROGRAMME_DATES``).
LAST_PLANNED_END = date(2100, 12, 31)

_BASE_YEAR, _LAST_YEAR = 1900, 2200
_BASE = _BASE_YEAR * 12
_ENDS: list[date] = []  # filled on first use, not at import: commands that never
_FIRSTS: list[date] = []  # schedule anything start without building 7,200 dates


def _fill_month_tables() -> None:
    """Fill both tables, each in one slice assignment (one step under the GIL): a thread
    reading meanwhile sees an empty table (and fills it the same) or a whole one."""
    years = range(_BASE_YEAR, _LAST_YEAR)
    _ENDS[:] = [date(y, m, monthrange(y, m)[1]) for y in years for m in range(1, 13)]
    _FIRSTS[:] = [date(y, m, 1) for y in years for m in range(1, 13)]


def _end_of(index: int) -> date:
    """Last day of month ``index`` (year × 12 + month − 1), from a table: schedules walk
    hundreds of thousands of month-ends."""
    if 0 <= index - _BASE < len(_ENDS):
        return _ENDS[index - _BASE]
    if not _ENDS:
        _fill_month_tables()
        return _end_of(index)
    year, month = divmod(index, 12)
    return date(year, month + 1, monthrange(year, month + 1)[1])


def _first_of(index: int) -> date:
    if 0 <= index - _BASE < len(_FIRSTS):
        return _FIRSTS[index - _BASE]
    if not _FIRSTS:
        _fill_month_tables()
        return _first_of(index)
    return date(index // 12, index % 12 + 1, 1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def planned_month_ends(start: date, planned_end: date) -> list[date]:
    """Each month-end from the start date to the planned end date, inclusive."""
    ends: list[date] = []
    planned_end = min(planned_end, LAST_PLANNED_END)
    index, last = _month_index(min(start, LAST_PLANNED_END)), _month_index(planned_end)
    while index <= last:
        current = _end_of(index)
        if current > planned_end:
            break
        ends.append(current)
        index += 1
    return ends


def count_month_ends(start: date, planned_end: date) -> int:
    """``len(planned_month_ends(start, planned_end))`` without the list."""
    last = _month_index(planned_end)
    count = last - _month_index(start) + (1 if _end_of(last) == planned_end else 0)
    return max(0, count)


def last_payment_month(commitment: Commitment) -> date | None:
    """No payment of a commitment without breaks falls after its planned end month
    (completing early or withdrawing only brings payments forward); None: with
    breaks, the plan moves back by the months on break."""
    if commitment.breaks:
        return None
    return _first_of(_month_index(commitment.planned_end))


def first_payment_month(commitment: Commitment) -> date:
    """No payment of a commitment falls before this month."""
    c = commitment
    earliest = min(c.start, c.planned_end, c.completed_on or c.start)
    return _first_of(_month_index(earliest))


def split_price(
    capped_price: Decimal, instalments: int, on: date, rules: RuleBook = RULES
) -> tuple[list[Decimal], Decimal]:
    """Instalment amounts and the completion payment for a capped price."""
    share = rules.value("payments.completion_share", on)
    completion = round_pence(capped_price * share)
    monthly_total = capped_price - completion
    if instalments <= 0:
        return [], completion + monthly_total
    each = round_pence(monthly_total / instalments)
    amounts = [each] * (instalments - 1)
    amounts.append(monthly_total - each * (instalments - 1))
    return amounts, completion


def qualifying_period_end(start: date, breaks: Sequence[Break], rules: RuleBook = RULES) -> date:
    """Last day of the 42-day qualifying period, restarted after each break that
    begins inside it."""
    days = rules.value("payments.qualifying_days", start)
    period_start = start
    for brk in sorted(breaks, key=lambda b: b.start):
        if brk.start <= period_start + timedelta(days=days - 1) and brk.end is not None:
            period_start = brk.end + timedelta(days=1)
    return period_start + timedelta(days=days - 1)


def schedule(commitment: Commitment, rules: RuleBook = RULES) -> list[ScheduledPayment]:
    """The payments the apprenticeship makes, month by month."""
    return [ScheduledPayment(*row) for row in schedule_rows(commitment, rules)]


def schedule_rows(
    commitment: Commitment, rules: RuleBook = RULES
) -> list[tuple[date, Decimal, str]]:
    """:func:`schedule` as plain ``(month, amount, kind)`` tuples: the forecast walks
    tens of thousands of schedules, so months are counted as integers here."""
    c = commitment
    if c.planned_end > LAST_PLANNED_END or c.start > LAST_PLANNED_END:
        c = replace(
            c,
            start=min(c.start, LAST_PLANNED_END),
            planned_end=min(c.planned_end, LAST_PLANNED_END),
        )
    amounts, completion = split_price(
        c.capped_price, count_month_ends(c.start, c.planned_end), c.start, rules
    )
    stop = c.withdrawn_on or c.completed_on
    if c.withdrawn_on is not None and c.withdrawn_on <= qualifying_period_end(
        c.start, c.breaks, rules
    ):
        return []

    payments: list[tuple[date, Decimal, str]] = []
    count, paid = len(amounts), 0  # amounts[paid:] are still due
    skipped = 0  # month-ends spent on a break push the plan back a month each
    index = _month_index(c.start)
    current = _end_of(index)
    plan_end = month_end_fast(c.planned_end)
    breaks = c.breaks
    while paid < count or current <= plan_end:
        if stop is not None and current > stop:
            break
        on_break = [b for b in breaks if b.covers(current)] if breaks else ()
        if on_break and any(b.end is None for b in on_break):
            return payments  # an open break: nothing more can be planned
        if on_break:
            skipped += 1
        elif paid < count:
            payments.append((_first_of(index), amounts[paid], "instalment"))
            paid += 1
        index += 1
        current = _end_of(index)
        if paid >= count and current > plan_end:
            break
    if c.withdrawn_on is not None:
        return payments
    if c.completed_on is not None and c.completed_on < c.planned_end:
        month = _first_of(_month_index(c.completed_on))
        if paid < count:
            payments.append((month, sum(amounts[paid:], ZERO), "balancing"))
        payments.append((month, completion, "completion"))
        return payments
    end_index = _month_index(c.planned_end) + skipped
    payments.append((_first_of(end_index), completion, "completion"))
    return payments


def month_end_fast(day: date) -> date:
    """``months.month_end`` through the cache."""
    return _end_of(_month_index(day))
