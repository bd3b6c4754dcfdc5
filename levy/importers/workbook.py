"""Workbook reading shared by every import.

An import reads the whole workbook into plain rows, collecting every problem
as a ``RowError`` (sheet, row, column, message); only when there are none
does its service write anything. ``ImportFailed`` carries the list.

A file is measured before it is parsed (issue 26 §4): a workbook whose parts unzip to
more than ``LEVY_IMPORT_MAX_UNZIPPED_BYTES`` (default 50 MB), or any part compressed
more than ``MAX_RATIO`` times over, is refused from the zip's central directory alone
(``check_archive``); a sheet is read read-only and refused as soon as it holds more than
``LEVY_IMPORT_MAX_ROWS`` rows (default 100,000), from its size record when it has one,
else when reading reaches the limit (``limited_rows``). A CSV has the same two limits.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
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

#: The defaults of the settings ``LEVY_IMPORT_MAX_UNZIPPED_BYTES`` and ``LEVY_IMPORT_MAX_ROWS``.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
#: A part of a workbook compressed more than this many times over is refused: real sheets
#: compress about ten times; a "zip bomb" a thousand. Parts under ``RATIO_FROM`` are let be.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much an import reads: unzipped bytes of a workbook (or bytes of a CSV), rows
    of a sheet (or a CSV) after its header."""

    unzipped_bytes: int = MAX_UNZIPPED_BYTES
    rows: int = MAX_ROWS


def import_limits() -> Limits:
    """The running app's settings, else the defaults."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return Limits()
    config = current_app.config
    return Limits(
        int(config.get("LEVY_IMPORT_MAX_UNZIPPED_BYTES") or MAX_UNZIPPED_BYTES),
        int(config.get("LEVY_IMPORT_MAX_ROWS") or MAX_ROWS),
    )


def size_text(size: int) -> str:
    """``52.4 MB``, ``800 KB``: a size as people read it."""
    mb = 1024 * 1024
    return f"{size / mb:,.1f} MB" if size >= mb / 10 else f"{max(1, round(size / 1024)):,} KB"


def _refused(where: str, message: str, row: int | None = None) -> ImportFailed:
    return ImportFailed([RowError(where, row, None, message)])


def check_archive(source: str | Path | bytes | IO[bytes], limits: Limits | None = None) -> None:
    """Refuse a workbook that would unzip to more than the limit, or a part of it
    compressed like a zip bomb, from the zip's central directory (nothing is unzipped).
    A file that is not a zip at all is left for ``open_workbook`` to name."""
    limits = limits or import_limits()
    start = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        if start is not None and hasattr(source, "seek"):
            source.seek(start)
    total = sum(p.file_size for p in parts)
    if total > limits.unzipped_bytes:
        raise _refused(
            FILE,
            f"the workbook unzips to {size_text(total)}, more than the "
            f"{size_text(limits.unzipped_bytes)} an import takes: remove what the import "
            "does not need (other sheets, pictures, formatting) or split it into smaller files",
        )
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise _refused(
                FILE,
                f"the workbook's part {part.filename} unzips to {size_text(part.file_size)} "
                f"from {size_text(part.compress_size)}, which no real workbook does: "
                "save it again from Excel or LibreOffice",
            )


def too_many_rows(where: str, limit: int) -> ImportFailed:
    return _refused(
        where,
        f"has more than {limit:,} rows, the most an import takes: split it into smaller "
        "files, or delete the empty rows below the data",
    )


def limited_rows(
    rows: Iterable[Sequence[Any]], where: str, limit: int | None = None
) -> Iterator[Sequence[Any]]:
    """``rows`` (the header first), refused with ``ImportFailed`` as soon as there are more
    than ``limit`` after the header: a file of a million empty rows is not read to its end."""
    limit = import_limits().rows if limit is None else limit
    for count, row in enumerate(rows):
        if count > limit:
            raise too_many_rows(where, limit)
        yield row


def check_declared_rows(worksheet: Any, where: str, limit: int | None = None) -> None:
    """Refuse a sheet whose size record already says it holds more than ``limit`` rows
    after the header (read-only sheets have it when the file carries one)."""
    limit = import_limits().rows if limit is None else limit
    try:
        declared = worksheet.max_row
    except (AttributeError, TypeError, ValueError):
        return
    if isinstance(declared, int) and declared > limit + 1:
        raise too_many_rows(where, limit)


def open_workbook(
    source: str | Path | bytes | IO[bytes] | WorkbookType, *, read_only: bool = True
) -> WorkbookType:
    """Open an .xlsx, or fail with one clear error naming the file; a workbook that is
    already open is returned as it is (read once, checked by more than one reader).
    Its size is checked first (``check_archive``): nothing is unzipped beyond the limit."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.workbook.workbook import Workbook as OpenWorkbook

    if isinstance(source, OpenWorkbook):
        return source
    check_archive(source)
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
    row's own errors from ``Row.errors``. A sheet over the row limit raises
    ``ImportFailed`` (from its size record, else on reaching the limit).
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
    worksheet = workbook[sheet]
    check_declared_rows(worksheet, sheet)
    rows = limited_rows(worksheet.iter_rows(values_only=True), sheet)
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
