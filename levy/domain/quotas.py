"""Directorate quotas and the public-sector target (docs/rules.md §1, §6; issue 5 item 10).

* **Headcount method** (default): a directorate's fair share of starts in a
  financial year is the public-sector rate (``target.public_sector_rate``,
  2.3% from 1 Apr 2017, SI 2017/513) × its headcount.
* **Pay-bill method**: the council's total target (rate × total headcount) ×
  the directorate's share of the pay bill (its share of levy contributed).
  Finance chooses the method per year.
* **RAG**: starts so far against the target pro rata to the days of the year
  elapsed: green at or above it, amber at 75% or more, red below.
* **Public-sector target report**: starts in the year ÷ headcount at the start
  of the year, by organisation, against the rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

from levy.domain.errors import DomainError
from levy.domain.months import Year, financial_year_starting
from levy.domain.rules import RULES, RuleBook

TWO_PLACES = Decimal("0.01")
AMBER_SHARE = Decimal("0.75")


class QuotaError(DomainError):
    """Figures a quota cannot be worked out from."""


class QuotaMethod(StrEnum):
    HEADCOUNT = "headcount"
    PAY_BILL = "pay bill"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def _two(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def public_sector_rate(year_start: date, rules: RuleBook = RULES) -> Decimal:
    return rules.value("target.public_sector_rate", year_start)


@dataclass(frozen=True)
class DirectorateFigures:
    organisation: str
    directorate: str
    headcount: int
    pay_bill: Decimal = Decimal(0)


def headcount_share(headcount: int, year_start: date, rules: RuleBook = RULES) -> Decimal:
    """2.3% × headcount, two decimals (headcount 1,000 → 23.00)."""
    return _two(public_sector_rate(year_start, rules) * headcount)


def pay_bill_share(
    council_target: Decimal, pay_bill: Decimal, council_pay_bill: Decimal
) -> Decimal:
    """The council's target × this directorate's share of the pay bill, two decimals."""
    if council_pay_bill <= 0:
        raise QuotaError("The council's pay bill must be more than £0 to share the target by it.")
    return _two(council_target * pay_bill / council_pay_bill)


def directorate_targets(
    figures: Sequence[DirectorateFigures],
    year: int,
    method: QuotaMethod = QuotaMethod.HEADCOUNT,
    rules: RuleBook = RULES,
) -> dict[tuple[str, str], Decimal]:
    """Target starts per (organisation, directorate), financial year from 1 April ``year``."""
    year_start = financial_year_starting(year).start
    if method is QuotaMethod.HEADCOUNT:
        return {
            (f.organisation, f.directorate): headcount_share(f.headcount, year_start, rules)
            for f in figures
        }
    rate = public_sector_rate(year_start, rules)
    council_target = rate * sum(f.headcount for f in figures)
    council_pay_bill = sum((f.pay_bill for f in figures), Decimal(0))
    return {
        (f.organisation, f.directorate): pay_bill_share(
            council_target, f.pay_bill, council_pay_bill
        )
        for f in figures
    }


def elapsed_share(year: Year, as_of: date) -> Decimal:
    """The fraction of the year's days passed by the end of ``as_of`` (0 to 1)."""
    if as_of < year.start:
        return Decimal(0)
    if as_of >= year.end:
        return Decimal(1)
    total = (year.end - year.start).days + 1
    return Decimal((as_of - year.start).days + 1) / Decimal(total)


def rag_status(target: Decimal, starts: int, year: Year, as_of: date) -> Rag:
    """Green when starts reach the pro-rata target, amber from 75% of it, red below."""
    expected = target * elapsed_share(year, as_of)
    if expected <= 0 or starts >= expected:
        return Rag.GREEN
    if starts >= expected * AMBER_SHARE:
        return Rag.AMBER
    return Rag.RED


def whole_people(value: Decimal) -> int:
    """A target in whole people for display (24.15 → 24, 24.5 → 25); sums keep the exact figure."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _starts_needed(value: Decimal) -> int:
    """The fewest whole starts that reach ``value`` (24.15 → 25, 24 → 24)."""
    return int(value.to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class RagReading:
    """The RAG of one quota with the figures that explain it.

    ``expected`` is the target pro rata to the days passed; green needs ``green_from``
    starts (reaching ``expected``), amber ``amber_from`` (75% of it); below that is red.
    ``short_so_far`` is how many starts are missing for green today, ``short_of_year``
    how many more the year's whole target needs."""

    rag: Rag
    target: Decimal
    expected: Decimal
    share_of_year: Decimal
    green_from: int
    amber_from: int
    starts: int

    @property
    def short_so_far(self) -> int:
        return max(0, self.green_from - self.starts)

    @property
    def short_of_year(self) -> int:
        return max(0, _starts_needed(self.target) - self.starts)

    @property
    def target_people(self) -> int:
        return whole_people(self.target)


def _starts(n: int) -> str:
    return f"{n} start" if n == 1 else f"{n} starts"


def shortfall_text(reading: RagReading) -> str:
    """ "6 starts short of the target so far", or that the target so far is met."""
    if reading.short_so_far:
        return f"{_starts(reading.short_so_far)} short of the target so far"
    if reading.short_of_year:
        more = reading.short_of_year
        return (
            f"on target so far; {more} more start{'s' if more != 1 else ''} for the year's target"
        )
    return "the year's target is met"


def rag_rule_text(reading: RagReading) -> str:
    """The RAG rule in words with this quota's numbers."""
    share = (reading.share_of_year * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (
        f"{share}% of the year has passed, so the target so far is {_two(reading.expected)} "
        f"starts ({share}% of {reading.target}). Green: {reading.green_from} starts or more "
        f"(the target so far reached). Amber: {reading.amber_from} or more (at least 75% of it). "
        f"Red: fewer than {reading.amber_from}."
    )


def rag_reading(target: Decimal, starts: int, year: Year, as_of: date) -> RagReading:
    """``rag_status`` with its thresholds in whole starts (same rule, same answer)."""
    share = elapsed_share(year, as_of)
    expected = target * share
    return RagReading(
        rag_status(target, starts, year, as_of),
        target,
        expected,
        share,
        _starts_needed(expected),
        _starts_needed(expected * AMBER_SHARE),
        starts,
    )


@dataclass(frozen=True)
class TargetLine:
    """One organisation's line in the public-sector target report."""

    organisation: str
    headcount: int
    starts: int
    rate: Decimal | None  # starts ÷ headcount, four decimals (0.0230 = 2.30%)
    target_rate: Decimal
    target_starts: Decimal

    @property
    def met(self) -> bool:
        return self.rate is not None and self.rate >= self.target_rate


def public_sector_report(
    headcounts: dict[str, int],
    starts: Iterable[tuple[str, date]],
    year: int,
    rules: RuleBook = RULES,
) -> list[TargetLine]:
    """Starts in the financial year ÷ headcount at its start, by organisation.

    ``starts`` is (organisation, start date) for every actual start; those outside
    the year are ignored."""
    fy = financial_year_starting(year)
    rate = public_sector_rate(fy.start, rules)
    counted: dict[str, int] = dict.fromkeys(headcounts, 0)
    for organisation, started in starts:
        if started in fy:
            counted[organisation] = counted.get(organisation, 0) + 1
    lines = []
    for organisation in sorted(counted):
        heads = headcounts.get(organisation, 0)
        achieved = (
            (Decimal(counted[organisation]) / heads).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
            if heads
            else None
        )
        lines.append(
            TargetLine(
                organisation, heads, counted[organisation], achieved, rate, _two(rate * heads)
            )
        )
    return lines
