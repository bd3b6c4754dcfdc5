"""What an application costs the council and how the cost falls across financial years
(issue 6 §3; docs/transfers.md "Cost of an application")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from levy.domain.money import ZERO, round_pence
from levy.domain.months import (
    add_months,
    financial_year,
)
from levy.domain.rules import RULES, RuleBook
from levy.domain.transfers.errors import TransferError


@dataclass(frozen=True)
class YearShare:
    """The part of an application's cost that falls in one financial year."""

    year_start: int
    amount: Decimal


COURSE_YEAR_MONTHS = 12


@dataclass(frozen=True)
class Cost:
    """What an application costs the council, by financial year.

    ``reserved`` is what approval reserves against the start year's allowance.
    """

    total: Decimal
    shares: tuple[YearShare, ...]

    @property
    def reserved(self) -> Decimal:
        return self.shares[0].amount

    def share_in(self, year_start: int) -> Decimal:
        return sum((s.amount for s in self.shares if s.year_start == year_start), ZERO)


def application_cost(
    band_maximum: Decimal,
    apprentices: int,
    duration_months: int,
    start: date,
    rules: RuleBook = RULES,
) -> Cost:
    """The cost reserved on approval and its later years' shares.

    * 12 months or less: band maximum × apprentices, all in the start's year.
    * Longer: the 80% (band maximum × apprentices × 0.8) spread evenly over the
      months; each course year of 12 months takes its months' share, in the
      financial year that course year begins; the first year's share is
      ``80% ÷ months × 12``. The 20% completion payment falls in the last
      course year (so the council never promises money it has not reserved).
    Shares are rounded half-up to the penny; the last takes the remainder, so
    they always add up to the total.
    """
    if apprentices < 1:
        raise TransferError("An application must be for at least one apprentice.")
    if duration_months < 1:
        raise TransferError("The course must last at least one month.")
    total = round_pence(band_maximum * apprentices)
    if duration_months <= COURSE_YEAR_MONTHS:
        return Cost(total, (YearShare(financial_year(start).start.year, total),))
    completion_share = rules.value("payments.completion_share", start)
    monthly_part = total * (1 - completion_share)
    amounts: list[tuple[int, Decimal]] = []
    months_left = duration_months
    course_year = 0
    while months_left > 0:
        months = min(COURSE_YEAR_MONTHS, months_left)
        year_start = financial_year(add_months(start, COURSE_YEAR_MONTHS * course_year)).start.year
        amounts.append((year_start, round_pence(monthly_part / duration_months * months)))
        months_left -= months
        course_year += 1
    last_year, _ = amounts[-1]
    amounts[-1] = (last_year, total - sum((a for _, a in amounts[:-1]), ZERO))
    merged: dict[int, Decimal] = {}
    for year_start, amount in amounts:
        merged[year_start] = merged.get(year_start, ZERO) + amount
    return Cost(total, tuple(YearShare(y, a) for y, a in merged.items()))
