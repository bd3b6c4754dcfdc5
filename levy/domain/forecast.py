"""Forecast of the levy pot, co-investment, and the "how many starts" what-if.

Issue 4 rules 4, 8 and 9; docs/rules.md §2-3.

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

from levy.domain.commitments import Commitment, schedule_rows
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

    @property
    def amounts(self) -> tuple[Decimal, ...]:
        """Every amount after ``month``, in field order (the forecast download's columns
        and the stored projection both read them this way)."""
        return (
            self.funds_in,
            self.payments,
            self.transfers,
            self.expired,
            self.balance,
            self.due,
            self.shortfall,
            self.employer_coinvestment,
            self.government_coinvestment,
            self.unfunded_transfers,
        )


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
        ForecastPayment(month, amount * count, commitment.start, PAYMENT, source or kind)
        for month, amount, kind in schedule_rows(commitment, rules)
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


@dataclass
class Due:
    """What a forecast month owes: transfers and the council's own payments, summed,
    and each own payment as ``(amount, employer rate on its start)`` in the order
    given (the co-investment split adds one term per payment, in that order)."""

    transfers: Decimal = ZERO
    own: Decimal = ZERO
    items: list[tuple[Decimal, Decimal]] = field(default_factory=list)

    def plus(self, other: Due | None, times: int = 1, items: bool = True) -> Due:
        if other is None or times == 0:
            return self
        return Due(
            self.transfers + other.transfers * times,
            self.own + other.own * times,
            [*self.items, *((a * times, r) for a, r in other.items)] if items else [],
        )


Dues = dict[date, Due]


def dues_by_month(
    payments: Iterable[ForecastPayment], rules: RuleBook = RULES, dues: Dues | None = None
) -> Dues:
    """Sum payments into their months (adding to ``dues`` if given). Sums of pence
    are exact in any order, so this is the same money as the list it came from."""
    out: Dues = {} if dues is None else dues
    rate_cache: dict[date, Decimal] = {}
    for p in payments:
        month = month_of(p.month)
        due = out.get(month)
        if due is None:
            due = out[month] = Due()
        if p.kind == TRANSFER:
            due.transfers += p.amount
            continue
        due.own += p.amount
        on = p.start or month
        rate = rate_cache.get(on)
        if rate is None:
            rate = rate_cache[on] = rules.value("coinvest.employer_rate", on)
        due.items.append((p.amount, rate))
    return out


def _employer_share(due: Due, shortfall: Decimal, month: date, rules: RuleBook) -> Decimal:
    """The employer's part of a month's shortfall, pro rata over the payments."""
    total = due.own
    if total <= 0 or shortfall <= 0:
        return ZERO
    government = rules.value("coinvest.government_rate", month)
    share = ZERO
    if government is not None:
        rate = 1 - government
        for amount, _ in due.items:
            share += shortfall * amount / total * rate
    else:
        for amount, rate in due.items:
            share += shortfall * amount / total * rate
    return round_pence(share)


def funds_in_values(funds_in: FundsIn, start: date, months: int) -> list[Decimal]:
    """Funds in for each forecast month, worked out once."""
    start = month_of(start)
    return [_funds_in_for(funds_in, add_months(start, i)) for i in range(months)]


_NO_DUE = Due()


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
    pot_rules = rules if rules is not None else opening.rules
    return run_dues(
        opening,
        start,
        funds_in_values(funds_in, start, months),
        dues_by_month(payments, pot_rules),
        rules,
    )


def run_dues(
    opening: Pot,
    start: date,
    funds_in: Sequence[Decimal],
    dues: Mapping[date, Due],
    rules: RuleBook | None = None,
    extra: Mapping[date, Due] | None = None,
    times: int = 1,
) -> Forecast:
    """:func:`run_forecast` on money already summed by month (``funds_in[i]`` for
    month i), plus ``times`` × ``extra`` (a what-if's extra starts)."""
    pot = opening.copy()
    if rules is not None:
        pot.rules = rules
    rules = pot.rules
    start = month_of(start)
    rows = []
    for i, money_in in enumerate(funds_in):
        month = add_months(start, i)
        due = dues.get(month, _NO_DUE)
        if extra:
            due = due.plus(extra.get(month), times)
        pot.forget_dead(month)
        pot.add_funds(month, money_in)
        transfers_due, own_due = due.transfers, due.own
        transfers = min(transfers_due, pot.available) if transfers_due > 0 else transfers_due
        pot.spend(month, transfers)
        paid = min(own_due, pot.available) if own_due > 0 else own_due
        pot.spend(month, paid)
        shortfall = own_due - paid if own_due > 0 else ZERO
        employer = _employer_share(due, shortfall, month, rules)
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


def expired_with(
    opening: Pot,
    start: date,
    funds_in: Sequence[Decimal],
    dues: Mapping[date, Due],
    extra: Mapping[date, Due],
    times: int,
) -> Decimal:
    """Total forecast expiry with ``times`` × ``extra``: one pass over the months and
    the pot only (the what-if's probe; co-investment does not move the pot)."""
    pot = opening.copy()
    start = month_of(start)
    total = ZERO
    for i, money_in in enumerate(funds_in):
        month = add_months(start, i)
        due = dues.get(month, _NO_DUE).plus(extra.get(month), times, items=False)
        pot.forget_dead(month)
        pot.add_funds(month, money_in)
        if due.transfers > 0:
            pot.spend(month, min(due.transfers, pot.available))
        else:
            pot.spend(month, due.transfers)
        if due.own > 0:
            pot.spend(month, min(due.own, pot.available))
        else:
            pot.spend(month, due.own)
        total += pot.expire(month)
    return total


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
    if months < 0:
        raise ForecastError("The number of months cannot be negative")
    return search_extra_starts(
        opening,
        start,
        funds_in_values(funds_in, start, months),
        dues_by_month(payments, opening.rules),
        price,
        duration,
        band_maximum,
        limit,
    )


def search_extra_starts(
    opening: Pot,
    start: date,
    funds_in: Sequence[Decimal],
    dues: Mapping[date, Due],
    price: Decimal,
    duration: int,
    band_maximum: Decimal | None = None,
    limit: int = 100_000,
    before: Forecast | None = None,
) -> WhatIf:
    """:func:`smallest_extra_starts` on a base already summed by month (a stored
    projection): each probe adds only the extra starts' schedule, ``n`` times one
    start's, and makes one pass over the months; ``before`` is the base forecast
    if the caller has it."""
    if price <= 0:
        raise ForecastError("The price must be more than £0")
    extra_starts(start, 0, price, duration)  # validates duration
    one = dues_by_month(
        extra_starts(start, 1, price, duration, band_maximum, opening.rules), opening.rules
    )
    tried: list[tuple[int, Decimal]] = []
    cache: dict[int, Decimal] = {}

    def expired(n: int) -> Decimal:
        if n not in cache:
            if n == 0 and before is not None:
                cache[n] = before.total_expired
            else:
                cache[n] = expired_with(opening, start, funds_in, dues, one, n)
            tried.append((n, cache[n]))
        return cache[n]

    def forecast(n: int) -> Forecast:
        if n == 0 and before is not None:
            return before
        return run_dues(opening, start, funds_in, dues, None, one, n)

    base = expired(0)
    if base == 0:
        result = forecast(0)
        return WhatIf(0, ZERO, ZERO, result, result, tuple(tried))
    low, high = 0, 1  # expired(low) > 0
    while expired(high) > 0:
        if high >= limit:
            return WhatIf(None, base, expired(high), forecast(0), forecast(high), tuple(tried))
        low, high = high, min(high * 2, limit)
    while high - low > 1:
        mid = (low + high) // 2
        if expired(mid) > 0:
            low = mid
        else:
            high = mid
    return WhatIf(high, base, expired(high), forecast(0), forecast(high), tuple(tried))


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
    funds_in: Sequence[Decimal],
    dues: Mapping[date, Due],
    scenario: Scenario,
) -> tuple[Forecast, Forecast]:
    """(baseline, scenario) forecasts over the same horizon, on a base summed by month
    (``funds_in[i]`` for month i, the commitments' ``dues``)."""
    baseline = run_dues(opening, start, funds_in, dues)
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
    new_in = (
        [scenario.funds_in_per_month] * len(funds_in)
        if scenario.funds_in_per_month is not None
        else funds_in
    )
    return baseline, run_dues(
        opening, start, new_in, dues, extra=dues_by_month(extra, opening.rules)
    )
