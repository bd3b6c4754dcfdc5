"""Field types: the one way every form, importer and CLI option reads a value.

Each ``parse_*`` function takes what a person typed (or a workbook cell held)
and returns a checked Python value, or raises ``FieldError`` with a message
fit to show next to the field (it names the field when given a ``label``).
Web forms (``levy/forms/fields.py``), workbook rows (``levy/importers/workbook.py``)
and ``flask levy`` options (``levy/cli.py``) all call these, so the three
accept exactly the same spellings and ranges.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta

from levy.domain.money import MoneyError, format_money, format_percent, parse_money
from levy.domain.months import MonthError, format_day, format_month, format_month_name
from levy.domain.months import parse_month as _parse_month


class FieldError(ValueError):
    """A value that is not what the field takes; the message names the fix."""


def _named(label: str | None, message: str) -> str:
    return f"{label}: {message}" if label else message


# --- text ------------------------------------------------------------------------------

#: Characters XML 1.0 cannot hold: C0 controls except tab/newline/carriage return, lone
#: surrogates, U+FFFE and U+FFFF. An xlsx or docx cannot be written with one in it.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Characters refused in any text: the ones XML cannot hold, DEL, C1 controls, and the
#: bidirectional overrides/isolates that can disguise text.
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
#: Single-line text also refuses tab, newline and carriage return.
LINE_BREAKS = re.compile("[\t\n\r]")


def check_characters(text: str, *, label: str | None = None, multiline: bool = False) -> str:
    """The one character check every text input passes (forms, import rows, commands):
    ``text`` unchanged, or ``FieldError`` naming the field and the first refused character,
    such as "Name must not contain the character U+FFFE"."""
    found = CONTROL.search(text) or (None if multiline else LINE_BREAKS.search(text))
    if found is None:
        return text
    subject = f"{label} must" if label else "must"
    raise FieldError(
        f"{subject} not contain the control or hidden character U+{ord(found.group()):04X}: "
        "retype the text rather than pasting it from another program"
    )


def xml_safe(text: str, replacement: str = "") -> str:
    """``text`` with each character XML 1.0 cannot hold replaced (by default dropped): what
    a download writes, whatever is already stored."""
    return XML_ILLEGAL.sub(replacement, text)


def parse_text(
    value: object,
    *,
    label: str | None = None,
    max_length: int = 200,
    multiline: bool = False,
) -> str:
    """Stripped text of at most ``max_length`` characters, with no control characters."""
    text = check_characters(
        "" if value is None else str(value).strip(), label=label, multiline=multiline
    )
    if len(text) > max_length:
        raise FieldError(_named(label, f"must be {max_length} characters or fewer"))
    return text


# --- whole numbers ---------------------------------------------------------------------

#: What a database ``INTEGER`` column holds (PostgreSQL's 4-byte integer).
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
_INT_TEXT = re.compile(r"^[+-]?[0-9][0-9,]{0,14}$")


def parse_int(
    value: object,
    *,
    label: str | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """A whole number such as ``12`` or ``1,200``, within ``minimum``..``maximum``
    (and always within a database integer); ``1e309``, ``NaN``, ``1.5`` are refused."""
    low = INT_MIN if minimum is None else max(minimum, INT_MIN)
    high = INT_MAX if maximum is None else min(maximum, INT_MAX)
    if isinstance(value, bool) or value is None:
        raise FieldError(_named(label, "enter a whole number, like 12"))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            raise FieldError(_named(label, f"'{value}' is not a whole number"))
        number = int(value)
    else:
        text = str(value).strip()
        if not _INT_TEXT.match(text) or ",," in text or text.endswith(","):
            shown = text if len(text) <= 20 else text[:20] + "…"
            raise FieldError(_named(label, f"'{shown}' is not a whole number, like 12"))
        number = int(text.replace(",", ""))
    if number < low or number > high:
        raise FieldError(_named(label, f"enter a whole number from {low:,} to {high:,}"))
    return number


# --- money -----------------------------------------------------------------------------

#: The largest amount any money field takes: far above any levy figure, far below overflow.
MONEY_MAX = Decimal("1000000000")


def parse_amount(
    value: object,
    *,
    label: str | None = None,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal = MONEY_MAX,
    allow_zero: bool = True,
) -> Decimal:
    """Pounds and pence in the one accepted spelling (``1234.5``, ``£1,234.50``, ``-30``),
    within ``minimum``..``maximum``. ``minimum=None`` allows any negative to ``-maximum``."""
    try:
        amount = parse_money(value)
    except MoneyError as exc:
        raise FieldError(_named(label, str(exc))) from None
    low = -maximum if minimum is None else minimum
    if amount < low:
        raise FieldError(_named(label, f"enter an amount of {format_money(low)} or more"))
    if amount > maximum:
        raise FieldError(_named(label, f"enter an amount of {format_money(maximum)} or less"))
    if amount == 0 and not allow_zero:
        raise FieldError(_named(label, f"enter an amount more than {format_money(0)}"))
    return amount


def parse_decimal(
    value: object,
    *,
    label: str | None = None,
    minimum: Decimal = Decimal(0),
    maximum: Decimal = Decimal(100000),
    places: int = 2,
    example: str = "7.5",
) -> Decimal:
    """A plain number such as hours or a percentage (``37.5``, ``25%``), finite, in range."""
    text = "" if value is None else str(value).strip().rstrip("%").strip()
    if not re.fullmatch(r"[+-]?([0-9]{1,12}(\.[0-9]*)?|\.[0-9]+)", text):
        raise FieldError(_named(label, f"'{value}' is not a number, like {example}"))
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern guards this
        raise FieldError(_named(label, f"'{value}' is not a number, like {example}")) from None
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise FieldError(_named(label, f"use at most {places} decimal places"))
    if not minimum <= number <= maximum:
        raise FieldError(_named(label, f"enter a number from {minimum} to {maximum}"))
    return number.quantize(quantum)


# --- dates -----------------------------------------------------------------------------

#: Every spelling of a day the service takes, web, workbook and command line alike.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %m %Y",
    "%d %B %Y",
    "%d %b %Y",
)


@dataclass(frozen=True)
class DateRange:
    """The plausible dates for a field's meaning."""

    earliest: date
    latest: date
    meaning: str = "date"

    def check(self, day: date, label: str | None = None) -> date:
        if not self.earliest <= day <= self.latest:
            raise FieldError(
                _named(
                    label,
                    f"enter a {self.meaning} between {format_day(self.earliest)} "
                    f"and {format_day(self.latest)}",
                )
            )
        return day


#: Apprenticeship programmes, levy months and transfers: the levy began in 2017.
PROGRAMME_DATES = DateRange(date(2017, 1, 1), date(2100, 12, 31), "date")
TRANSFER_DATES = PROGRAMME_DATES
#: Any date the service stores at all (the widest range; used where no meaning is given).
ANY_DATES = DateRange(date(1900, 1, 1), date(2100, 12, 31), "date")
#: No range at all: parse first, then say separately that the date is out of range.
EVERY_DATE = DateRange(date.min, date.max, "date")


def birth_dates(today: date) -> DateRange:
    """A date of birth in the last 100 years."""
    return DateRange(today - relativedelta(years=100), today, "date of birth")


def parse_day(value: object, *, label: str | None = None, within: DateRange = ANY_DATES) -> date:
    """A date cell, or text as ``2021-03-31``, ``31/03/2021``, ``31 3 2021`` or
    ``31 March 2021``, within ``within``."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = " ".join(str(value if value is not None else "").split())
        day = None
        if len(text) <= 40:
            for fmt in DATE_FORMATS:
                try:
                    day = datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    continue
        if day is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise FieldError(
                _named(label, f"'{shown}' is not a date: write it like 2021-03-31 or 31/03/2021")
            )
    assert day is not None  # each branch above set it or raised
    return within.check(day, label)


def parse_month(value: object, *, label: str | None = None, within: DateRange = ANY_DATES) -> date:
    """``2021-03`` (or a date) as the first of the month, within ``within``."""
    try:
        month = _parse_month(value)
    except MonthError as exc:
        raise FieldError(_named(label, str(exc))) from None
    if not within.earliest.replace(day=1) <= month <= within.latest:
        raise FieldError(
            _named(
                label,
                f"enter a month between {format_month(within.earliest)} "
                f"and {format_month(within.latest)}",
            )
        )
    return month


# --- display: re-exported so a caller needs one import -----------------------------------

__all__ = [
    "ANY_DATES",
    "DATE_FORMATS",
    "EVERY_DATE",
    "INT_MAX",
    "INT_MIN",
    "MONEY_MAX",
    "PROGRAMME_DATES",
    "TRANSFER_DATES",
    "DateRange",
    "FieldError",
    "birth_dates",
    "check_characters",
    "format_day",
    "format_money",
    "format_month",
    "format_month_name",
    "format_percent",
    "parse_amount",
    "parse_day",
    "parse_decimal",
    "parse_int",
    "parse_month",
    "parse_text",
    "xml_safe",
]
