"""Downloads: xlsx with real number and date formats, and CSV. Every download and
every ``flask levy export`` goes through here.

Cells keep their types: dates are Excel dates, money (``Decimal``) is a number
with a pound format, so a finance user can sum and filter without retyping.

Text is never a live formula: an xlsx text cell is written as a string (type
``s``) whatever it starts with, with the characters XML cannot hold (control
characters, U+FFFE, U+FFFF, lone surrogates) dropped, as in a CSV; a
CSV text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
gets a leading ``'`` (numbers, negative ones included, are written as numbers).
The importers take that prefix off again (``levy.importers.workbook.unescape_cell``).

Every xlsx sheet fits Excel as it opens (issue 14): each column is as wide as its
longest formatted value (header included, capped at ``MAX_WIDTH`` characters), the
header row is frozen (``freeze_panes = "A2"``) and has an autofilter over the data.
A month (the ledger's and forecast's month columns) is written as a :class:`Month`, a
``date`` subclass, so the sheet shows ``May 2017`` (``mmm yyyy``) where a day shows
``1 May 2017``; a CSV writes both as ``2017-05-01``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Response, send_file

from levy.domain.fields import XML_ILLEGAL, xml_safe
from levy.domain.money import money_str

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "d mmmm yyyy"
MONTH_FORMAT = "mmm yyyy"
MIN_WIDTH, MAX_WIDTH = 8, 60
DATETIME_FORMAT = "d mmmm yyyy hh:mm"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Sheet = tuple[Sequence[str], Iterable[Sequence[Any]]]


class Month(date):
    """A calendar month in a download: an xlsx cell formatted ``mmm yyyy``."""

    @classmethod
    def of(cls, value: date) -> Month:
        return cls(value.year, value.month, 1)


#: The characters XML 1.0 cannot hold: control characters, U+FFFE, U+FFFF, lone surrogates.
ILLEGAL_CHARACTERS_RE = XML_ILLEGAL

#: A text cell starting with one of these is a formula to a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xlsx_text(value: str) -> str:
    """Text an xlsx cell can hold: the characters XML 1.0 refuses are dropped (a value
    stored before they were refused still downloads)."""
    return xml_safe(value)


def csv_cell(value: str) -> str:
    """Text that a spreadsheet opening the CSV shows as text, never runs as a formula."""
    value = xml_safe(value)  # NUL, the other control characters, U+FFFE, U+FFFF, surrogates
    if value.startswith(FORMULA_START) or (
        value.startswith("'") and value[1:2] in (*FORMULA_START, "'")
    ):
        return "'" + value
    return value


def set_value(cell: Any, value: Any) -> Any:
    """Put ``value`` in an openpyxl cell (write-only or not): text as a plain string,
    dates and money with their formats. Returns the cell."""
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, Month):
        cell.value = date(value.year, value.month, 1)
        cell.number_format = MONTH_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif value is None or isinstance(value, bool | int | float):
        cell.value = value
    else:
        cell.value = xlsx_text(str(value))
        cell.data_type = "s"
    return cell


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell  # openpyxl only when a workbook is made

    return set_value(WriteOnlyCell(sheet), value)


def shown_width(value: Any) -> int:
    """About how many characters Excel shows for ``value`` in its format."""
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, Month):
        return 8  # May 2017
    if isinstance(value, datetime):
        return 23  # 30 September 2021 14:05
    if isinstance(value, date):
        return 17  # 30 September 2021
    if isinstance(value, Decimal):
        return len(f"£{abs(value):,.2f}") + (value < 0)
    return len(str(value))


def column_widths(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Each column's width: its longest shown value plus 2, from ``MIN_WIDTH`` to
    ``MAX_WIDTH`` characters (so £1,692,300.00 never shows as ``#####``)."""
    widths = [shown_width(h) for h in header]
    for row in rows:
        for i, value in enumerate(row):
            w = shown_width(value)
            if i >= len(widths):
                widths.append(w)
            elif w > widths[i]:
                widths[i] = w
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def xlsx_bytes(sheets: dict[str, Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for name, (header, body) in sheets.items():
        rows = body if isinstance(body, list | tuple) else list(body)
        sheet = book.create_sheet(name[:31])
        # a write-only sheet takes these before its first row is appended
        widths = column_widths(header, rows)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        if widths:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{len(rows) + 1}"
        bold = []
        for title in header:
            cell = _cell(sheet, title)
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in rows:
            sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_plain(v) for v in header])
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    """A CSV cell: money as ``1234.50``, dates as ``2021-03-31``, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money_str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return csv_cell(str(value))


def write_file(path: str | Path, fmt: str, sheets: dict[str, Sheet]) -> None:
    """``flask levy export``: the same bytes as the download (CSV: the first sheet)."""
    if fmt == "csv":
        header, rows = next(iter(sheets.values()))
        Path(path).write_text(csv_text(header, rows), encoding="utf-8", newline="")
    else:
        Path(path).write_bytes(xlsx_bytes(sheets))


def xlsx_response(filename: str, sheets: dict[str, Sheet]) -> Response:
    return send_file(
        io.BytesIO(xlsx_bytes(sheets)),
        as_attachment=True,
        download_name=filename,
        mimetype=XLSX_MIME,
    )


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
