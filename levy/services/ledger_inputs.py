"""What the ledger and the forecast are worked out from, read from the database: the levy
rows by kind, recorded expiries, the first and last months, funds in (the mean of recent
months or the pay bill) and the commitments other areas add to the forecast.

Both ``levy.services.ledger`` (the pot's service) and ``levy.services.projection`` (the
stored projection it reads through) take their inputs from here, so neither imports the
other's insides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from levy.domain.forecast import (
    ForecastPayment,
    FundsIn,
    mean_levy_funds_in,
    pay_bill_funds_in,
)
from levy.domain.ledger import FUNDS_IN, PAYMENT, TRANSFER, Ledger, Movement
from levy.domain.months import add_months, month_of
from levy.extensions import db
from levy.models import LevyTransaction
from levy.models.levy_pot import PayBillMonth, RecordedExpiry
from levy.rules_config import current_rules

KIND_OF_TYPE = {
    "levy": FUNDS_IN,
    "top-up": FUNDS_IN,
    "adjustment": FUNDS_IN,
    "payment": PAYMENT,
    "transfer": TRANSFER,
}

PaymentProvider = Callable[[date, int], Sequence[ForecastPayment]]
PAYMENT_PROVIDERS: dict[str, PaymentProvider] = {}
"""Commitments other areas add to the forecast: ``name -> (first month, months) ->
payments``. The cohorts area may replace ``"apprentices"``; transfers add theirs."""


def payment_provider(name: str) -> Callable[[PaymentProvider], PaymentProvider]:
    def register(fn: PaymentProvider) -> PaymentProvider:
        PAYMENT_PROVIDERS[name] = fn
        return fn

    return register


def month_totals(to: date | None = None) -> list[Movement]:
    """Levy rows summed by month and kind in the database: the ledger needs no more
    (sums of integer pence are exact), and 50,000 rows become a few hundred."""
    query = db.select(
        LevyTransaction.month, LevyTransaction.type, db.func.sum(LevyTransaction.amount)
    ).group_by(LevyTransaction.month, LevyTransaction.type)
    if to is not None:
        query = query.where(LevyTransaction.month <= month_of(to))
    return [
        Movement(month, KIND_OF_TYPE[kind], amount)
        for month, kind, amount in db.session.execute(query)
    ]


def recorded_expiries() -> dict[date, Decimal]:
    return {
        row.month: row.amount for row in db.session.execute(db.select(RecordedExpiry)).scalars()
    }


def first_month() -> date | None:
    return db.session.execute(db.select(db.func.min(LevyTransaction.month))).scalar()


def last_month() -> date | None:
    return db.session.execute(db.select(db.func.max(LevyTransaction.month))).scalar()


def provided_payments(start: date, months: int) -> list[ForecastPayment]:
    out: list[ForecastPayment] = []
    for provider in PAYMENT_PROVIDERS.values():
        out.extend(provider(start, months))
    return out


def pay_bill_funds_in_by_month() -> dict[date, Decimal]:
    """Funds in worked out from the imported pay bill, keyed by the month they
    reach the account (payroll month + 1): council and company share one allowance,
    the top-up is the rule table's for that month (none from the change date)."""
    from levy.domain.levy_calc import funds_in_by_entry_month, group_levy_by_month

    rows = db.session.execute(
        db.select(PayBillMonth.organisation_id, PayBillMonth.month, PayBillMonth.amount)
    ).all()
    return funds_in_by_entry_month(group_levy_by_month(rows, rules=current_rules()))


def forecast_funds_in(
    actual: Ledger,
    start: date,
    months: int,
    funds_in_per_month: Decimal | None,
    from_pay_bill: bool,
) -> tuple[FundsIn, tuple[date, ...]]:
    """A forecast's funds in, and the months whose figure came from the pay bill:
    ``funds_in_per_month`` if given, else the mean of the last 3 actual months; with
    ``from_pay_bill``, the levy from the pay bill wherever its payroll month is imported."""
    funds_in: FundsIn = (
        funds_in_per_month
        if funds_in_per_month is not None
        else mean_levy_funds_in(actual.months, start, current_rules())
    )
    pay_bill_months: tuple[date, ...] = ()
    if from_pay_bill:
        horizon = {add_months(start, i) for i in range(months)}
        known = {m: v for m, v in pay_bill_funds_in_by_month().items() if m in horizon}
        pay_bill_months = tuple(sorted(known))
        funds_in = pay_bill_funds_in(known, funds_in)
    return funds_in, pay_bill_months
