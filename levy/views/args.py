"""Reading query parameters: the one way, with bounds.

A parameter that is not what it should be, or is out of range (``?page=`` with
twenty digits, ``?as_of=9999-12-31``), stops the request with a 400 page that
names the parameter and the fix, never a 500 from deep inside a query.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, request
from werkzeug.routing import IntegerConverter, ValidationError

from levy.domain.fields import (
    INT_MAX,
    PROGRAMME_DATES,
    DateRange,
    FieldError,
    parse_day,
    parse_int,
    parse_month,
)


def arg_int(
    name: str,
    default: int | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """``?name=`` as a whole number within bounds; blank gives ``default``."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    try:
        return parse_int(text, label=f"'{name}' in the address", minimum=minimum, maximum=maximum)
    except FieldError as exc:
        abort(400, f"{exc}. Go back and choose from the page instead.")


def arg_id(name: str) -> int | None:
    """``?name=`` as a record id (a positive database integer), or None when blank."""
    return arg_int(name, minimum=1)


def check_date(name: str, day: date, within: DateRange = PROGRAMME_DATES) -> date:
    """A parsed date from the address, refused with a 400 when out of range."""
    try:
        return within.check(day, f"'{name}' in the address")
    except FieldError as exc:
        abort(400, str(exc))


def _arg_date(name: str, parse: Callable[..., date], within: DateRange) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return parse(text, label=f"'{name}' in the address", within=within)
    except FieldError as exc:
        abort(400, str(exc))


def arg_day(name: str, within: DateRange = PROGRAMME_DATES) -> date | None:
    """``?name=`` as a date (any spelling the forms take) within ``within``."""
    return _arg_date(name, parse_day, within)


def arg_month(name: str, within: DateRange = PROGRAMME_DATES) -> date | None:
    """``?name=`` as a month (``2021-03``) within ``within``."""
    return _arg_date(name, parse_month, within)


class IdConverter(IntegerConverter):
    """``<int:id>`` that only matches ids a database integer can hold (else 404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > 10:
            raise ValidationError()
        return super().to_python(value)
