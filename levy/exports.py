"""Downloads: xlsx with real number and date formats, and CSV.

Cells keep their types: dates are Excel dates, money (``Decimal``) is a number
with a pound format, so a finance user can sum and filter without retyping.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, send_file

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "d mmmm yyyy"
DATETIME_FORMAT = "d mmmm yyyy hh:mm"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Sheet = tuple[Sequence[str], Iterable[Sequence[Any]]]


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell  # openpyxl only when a workbook is made

    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
    else:
        cell = WriteOnlyCell(sheet, value=value)
    return cell


def xlsx_bytes(sheets: dict[str, Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name[:31])
        bold = []
        for title in header:
            cell = WriteOnlyCell(sheet, value=title)
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
    writer.writerow(header)
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


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
