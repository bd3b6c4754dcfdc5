"""Levy from pay bill, and the funds it puts in the account (docs/rules.md §2, issue 4 rule 2).

* Levy = 0.5% of the pay bill less the allowance. The £15,000 allowance accrues
  £1,250 per tax month; allowance not used in a month is carried forward to the
  later months of the **same tax year only** (HMRC ALM: the levy is worked out
  cumulatively over the tax year). Connected employers share one allowance by a
  fixed share.
* So the levy due to date in a tax year is ``max(0, 0.5% × pay bill to date −
  allowance to date)`` and a month's levy is that less what earlier months of
  the year declared. It can be negative when the pay bill falls (a downward
  adjustment, as a real declaration can be).
* Funds in = levy × English fraction × (1 + top-up rate). The top-up rate is
  looked up for the month the funds enter the account (the month after the
  payroll month), 10% before the change date and 0% from it.

Payroll months are given as the first of the calendar month in which the tax
month starts (April = tax month 1: 6 April to 5 May).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from levy.domain.money import ZERO, round_pence
from levy.domain.months import add_months, month_of, tax_year
from levy.domain.rules import RULES, RuleBook


class LevyCalcError(ValueError):
    """Pay bill input the calculator cannot use."""


@dataclass(frozen=True)
class LevyMonth:
    payroll_month: date
    entry_month: date  # when the funds reach the account
    pay_bill: Decimal
    allowance_to_date: Decimal
    levy: Decimal
    english_fraction: Decimal
    top_up: Decimal
    funds_in: Decimal


def tax_month_index(payroll_month: date) -> int:
    """1 for April ... 12 for March."""
    return (payroll_month.month - 4) % 12 + 1


def funds_in_for_levy(
    levy: Decimal,
    entry_month: date,
    english_fraction: Decimal = Decimal(1),
    rules: RuleBook = RULES,
) -> tuple[Decimal, Decimal]:
    """(English levy, top-up), each rounded half-up to the penny."""
    english = round_pence(levy * english_fraction)
    rate = rules.value("levy.top_up_rate", entry_month)
    return english, round_pence(english * rate)


def levy_by_month(
    pay_bills: Iterable[tuple[date, Decimal]],
    allowance_share: Decimal = Decimal(1),
    english_fraction: Decimal = Decimal(1),
    rules: RuleBook = RULES,
) -> list[LevyMonth]:
    """Levy and funds in for each payroll month given (issue 4 rule 2).

    Months missing from a tax year count as a zero pay bill (their allowance
    still accrues and carries forward within the year).
    """
    if not Decimal(0) <= allowance_share <= Decimal(1):
        raise LevyCalcError("The allowance share must be between 0 and 1")
    if not Decimal(0) <= english_fraction <= Decimal(1):
        raise LevyCalcError("The English percentage must be between 0% and 100%")
    bills: dict[date, Decimal] = {}
    for month, amount in pay_bills:
        bills[month_of(month)] = bills.get(month_of(month), ZERO) + Decimal(amount)
    out: list[LevyMonth] = []
    year_start: date | None = None
    bill_to_date = ZERO
    declared = ZERO
    for month in sorted(bills):
        start = month_of(tax_year(month.replace(day=6)).start)
        if start != year_start:
            year_start, bill_to_date, declared = start, ZERO, ZERO
        bill_to_date += bills[month]
        rate = rules.value("levy.rate", month.replace(day=6))
        per_month = rules.value("levy.allowance_per_tax_month", month.replace(day=6))
        allowance = round_pence(per_month * allowance_share * tax_month_index(month))
        due = max(ZERO, round_pence(bill_to_date * rate) - allowance)
        levy = due - declared
        declared = due
        entry = add_months(month, 1)
        english, top_up = funds_in_for_levy(levy, entry, english_fraction, rules)
        out.append(
            LevyMonth(
                month,
                entry,
                bills[month],
                allowance,
                levy,
                english_fraction,
                top_up,
                english + top_up,
            )
        )
    return out


def group_levy_by_month(
    pay_bills: Iterable[tuple[object, date, Decimal]],
    english_fraction: Decimal = Decimal(1),
    rules: RuleBook = RULES,
) -> list[LevyMonth]:
    """Levy of connected employers that share one allowance (docs/rules.md §2).

    ``pay_bills`` are ``(organisation, payroll month, pay bill)``: the
    organisations' pay bills are added month by month and one £15,000 allowance
    is set against the total (for the council and its company, each with a
    levy well above its part of the allowance, any fixed split gives the same
    total).
    """
    return levy_by_month(
        ((month, amount) for _org, month, amount in pay_bills),
        english_fraction=english_fraction,
        rules=rules,
    )


def funds_in_by_entry_month(levy_months: Iterable[LevyMonth]) -> dict[date, Decimal]:
    """Funds in (English levy plus the top-up of the entry month) keyed by the
    month they reach the account: payroll month + 1 (issue 4 rule 2)."""
    return {row.entry_month: row.funds_in for row in levy_months}
