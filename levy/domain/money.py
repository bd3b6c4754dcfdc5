"""Exact money: ``Decimal`` pounds, stored as integer pence, never float."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")

#: The one accepted spelling: an optional minus before or after the pound sign, digits
#: either plain (``1234``) or grouped in threes (``1,234``), optional pence.
_MONEY_TEXT = re.compile(
    r"^(?P<sign>-?)£?(?P<sign2>-?)"
    r"(?P<whole>[0-9]{1,3}(,[0-9]{3})+|[0-9]{1,15}|)(?P<pence>\.[0-9]{1,10})?$"
)


class MoneyError(ValueError):
    """Text or a number that is not an amount of money in pounds and pence."""


def round_pence(value: Decimal) -> Decimal:
    """Round half-up to the penny (the rule for instalments and percentages)."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def to_pence(value: Decimal) -> int:
    """Exact pence for a pounds amount; refuses anything below a penny."""
    value = Decimal(value)
    if value != value.quantize(PENNY):
        raise MoneyError(f"{value} has more than 2 decimal places")
    return int(value * 100)


def from_pence(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def parse_money(text: object, *, max_places: int = 2) -> Decimal:
    """Parse what people type or a workbook holds: ``1234.5``, ``£1,234.50``, ``-30``.

    Floats from spreadsheet cells are read through their shortest repr, so
    ``1234.1`` stays ``1234.10`` and not ``1234.0999…``. Raises ``MoneyError``
    with a message fit to show next to the field.
    """
    if text is None:
        raise MoneyError("Enter an amount")
    if isinstance(text, bool):
        raise MoneyError("Enter an amount in pounds, like 1234.50")
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, float):
        if not math.isfinite(text):
            raise MoneyError(f"'{text}' is not an amount in pounds")
        value = Decimal(repr(text))
    else:
        cleaned = str(text).strip().replace(" ", "")
        if not cleaned:
            raise MoneyError("Enter an amount")
        match = _MONEY_TEXT.match(cleaned)
        if (
            not match
            or (match["sign"] and match["sign2"])
            or not (match["whole"] or match["pence"])
        ):
            shown = cleaned if len(cleaned) <= 30 else cleaned[:30] + "…"
            raise MoneyError(f"'{shown}' is not an amount in pounds, like 1234.50")
        negative = bool(match["sign"] or match["sign2"])
        try:
            value = Decimal((match["whole"] or "0").replace(",", "") + (match["pence"] or ""))
        except InvalidOperation as exc:  # pragma: no cover - regex guards this
            raise MoneyError(f"'{text}' is not an amount in pounds") from exc
        if negative:
            value = -value
    if not value.is_finite():
        raise MoneyError(f"'{text}' is not an amount in pounds")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > max_places and value != value.quantize(Decimal(1).scaleb(-max_places)):
        raise MoneyError(f"'{text}' has more than {max_places} decimal places")
    return value.quantize(PENNY) if max_places <= 2 else value


def format_money(value: Decimal | int | None, *, pence: bool = True) -> str:
    """``£1,234.50``; negatives as ``-£30.00``. ``pence=False`` gives ``£1,235``."""
    if value is None:
        return ""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    if pence:
        return f"{sign}£{abs(round_pence(value)):,.2f}"
    whole = abs(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{sign}£{whole:,.0f}"


def money_str(value: Decimal) -> str:
    """Machine form for JSON and CSV: ``"1234.50"``."""
    return f"{round_pence(Decimal(value)):.2f}"


def format_percent(value: Decimal | float | int | None, places: int = 0) -> str:
    """A share as people read it: ``format_percent(Decimal("0.255"), 1)`` is ``25.5%``.

    ``value`` is a fraction (0.25 for a quarter); half-up rounding, like money."""
    if value is None:
        return ""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return ""
    shown = (number * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown:,.{places}f}%"
