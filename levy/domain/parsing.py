"""Reading values people type or put in spreadsheet cells: dates, and the problems found.

``RowError`` names where a problem is (sheet, row, column); ``ImportFailed`` carries every
one of them, so an import reports them all and writes nothing. Shared by the importers,
the services that check imported rows against the database, and the views' date filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = f"row {self.row}" if self.row else "-"
        return f"{self.sheet}, {row}, {self.column or '-'}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the workbook")
        self.errors = list(errors)


class CellError(ValueError):
    pass


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


def parse_day(value: Any) -> date:
    """A date cell, or text as ``2021-03-31``, ``31/03/2021`` or ``31 March 2021``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"'{text}' is not a date: use a date cell or write it as 2021-03-31")
