"""A stored forecast projection as data: what it holds, its key, and its text form (issue 13).

``levy.services.projection`` computes a projection and keeps it in the database;
``levy.services.stored_read`` reads it back for the forecast and what-if commands
without loading SQLAlchemy. Both go through :func:`projection_key`, :func:`encode` and
:func:`decode` here, so the figures read are the figures stored, to the penny (amounts
travel as integer pence, months and days as ordinals).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from levy.domain.forecast import Due, Dues, Forecast, ForecastMonth, WhatIf, search_extra_starts
from levy.domain.ledger import Ledger, LedgerMonth, Lot, Pot
from levy.domain.money import from_pence, to_pence
from levy.domain.months import month_of
from levy.domain.rules import RuleBook

ACCOUNT = 1  # the council's levy account (council and company share it)
ANY_DATA = 2  # any row a page's stored figures may read (the home page cards)


@dataclass(frozen=True)
class Projection:
    """The actual ledger to the month before ``start`` and the forecast from it."""

    start: date
    months: int
    actual: Ledger
    forecast: Forecast
    pay_bill_months: tuple[date, ...] = ()
    opening: Pot | None = None  # detail: what a what-if needs
    funds_in: tuple[Decimal, ...] = ()
    dues: Dues | None = None


def projection_key(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None,
    from_pay_bill: bool,
    today: date | None,
    change_date: date,
) -> str:
    """The stored projection's key: every argument its figures depend on, beside the
    version of its inputs (``today`` is the caller's, ``None`` on the command line)."""
    funds = "mean" if funds_in_per_month is None else str(to_pence(funds_in_per_month))
    rolled = "-" if today is None else month_of(today).isoformat()
    return (
        f"account:{ACCOUNT}|from:{month_of(start).isoformat()}|months:{months}|funds:{funds}"
        f"|pay_bill:{int(from_pay_bill)}|today:{rolled}|change:{change_date.isoformat()}"
    )


def _d(value: date) -> int:
    return value.toordinal()


def _day(value: int) -> date:
    return date.fromordinal(value)


def _pot_json(pot: Pot) -> dict[str, Any]:
    return {
        "lots": [
            [
                _d(x.entered),
                _d(x.expires),
                to_pence(x.amount),
                to_pence(x.remaining),
                to_pence(x.spent),
            ]
            for x in pot.lots
        ],
        "overdraft": to_pence(pot.overdraft),
    }


def _pot(data: dict[str, Any], rules: RuleBook) -> Pot:
    lots = [
        Lot(_day(e), _day(x), from_pence(a), from_pence(r), from_pence(s))
        for e, x, a, r, s in data["lots"]
    ]
    return Pot(rules, lots, from_pence(data["overdraft"]))


def encode(p: Projection) -> tuple[str, str]:
    """(summary, detail) as JSON text: ``summary`` is what pages and the forecast show,
    ``detail`` the opening lots, funds in and dues by month a what-if adds to."""
    summary = {
        "start": _d(p.start),
        "months": p.months,
        "actual": [
            [
                _d(r.month),
                *(to_pence(v) for v in (r.funds_in, r.payments, r.transfers, r.expired, r.balance)),
                r.recorded,
            ]
            for r in p.actual.months
        ],
        "actual_pot": _pot_json(p.actual.pot),
        "forecast": [[_d(r.month), *(to_pence(v) for v in r.amounts)] for r in p.forecast.months],
        "forecast_pot": _pot_json(p.forecast.pot),
        "pay_bill_months": [_d(m) for m in p.pay_bill_months],
    }
    rates: dict[str, int] = {}
    dues = {}
    for month, due in (p.dues or {}).items():
        dues[str(_d(month))] = [
            to_pence(due.transfers),
            to_pence(due.own),
            [to_pence(a) for a, _ in due.items],
            [rates.setdefault(str(r), len(rates)) for _, r in due.items],
        ]
    detail = {
        "opening": _pot_json(p.opening or Pot()),
        "funds_in": [to_pence(v) for v in p.funds_in],
        "rates": sorted(rates, key=rates.__getitem__),
        "dues": dues,
    }
    return json.dumps(summary, separators=(",", ":")), json.dumps(detail, separators=(",", ":"))


def decode(summary_text: str, detail_text: str | None, rules: RuleBook) -> Projection:
    """The projection :func:`encode` wrote; without ``detail_text``, no what-if detail."""
    s = json.loads(summary_text)
    actual = Ledger(
        tuple(
            LedgerMonth(_day(m), *(from_pence(v) for v in values), recorded)  # type: ignore[call-arg, arg-type]  # five amounts, then the flag
            for m, *values, recorded in s["actual"]
        ),
        _pot(s["actual_pot"], rules),
    )
    forecast = Forecast(
        tuple(
            ForecastMonth(_day(m), *(from_pence(v) for v in values)) for m, *values in s["forecast"]
        ),
        _pot(s["forecast_pot"], rules),
    )
    pay_bill_months = tuple(_day(m) for m in s["pay_bill_months"])
    if detail_text is None:
        return Projection(_day(s["start"]), s["months"], actual, forecast, pay_bill_months)
    d = json.loads(detail_text)
    rates = [Decimal(r) for r in d["rates"]]
    dues = {
        _day(int(m)): Due(
            from_pence(t),
            from_pence(o),
            [(from_pence(a), rates[r]) for a, r in zip(amounts, codes, strict=True)],
        )
        for m, (t, o, amounts, codes) in d["dues"].items()
    }
    return Projection(
        _day(s["start"]),
        s["months"],
        actual,
        forecast,
        pay_bill_months,
        _pot(d["opening"], rules),
        tuple(from_pence(v) for v in d["funds_in"]),
        dues,
    )


def what_if(base: Projection, price: Decimal, duration: int) -> WhatIf:
    """The smallest number of extra starts that stops the expiry in ``base`` (a
    projection with its detail): each probe adds only the extra starts' schedule."""
    assert base.opening is not None and base.dues is not None, "needs the detail"
    return search_extra_starts(
        base.opening,
        base.start,
        base.funds_in,
        base.dues,
        price,
        duration,
        before=base.forecast,
    )
