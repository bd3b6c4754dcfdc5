"""A forecast projection as data: the actual ledger, the forecast after it, and what a
what-if adds its extra starts to (``levy.services.projection`` works it out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from levy.domain.forecast import Dues, Forecast, WhatIf, search_extra_starts
from levy.domain.ledger import Ledger, Pot


@dataclass(frozen=True)
class Projection:
    """The actual ledger to the last recorded month before the forecast, and the forecast
    for ``[start, start + months)`` (with the opening pot at ``start``, funds in and dues
    by month for a what-if)."""

    start: date
    months: int
    actual: Ledger
    forecast: Forecast
    pay_bill_months: tuple[date, ...] = ()
    opening: Pot | None = None  # detail: what a what-if needs
    funds_in: tuple[Decimal, ...] = ()
    dues: Dues | None = None


def what_if(base: Projection, price: Decimal, duration: int) -> WhatIf:
    """The smallest number of extra starts that stops the expiry in ``base``: each probe
    adds only the extra starts' schedule."""
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
