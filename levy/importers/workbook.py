"""Workbook reading shared by every import.

An import reads the whole workbook into plain rows, collecting every problem
as a ``RowError`` (sheet, row, column, message); only when there are none
does its service write anything. ``ImportFailed`` carries the list.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported by the functions that read or write a workbook
    from openpyxl import Workbook
    from openpyxl.workbook.workbook import Workbook as WorkbookType

from levy.domain import fields
from levy.domain.errors import ImportFailed, RowError
from levy.domain.fields import ANY_DATES, DateRange, FieldError

FILE = "File"


def open_workbook(
    source: str | Path | bytes | IO[bytes] | WorkbookType, *, read_only: bool = True
) -> WorkbookType:
    """Open an .xlsx, or fail with one clear error naming the file; a workbook that is
    already open is returned as it is (read once, checked by more than one reader)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.workbook.workbook import Workbook as OpenWorkbook

    if isinstance(source, OpenWorkbook):
        return source
    try:
        if isinstance(source, bytes):
            source = io.BytesIO(source)
        return load_workbook(source, read_only=read_only, data_only=True)
    except FileNotFoundError as exc:
        raise ImportFailed([RowError(FILE, None, None, f"no such file: {exc.filename}")]) from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFailed(
            [
                RowError(
                    FILE,
                    None,
                    None,
                    "this is not an Excel workbook (.xlsx): save it as .xlsx "
                    "from Excel or LibreOffice and try again",
                )
            ]
        ) from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Row:
    """One data row; the typed getters record an error and return None on bad input."""

    sheet: str
    number: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.number, column, message))

    def _get(self, column: str, required: bool) -> Any:
        value = self.values.get(column)
        if _blank(value):
            if required:
                self.error(column, "is blank: fill it in")
            return None
        return value

    def text(
        self, column: str, *, required: bool = True, max_length: int = 200, multiline: bool = True
    ) -> str | None:
        value = self._get(column, required)
        if value is None:
            return None if required else ""
        try:
            return fields.parse_text(
                unescape_cell(value), max_length=max_length, multiline=multiline
            )
        except FieldError as exc:
            self.error(column, str(exc))
            return None

    def integer(
        self,
        column: str,
        *,
        required: bool = True,
        minimum: int | None = 0,
        maximum: int | None = None,
    ) -> int | None:
        value = self._get(column, required)
        if value is None:
            return None
        try:
            result = fields.parse_int(value)
        except FieldError as exc:
            self.error(column, str(exc))
            return None
        if minimum is not None and result < minimum:
            self.error(column, f"{result} is less than {minimum}")
            return None
        if maximum is not None and result > maximum:
            self.error(column, f"{result} is more than {maximum}")
            return None
        return result

    def money(
        self,
        column: str,
        *,
        required: bool = True,
        allow_negative: bool = False,
        allow_zero: bool = True,
    ) -> Decimal | None:
        value = self._get(column, required)
        if value is None:
            return None
        try:
            amount = fields.parse_amount(value, minimum=None)
        except FieldError as exc:
            self.error(column, str(exc))
            return None
        if amount < 0 and not allow_negative:
            self.error(column, f"{value} is negative: enter a positive amount")
            return None
        if amount == 0 and not allow_zero:
            self.error(column, "is zero: enter an amount")
            return None
        return amount

    def day(
        self, column: str, *, required: bool = True, within: DateRange = ANY_DATES
    ) -> date | None:
        value = self._get(column, required)
        if value is None:
            return None
        try:
            return fields.parse_day(value, within=within)
        except FieldError as exc:
            self.error(column, str(exc))
            return None

    def month(
        self, column: str, *, required: bool = True, within: DateRange = ANY_DATES
    ) -> date | None:
        value = self._get(column, required)
        if value is None:
            return None
        try:
            return fields.parse_month(value, within=within)
        except FieldError as exc:
            self.error(column, str(exc))
            return None

    def yes_no(self, column: str, *, required: bool = True) -> bool | None:
        value = self._get(column, required)
        if value is None:
            return None if required else False
        text = str(value).strip().lower()
        if text in ("yes", "y", "true"):
            return True
        if text in ("no", "n", "false"):
            return False
        self.error(column, f"'{value}' is not yes or no")
        return None

    def choice(self, column: str, choices: Sequence[str], *, required: bool = True) -> str | None:
        value = self._get(column, required)
        if value is None:
            return None
        text = str(value).strip().lower()
        for choice in choices:
            if text == choice.lower():
                return choice
        self.error(column, f"'{value}' is not one of: {', '.join(choices)}")
        return None


#: A text cell an export prefixed with ``'`` so a spreadsheet shows it as text, not a
#: formula (``levy.exports``): the importer takes the prefix off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unescape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:2] in (*FORMULA_START, "'"):
        return value[1:]
    return value


def read_sheet(
    workbook: WorkbookType,
    sheet: str,
    header: Sequence[str],
    *,
    required: bool = True,
    errors: list[RowError],
) -> Iterator[Row]:
    """Yield the non-blank data rows of ``sheet`` after checking its header row exactly.

    Problems with the sheet itself go into ``errors``; the caller collects each
    row's own errors from ``Row.errors``.
    """
    if sheet not in workbook.sheetnames:
        if required:
            errors.append(
                RowError(
                    sheet,
                    None,
                    None,
                    f"the workbook has no sheet called '{sheet}' "
                    f"(it has: {', '.join(workbook.sheetnames)})",
                )
            )
        return
    rows = workbook[sheet].iter_rows(values_only=True)
    first = next(rows, None)
    found = [("" if v is None else str(v).strip()) for v in (first or ())]
    while found and not found[-1]:
        found.pop()
    if found != list(header):
        errors.append(
            RowError(
                sheet,
                1,
                None,
                f"the header row must be exactly: {' | '.join(header)} "
                f"(found: {' | '.join(found) or 'nothing'})",
            )
        )
        return
    for number, values in enumerate(rows, start=2):
        values = tuple(values or ())
        if all(_blank(v) for v in values):
            continue
        extra = [v for v in values[len(header) :] if not _blank(v)]
        row = Row(sheet, number, dict(zip(header, values, strict=False)))
        if extra:
            row.error(None, "has values to the right of the last column: remove them")
        yield row


def template_workbook(
    sheets: dict[str, Sequence[str]], instructions: Sequence[tuple[str, str]] | None = None
) -> Workbook:
    """A blank import template: bold header rows, optional Instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.remove(book.worksheets[0])
    for name, header in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDDDDD")
            sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
        sheet.freeze_panes = "A2"
    if instructions:
        sheet = book.create_sheet("Instructions")
        sheet.append(["Column", "What to enter"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, text in instructions:
            sheet.append([column, text])
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 100
    return book
