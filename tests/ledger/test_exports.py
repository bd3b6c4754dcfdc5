"""Downloads that fit Excel as they open (issue 14): widths, month formats, frozen
header, autofilter. Every download goes through levy/exports.py."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from levy.exports import MAX_WIDTH, Month, column_widths, csv_text, xlsx_bytes


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_ledger_sheet_has_month_format_widths_frozen_header_and_filter():
    rows = [
        [Month.of(date(2017, 5, 1)), Decimal("1692300"), date(2021, 3, 31), "x"],
        [Month.of(date(2017, 6, 15)), Decimal("-12.5"), datetime(2021, 3, 31, 9, 5), "y"],
    ]
    ws = _sheet(xlsx_bytes({"Ledger": (("Month", "Balance", "Day", "Note"), rows)}))
    assert ws["A2"].value == datetime(2017, 5, 1)
    assert ws["A2"].number_format == "mmm yyyy"
    assert ws["A3"].value == datetime(2017, 6, 1)  # the month, not the day
    assert ws["C2"].number_format == "d mmmm yyyy"  # a day keeps its day
    assert ws["B2"].number_format == '"£"#,##0.00;-"£"#,##0.00'
    # £1,692,300.00 is 13 characters: 15 wide, never #####
    assert ws.column_dimensions["B"].width == 15
    assert ws.column_dimensions["A"].width == 10  # "May 2017" + 2
    assert ws.column_dimensions["D"].width == 8  # the narrowest column
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"


def test_widths_are_capped_and_count_the_header():
    widths = column_widths(("A very long header for a column",), [["x" * 500], ["short"]])
    assert widths == [MAX_WIDTH]
    assert column_widths(("Reference",), [["ab"]]) == [11]


def test_an_empty_sheet_still_has_its_header_frozen_and_filtered():
    ws = _sheet(xlsx_bytes({"Empty": (("Month", "Funds in"), [])}))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B1"
    assert ws.column_dimensions["B"].width == 10


def test_a_generator_of_rows_is_written_whole():
    ws = _sheet(xlsx_bytes({"S": (("N",), ([i] for i in range(3)))}))
    assert [c.value for c in ws["A"]] == ["N", 0, 1, 2]
    assert ws.auto_filter.ref == "A1:A4"


def test_csv_writes_a_month_as_its_first_day():
    assert csv_text(("Month",), [[Month.of(date(2017, 5, 20))]]) == "Month\n2017-05-01\n"


def test_ledger_and_forecast_downloads_show_months(client, login_as):
    from levy.demo.ledger import load_levy_transactions
    from levy.domain.accounts import Actor

    load_levy_transactions(Actor.cli("test"))
    login_as("finance")
    for url in ("/levy/ledger.xlsx", "/levy/forecast.xlsx"):
        ws = _sheet(client.get(url).data)
        assert ws["A2"].number_format == "mmm yyyy", url
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        widths = [ws.column_dimensions[c].width for c in "BCDEF"]
        assert all(w >= 10 for w in widths), (url, widths)
