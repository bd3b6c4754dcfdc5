"""The monthly transfer payments of an application with apprentices recorded, and which
of them are due (docs/transfers.md "Timers")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from levy.domain.commitments import Commitment, schedule
from levy.domain.money import ZERO, round_pence
from levy.domain.months import (
    add_months,
    month_end,
)
from levy.domain.rules import RULES, RuleBook


def monthly_payments(
    band_maximum: Decimal,
    apprentices: int,
    start: date,
    duration_months: int,
    rules: RuleBook = RULES,
) -> list[tuple[date, Decimal]]:
    """The transfer's payments by month: the commitment schedule (``levy.domain.commitments``)
    of band maximum × apprentices from the 1st of the start month over ``duration_months``
    month-ends, so 80% in equal instalments (the last takes the remainder) and the 20%
    completion payment in the last month."""
    first = start.replace(day=1)
    commitment = Commitment(
        round_pence(band_maximum * apprentices),
        None,
        first,
        month_end(add_months(first, duration_months - 1)),
    )
    by_month: dict[date, Decimal] = {}
    for payment in schedule(commitment, rules):
        by_month[payment.month] = by_month.get(payment.month, ZERO) + payment.amount
    return sorted(by_month.items())


def payments_due(
    schedule: Sequence[tuple[date, Decimal]],
    already_paid: Mapping[date, Decimal],
    as_of: date,
    limit: Decimal,
) -> list[tuple[date, Decimal]]:
    """The scheduled payments not yet written whose month has ended by ``as_of``.

    A month's payment is made once the month is over (an instalment is earned by
    being in learning on its last day). Payments never take the application's
    total past ``limit`` (what was approved), whatever was paid before.
    """
    paid_total = sum(already_paid.values(), ZERO)
    due: list[tuple[date, Decimal]] = []
    for month, amount in schedule:
        if month in already_paid or month_end(month) > as_of:
            continue
        amount = min(amount, limit - paid_total)
        if amount <= ZERO:
            break
        due.append((month, amount))
        paid_total += amount
    return due
