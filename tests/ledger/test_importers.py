"""Levy account imports (issue 4 rules 5-7, 13; DAS_DOWNLOAD.md)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from levy.domain.errors import ImportFailed
from levy.importers.ledger import (
    HEADER,
    SHEET,
    looks_like_das,
    read_das_download,
    read_pay_bill,
    read_transactions,
    recognise,
    template,
)
from tests.factories import pay_bill_book, transactions_book

D = Decimal
DATA = Path(__file__).parent / "data"
V2 = DATA / "esfaTransactions_20260722101500.csv"
V1 = DATA / "esfaTransactions_20250701090000.csv"


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        read_transactions(data)
    return [str(e) for e in caught.value.errors]


def test_reads_a_good_workbook():
    rows = read_transactions(
        transactions_book(
            [
                ("2021-03", "levy", 1000, "payroll Feb"),
                (datetime(2021, 3, 15), "top-up", "100.00", None),
                ("2021-03", "Payment", 250.5, "ACME"),
                (None, None, None, None),  # a blank row in the middle is skipped
                ("2021-04", "adjustment", -30, ""),
                ("2021-04", "levy", 1000, "payroll Feb"),
            ]
        )
    )
    assert [(r.row, r.month, r.type, r.amount) for r in rows] == [
        (2, date(2021, 3, 1), "levy", D("1000.00")),
        (3, date(2021, 3, 1), "top-up", D("100.00")),
        (4, date(2021, 3, 1), "payment", D("250.50")),
        (6, date(2021, 4, 1), "adjustment", D("-30.00")),
        (7, date(2021, 4, 1), "levy", D("1000.00")),
    ]
    assert len({r.key for r in rows}) == 5


def test_same_rows_twice_in_a_file_get_different_keys_but_the_same_on_reimport():
    data = transactions_book([("2021-03", "payment", 10, "x"), ("2021-03", "payment", 10, "x")])
    first = [r.key for r in read_transactions(data)]
    assert len(set(first)) == 2
    assert first == [r.key for r in read_transactions(data)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("2021-03", "levy", "abc", ""), "Transactions, row 3, Amount: 'abc' is not an amount"),
        (("2021-03", "levy", "10.123", ""), "Amount: '10.123' has more than 2 decimal places"),
        (("2021-03", "levy", 10.125, ""), "Amount: '10.125' has more than 2 decimal places"),
        (("2021-03", "gift", 10, ""), "Type: 'gift' is not one of: levy, top-up"),
        (("2021-13", "levy", 10, ""), "Month: '2021-13' is not a month"),
        (("2021-03", "payment", -10, ""), "Amount: -10 is negative"),
        (("2021-03", "levy", 0, ""), "Amount: is zero"),
        (("", "levy", 10, ""), "Month: is blank"),
    ],
)
def test_broken_rows(row, message):
    found = errors_of(transactions_book([("2021-02", "levy", 5, ""), row]))
    assert any(message in e for e in found), found
    assert all(", row 3, " in e for e in found)


def test_wrong_header():
    found = errors_of(
        transactions_book(
            [("2021-03", "levy", 1, "")], header=("Month", "Kind", "Amount", "Reference")
        )
    )
    assert found == [
        "Transactions, row 1, -: the header row must be exactly: "
        "Month | Type | Amount | Reference (found: Month | Kind | Amount | Reference)"
    ]


def test_every_error_is_reported_and_nothing_returned():
    found = errors_of(
        transactions_book(
            [("2021-13", "levy", 1, ""), ("2021-03", "levy", "x", ""), ("2021-03", "levy", 1, "")]
        )
    )
    assert len(found) == 2


def test_not_a_workbook():
    with pytest.raises(ImportFailed) as caught:
        read_transactions(b"hello")
    assert "not an Excel workbook" in str(caught.value.errors[0])


def test_ten_thousand_rows_read_correctly():
    """10,000 rows are all read, in order, with every amount; the import's speed is
    measured by bench/ledger.py, not here."""
    rows = [
        (f"20{17 + i // 2400}-{i % 12 + 1:02d}", "payment", i % 500 + 1, f"r{i}")
        for i in range(10_000)
    ]
    data = transactions_book(rows)
    result = read_transactions(data)
    assert len(result) == 10_000
    assert sum(r.amount for r in result) == D("2505000")
    assert {r.type for r in result} == {"payment"}
    assert len({r.reference for r in result}) == 10_000
    assert len({r.month for r in result}) == 60
    by_year: dict[int, Decimal] = {}
    for r in result:
        by_year[r.month.year] = by_year.get(r.month.year, D(0)) + r.amount
    assert by_year == {
        2017: D("581200"),
        2018: D("591200"),
        2019: D("601200"),
        2020: D("611200"),
        2021: D("120200"),
    }
    assert sum(1 for r in result if r.month == date(2021, 1, 1)) == 34
    assert sum(1 for r in result if r.month == date(2021, 12, 1)) == 33
    first, last = result[0], result[-1]
    assert (first.month, first.amount, first.reference) == (date(2017, 1, 1), D(1), "r0")
    assert (last.month, last.amount, last.reference) == (date(2021, 4, 1), D(500), "r9999")


def test_template_header_is_exact():
    book = template()
    assert [c.value for c in book[SHEET][1]] == list(HEADER)


# --- the apprenticeship service's download -----------------------------------------


def by_month(download):
    return {(format_key(r.month), r.type): r.amount for r in download.transactions}


def format_key(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


def test_v2_levy_csv():
    result = read_das_download(V2.read_bytes(), V2.name)
    assert result.layout == "v2 levy account"
    assert result.file_type == "CSV"
    assert result.rows == 10
    assert by_month(result) == {
        # levy rows: (75,845 + 1,083.50) - top-ups (6,895 + 98.50)
        ("2026-07", "levy"): D("69935.00"),
        ("2026-07", "top-up"): D("6993.50"),
        ("2026-07", "adjustment"): D("-330.00"),
        # only Paid from levy: 1,000 + 333.33333 + 2,400 = 3,733.33333 -> 3,733.33
        ("2026-07", "payment"): D("3733.33"),
        ("2026-06", "transfer"): D("500.00"),
        ("2026-06", "payment"): D("1000.00"),
        ("2026-05", "levy"): D("68950.00"),
        ("2026-05", "top-up"): D("6895.00"),
    }
    assert result.expiries == {date(2026, 7, 1): D("350.00")}


def test_v1_levy_csv():
    result = read_das_download(V1.read_bytes(), V1.name)
    assert result.layout == "v1 levy account"
    assert by_month(result) == {
        ("2025-06", "transfer"): D("500.00"),
        ("2025-06", "payment"): D("1000.00"),
        ("2025-05", "levy"): D("2462.50"),
        ("2025-05", "top-up"): D("246.25"),
    }


def test_xlsx_of_strings_with_apostrophe_payroll_month_and_columns_moved():
    table = list(csv.reader(io.StringIO(V2.read_text())))
    header = [h.upper() for h in table[0]]  # headers compared without case
    # early v2: Cohort reference in another column; map by name, never by position
    order = list(range(len(header)))
    order.remove(8)
    order.append(8)
    book = Workbook()
    ws = book.active
    ws.title = "Transactions"
    ws.append([header[i] for i in order])
    for row in table[1:]:
        row = list(row) + [""] * (len(header) - len(row))
        if len(row) > len(header):  # "Smith, John" split by the CSV reader
            row = [*row[:11], ",".join(row[11:13]), *row[13:]]
        row[4] = f"'{row[4]}" if row[4] else ""
        ws.append([row[i] for i in order])
    out = io.BytesIO()
    book.save(out)
    result = read_das_download(out.getvalue(), "download.xlsx")
    assert result.file_type == "xlsx"
    assert by_month(result) == by_month(read_das_download(V2.read_bytes(), V2.name))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '2026-07-22,Levy,Levy,,,0,0,0,,"",,,,,,0,0,0,0,10,',
            "row 2, Transaction date: '2026-07-22' is not a date written dd/mm/yyyy",
        ),
        (
            '22/07/2026,Gift,Gift,,,0,0,0,,"",,,,,,0,0,0,0,10,',
            "row 2, Transaction type: 'Gift' is not a transaction type",
        ),
        (
            '22/07/2026,Levy,Levy,,,0,0,0,,"",,,,,,0,0,0,0,ten,',
            "row 2, Total: 'ten' is not a number",
        ),
    ],
)
def test_das_errors_name_row_and_column(line, message):
    data = (V2.read_text().splitlines()[0] + "\n" + line).encode()
    with pytest.raises(ImportFailed) as caught:
        read_das_download(data, "x.csv")
    assert any(message in str(e) for e in caught.value.errors), caught.value.errors


def test_recognise_layouts_and_unknown():
    assert recognise(["Transaction date", "Transaction type", "Total"]) is None
    assert looks_like_das(V1.read_bytes(), V1.name)
    assert not looks_like_das(transactions_book([]), "x.xlsx")
    with pytest.raises(ImportFailed) as caught:
        read_das_download(b"a,b,c\n1,2,3", "x.csv")
    assert "not a transactions download" in str(caught.value.errors[0])


def test_pay_bill_template():
    data = pay_bill_book(
        [
            ["Worcestershire County Council", "2020-04", 14000000],
            ["Worcestershire County Council", "2020-04", 1],
        ]
    )
    with pytest.raises(ImportFailed) as caught:
        read_pay_bill(data)
    assert "row 3, Payroll month: Worcestershire County Council 2020-04 is already on row 2" in str(
        caught.value.errors[0]
    )


V2_NON_LEVY = (
    "Transaction date,Transaction type,Description,Cohort reference,Training provider,"
    "Unique learner number,Learner,Course name,Course level,Course type,Paid from levy,"
    "Paid from transfer,Your contribution,Government contribution,Total,"
)
V1_NON_LEVY = (
    "Transaction date,Transaction type,Description,Training provider,Unique learner number,"
    "Apprentice,Apprenticeship training course,Course level,Paid from transfer,"
    "Your contribution,Government contribution,Total,"
)


@pytest.mark.parametrize(
    ("header", "layout"),
    [
        (V2_NON_LEVY, "v2 non-levy account"),
        (V1_NON_LEVY, "v1 non-levy account"),
        # v1 before Dec 2019 had no Description, before Nov 2018 no Course level
        (V1.read_text().splitlines()[0].replace("Description,", ""), "v1 levy account"),
        (
            V1.read_text().splitlines()[0].replace("Description,", "").replace("Course level,", ""),
            "v1 levy account",
        ),
        (V2.read_text().splitlines()[0].lower(), "v2 levy account"),
    ],
)
def test_recognises_every_layout(header, layout):
    assert recognise(header.split(",")) == layout


def test_v1_non_levy_payment_from_transfer():
    data = (
        V1_NON_LEVY + "\n" + '12/06/2025,Monthly Payment,Monthly Payment,"ACME",1,Jo Bloggs,'
        "Bricklayer,2,-250.00000,0.00000,0.00000,-250.00000,"
    ).encode()
    result = read_das_download(data, "x.csv")
    assert result.layout == "v1 non-levy account"
    assert by_month(result) == {("2025-06", "payment"): D("250.00")}


def test_received_transfer_is_ignored_and_counted():
    header = V2.read_text().splitlines()[0]
    line = (
        '19/06/2026,Transfer,Transfer sent to US LTD,,,0.00000,0.00000,0.00000,,"",,,'
        "Bricklayer,2,Apprenticeship,0.00000,500.00000,0.00000,0.00000,500.00000,"
    )
    result = read_das_download(f"{header}\n{line}".encode(), "x.csv")
    assert result.transactions == []
    assert result.ignored == {"received transfer": 1}
