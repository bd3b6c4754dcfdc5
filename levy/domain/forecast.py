"""Forecast of the levy pot, co-investment, and the "how many starts" what-if.

Issue 4 rules 4, 8 and 9; DOMAIN.md §2-3.

* The forecast opens from the lots left at the end of month F−1 (a
  :class:`~levy.domain.ledger.Pot`) and runs month by month with the ledger's
  own order: funds in, then payments and transfers (oldest funds first), then
  expiry.
* Funds in per month: a fixed amount if given; otherwise the mean of the last
  three actual months, taken back to English levy before top-up and grossed up
  again with each forecast month's top-up rate (so the forecast loses the 10%
  top-up from the change date, :func:`mean_levy_funds_in`).
* Or, when asked, from the pay bill: levy worked out by the levy calculator
  for the payroll month before each forecast month, with that month's top-up
  (:func:`pay_bill_funds_in`); months with no pay bill fall back as above.
* Payments come from commitment schedules (``commitments.schedule``) and transfer
  payments. Transfers are paid first (an approved transfer has no safety net),
  then the council's own payments. When the balance cannot cover the month's
  own payments, **co-investment** covers that month's shortfall only: the
  employer pays its rate for the apprenticeship's start date (10% before
  1 April 2019, 5% from then) and government the rest; from the change date
  government pays 75% and the employer 25% (``coinvest.*`` rules).
* What-if: N extra starts in month F at price P for D months (start on the 1st
  of F, planned end the last day of F+D−1). Forecast expiry over the horizon
  is non-increasing in N (more spending in every month never leaves more in
  a lot, see the ledger's property test), so the smallest N with no expiry is
  found by doubling then bisection, never by a formula guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from levy.domain.commitments import Commitment, schedule
from levy.domain.ledger import PAYMENT, TRANSFER, LedgerMonth, Pot
from levy.domain.money import ZERO, round_pence
from levy.domain.months import add_months, month_end, month_of
from levy.domain.rules import RULES, RuleBook


class ForecastError(ValueError):
    """Forecast input a person must correct (a negative number of months...)."""


@dataclass(frozen=True)
class ForecastPayment:
    """Money due to leave the pot in a month.

    ``start`` is the apprenticeship's start date (it fixes the employer's
    co-investment rate); ``kind`` is ``payment`` or ``transfer``.
    """

    month: date
    amount: Decimal
    start: date | None = None
    kind: str = PAYMENT
    source: str = ""


@dataclass(frozen=True)
class ForecastMonth:
    month: date
    funds_in: Decimal
    payments: Decimal  # paid from the pot
    transfers: Decimal  # paid from the pot
    expired: Decimal
    balance: Decimal
    due: Decimal = ZERO  # own payments due before co-investment
    shortfall: Decimal = ZERO
    employer_coinvestment: Decimal = ZERO
    government_coinvestment: Decimal = ZERO
    unfunded_transfers: Decimal = ZERO


@dataclass(frozen=True)
class Forecast:
    months: tuple[ForecastMonth, ...]
    pot: Pot

    @property
    def total_expired(self) -> Decimal:
        return sum((row.expired for row in self.months), ZERO)

    @property
    def total_coinvestment(self) -> Decimal:
        return sum((row.shortfall for row in self.months), ZERO)


FundsIn = Decimal | Mapping[date, Decimal] | Callable[[date], Decimal]
PaymentProvider = Callable[[date, int], Sequence[ForecastPayment]]
"""A hook other areas register: (first month, months) -> payments in that window."""


def commitment_payments(
    commitment: Commitment, count: int = 1, source: str = "", rules: RuleBook = RULES
) -> list[ForecastPayment]:
    """The schedule of one apprenticeship (times ``count`` identical ones)."""
    return [
        ForecastPayment(p.month, p.amount * count, commitment.start, PAYMENT, source or p.kind)
        for p in schedule(commitment, rules)
    ]


def extra_starts(
    month: date,
    count: int,
    price: Decimal,
    duration: int,
    band_maximum: Decimal | None = None,
    rules: RuleBook = RULES,
) -> list[ForecastPayment]:
    """``count`` starts on the 1st of ``month``, planned to end on the last day of
    month+duration−1 (issue 4 rule 9)."""
    if count < 0:
        raise ForecastError("The number of extra starts cannot be negative")
    if duration < 1:
        raise ForecastError("The duration must be at least 1 month")
    if count == 0:
        return []
    start = month_of(month)
    commitment = Commitment(price, band_maximum, start, month_end(add_months(start, duration - 1)))
    return commitment_payments(commitment, count, "what-if", rules)


def mean_levy_funds_in(
    actual: Sequence[LedgerMonth], before: date, rules: RuleBook = RULES, months: int = 3
) -> Callable[[date], Decimal]:
    """Funds in for a forecast month from the mean of the last ``months`` actual
    months before ``before``, with the top-up of the forecast month."""
    recent = [row for row in actual if row.month < month_of(before)][-months:]
    if not recent:
        return lambda month: ZERO
    levy = sum(
        (row.funds_in / (1 + rules.value("levy.top_up_rate", row.month)) for row in recent), ZERO
    ) / len(recent)

    def funds_in(month: date) -> Decimal:
        return round_pence(levy * (1 + rules.value("levy.top_up_rate", month)))

    return funds_in


def pay_bill_funds_in(
    from_pay_bill: Mapping[date, Decimal], fallback: FundsIn
) -> Callable[[date], Decimal]:
    """Funds in for a forecast month from the pay bill when one is known for the
    payroll month before it (``from_pay_bill`` is keyed by entry month, see
    :func:`levy.domain.levy_calc.funds_in_by_entry_month`); ``fallback`` (a fixed
    amount or the 3-month mean) for the other months (issue 4 rules 2 and 8)."""
    known = {month_of(month): Decimal(amount) for month, amount in from_pay_bill.items()}

    def funds_in(month: date) -> Decimal:
        month = month_of(month)
        if month in known:
            return known[month]
        return _funds_in_for(fallback, month)

    return funds_in


def _funds_in_for(funds_in: FundsIn, month: date) -> Decimal:
    if callable(funds_in):
        return funds_in(month)
    if isinstance(funds_in, Mapping):
        return Decimal(funds_in.get(month, ZERO))
    return Decimal(funds_in)


def _employer_share(
    payments: Sequence[ForecastPayment], shortfall: Decimal, month: date, rules: RuleBook
) -> Decimal:
    """The employer's part of a month's shortfall, pro rata over the payments."""
    total = sum((p.amount for p in payments), ZERO)
    if total <= 0 or shortfall <= 0:
        return ZERO
    government = rules.value("coinvest.government_rate", month)
    share = ZERO
    for p in payments:
        if government is not None:
            rate = 1 - government
        else:
            rate = rules.value("coinvest.employer_rate", p.start or month)
        share += shortfall * p.amount / total * rate
    return round_pence(share)


def run_forecast(
    opening: Pot,
    start: date,
    months: int,
    funds_in: FundsIn,
    payments: Iterable[ForecastPayment] = (),
    rules: RuleBook | None = None,
) -> Forecast:
    """Run the pot forward ``months`` months from ``start`` (issue 4 rule 8)."""
    if months < 0:
        raise ForecastError("The number of months cannot be negative")
    pot = opening.copy()
    if rules is not None:
        pot.rules = rules
    rules = pot.rules
    start = month_of(start)
    by_month: dict[date, list[ForecastPayment]] = {}
    for p in payments:
        by_month.setdefault(month_of(p.month), []).append(p)
    rows = []
    for i in range(months):
        month = add_months(start, i)
        money_in = _funds_in_for(funds_in, month)
        pot.forget_dead(month)
        pot.add_funds(month, money_in)
        due = by_month.get(month, [])
        transfers_due = sum((p.amount for p in due if p.kind == TRANSFER), ZERO)
        own = [p for p in due if p.kind != TRANSFER]
        own_due = sum((p.amount for p in own), ZERO)
        transfers = min(transfers_due, pot.available) if transfers_due > 0 else transfers_due
        pot.spend(month, transfers)
        paid = min(own_due, pot.available) if own_due > 0 else own_due
        pot.spend(month, paid)
        shortfall = own_due - paid if own_due > 0 else ZERO
        employer = _employer_share(own, shortfall, month, rules)
        expired = pot.expire(month)
        rows.append(
            ForecastMonth(
                month,
                money_in,
                paid,
                transfers,
                expired,
                pot.balance,
                own_due,
                shortfall,
                employer,
                shortfall - employer,
                max(ZERO, transfers_due - transfers),
            )
        )
    return Forecast(tuple(rows), pot)


@dataclass(frozen=True)
class WhatIf:
    extra_starts: int | None  # None: no number up to the limit stops the expiry
    expired_before: Decimal
    expired_after: Decimal
    before: Forecast
    after: Forecast
    tried: tuple[tuple[int, Decimal], ...] = field(default=())


def smallest_extra_starts(
    opening: Pot,
    start: date,
    months: int,
    funds_in: FundsIn,
    payments: Sequence[ForecastPayment],
    price: Decimal,
    duration: int,
    band_maximum: Decimal | None = None,
    limit: int = 100_000,
) -> WhatIf:
    """The smallest number of extra starts in ``start`` that brings forecast
    expiry over the horizon to zero (issue 4 rule 9).

    Expiry is non-increasing in the number of starts, so: try 0; double until
    the expiry is zero (or the limit is passed); then bisect between the last
    failure and the first success. Every count tried is kept in ``tried``.
    """
    if price <= 0:
        raise ForecastError("The price must be more than £0")
    extra_starts(start, 0, price, duration)  # validates duration
    tried: list[tuple[int, Decimal]] = []
    cache: dict[int, Forecast] = {}

    def run(n: int) -> Forecast:
        if n not in cache:
            extra = extra_starts(start, n, price, duration, band_maximum, opening.rules)
            cache[n] = run_forecast(opening, start, months, funds_in, [*payments, *extra])
            tried.append((n, cache[n].total_expired))
        return cache[n]

    before = run(0)
    if before.total_expired == 0:
        return WhatIf(0, ZERO, ZERO, before, before, tuple(tried))
    low, high = 0, 1  # run(low) expires something
    while run(high).total_expired > 0:
        if high >= limit:
            return WhatIf(
                None, before.total_expired, run(high).total_expired, before, run(high), tuple(tried)
            )
        low, high = high, min(high * 2, limit)
    while high - low > 1:
        mid = (low + high) // 2
        if run(mid).total_expired > 0:
            low = mid
        else:
            high = mid
    after = run(high)
    return WhatIf(high, before.total_expired, after.total_expired, before, after, tuple(tried))


@dataclass(frozen=True)
class Scenario:
    """A free what-if: extra starts per month, a changed monthly levy, a new pledge."""

    starts: Mapping[date, int] = field(default_factory=dict)
    price: Decimal = ZERO
    duration: int = 12
    band_maximum: Decimal | None = None
    funds_in_per_month: Decimal | None = None
    pledge_per_month: Decimal = ZERO
    pledge_months: int = 0
    pledge_from: date | None = None


def run_scenario(
    opening: Pot,
    start: date,
    months: int,
    funds_in: FundsIn,
    payments: Sequence[ForecastPayment],
    scenario: Scenario,
) -> tuple[Forecast, Forecast]:
    """(baseline, scenario) forecasts over the same horizon."""
    baseline = run_forecast(opening, start, months, funds_in, payments)
    extra: list[ForecastPayment] = []
    for month, count in sorted(scenario.starts.items()):
        if count:
            extra += extra_starts(
                month,
                count,
                scenario.price,
                scenario.duration,
                scenario.band_maximum,
                opening.rules,
            )
    if scenario.pledge_per_month and scenario.pledge_months:
        first = month_of(scenario.pledge_from or start)
        extra += [
            ForecastPayment(
                add_months(first, i), scenario.pledge_per_month, None, TRANSFER, "pledge"
            )
            for i in range(scenario.pledge_months)
        ]
    new_in = scenario.funds_in_per_month if scenario.funds_in_per_month is not None else funds_in
    return baseline, run_forecast(opening, start, months, new_in, [*payments, *extra])
