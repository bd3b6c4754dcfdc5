"""Reading a day typed by a person or held in a spreadsheet cell.

One parser for every way a day arrives: a workbook cell (``Row.day``), a form's
text box, a ``?as_of=`` query parameter. It lives in the domain so services,
importers and views all share it without depending on each other.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


class DateError(ValueError):
    """Text that is not a day; ``str(error)`` says how to write one."""


def parse_day(value: Any) -> date:
    """A date cell, or text as ``2021-03-31``, ``31/03/2021`` or ``31 March 2021``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DateError(f"'{text}' is not a date: use a date cell or write it as 2021-03-31")
