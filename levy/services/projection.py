"""The forecast projection: the actual ledger and the forecast after it, worked out on
every read from the month totals and the commitments (nothing is stored by a reader).

* **One forecast everywhere.** The levy pot page, ``flask levy forecast`` and
  ``what-if``, the scenarios and the reports all call :func:`projection`, so they
  include the same commitments (``ledger_inputs.FORECAST_SOURCES``) and give the same
  figures to the penny.
* **Unrecorded months are forecast.** The forecast always runs from the month after the
  last recorded levy month. A forecast asked to start later runs those months in between
  the same way (funds in, commitments, expiry) and shows the months from the one asked
  for, so ``--from 2021-05`` gives exactly the rows of ``--from 2021-04`` from May on.
* **Fast by its own work.** Levy rows are summed by month and kind in SQL; apprentices,
  bands and breaks are read as plain columns with one query each, and each schedule is
  summed straight into the forecast months (:class:`levy.domain.forecast.Due`). A
  what-if adds only the extra starts' schedule to that base and runs one pass over the
  months per probe (:func:`levy.domain.forecast.search_extra_starts`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from levy.domain.forecast import Forecast, WhatIf, funds_in_values, run_dues
from levy.domain.ledger import Ledger, Movement, build_ledger
from levy.domain.months import add_months, month_of, months_between
from levy.domain.projection import Projection
from levy.domain.projection import what_if as what_if_on
from levy.rules_config import current_rules
from levy.services.ledger_inputs import (
    commitment_dues,
    forecast_funds_in,
    month_totals,
    recorded_expiries,
)


def fast_ledger(to: date | None = None, rows: list[Movement] | None = None) -> Ledger:
    """The actual ledger to ``to`` (or the last month with money), from the month totals
    (``rows``: every month's, if the caller has read them already)."""
    if rows is None:
        rows = month_totals(to)
    elif to is not None:
        rows = [row for row in rows if row.month <= month_of(to)]
    if not rows:
        return build_ledger([], rules=current_rules())
    recorded = {m: v for m, v in recorded_expiries().items() if to is None or m <= month_of(to)}
    return build_ledger(rows, to=to, recorded_expiries=recorded, rules=current_rules())


def forecast_start(start: date, last: date | None) -> date:
    """The month the forecast runs from for one asked to start at ``start``: ``start``
    itself, or the month after ``last``, the last recorded levy month, if that is earlier."""
    start = month_of(start)
    if last is None or add_months(last, 1) >= start:
        return start
    return add_months(last, 1)


def projection(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
) -> Projection:
    """The actual ledger to the month before the forecast and the forecast for
    ``[start, start + months)``, with what a what-if needs (opening pot at ``start``,
    funds in and dues by month)."""
    start = month_of(start)
    totals = month_totals()  # every month's, read once: the first and last months too
    months_recorded = [row.month for row in totals]
    runs_from = forecast_start(start, max(months_recorded, default=None))
    gap = months_between(runs_from, start)
    rules = current_rules()
    actual = (
        build_ledger([], rules=rules)
        if not totals or min(months_recorded) >= runs_from
        else fast_ledger(add_months(runs_from, -1), totals)
    )
    total = gap + months
    funds_in, pay_bill_months = forecast_funds_in(
        actual, runs_from, total, funds_in_per_month, from_pay_bill
    )
    values = funds_in_values(funds_in, runs_from, total)
    dues = commitment_dues(runs_from, total, actual.pot.rules)
    opening = actual.pot
    if gap:  # the unrecorded months before the first one asked for, forecast the same way
        opening = run_dues(actual.pot, runs_from, values[:gap], dues).pot
    asked_values = tuple(values[gap:])
    asked_dues = {m: due for m, due in dues.items() if m >= start}
    forecast = run_dues(opening, start, asked_values, asked_dues)
    asked_pay_bill = tuple(m for m in pay_bill_months if m >= start)
    return Projection(
        start, months, actual, forecast, asked_pay_bill, opening.copy(), asked_values, asked_dues
    )


def forecast(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
) -> Forecast:
    return projection(start, months, funds_in_per_month, from_pay_bill).forecast


def what_if(
    start: date,
    months: int,
    price: Decimal,
    duration: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
) -> WhatIf:
    """The smallest number of extra starts beginning in ``start`` that stops forecast
    expiry over ``[start, start + months)``, searched on the base projection."""
    base = projection(start, months, funds_in_per_month, from_pay_bill)
    return what_if_on(base, price, duration)
