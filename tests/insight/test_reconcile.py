"""Part 2: each problem kind from a small crafted download, v1 and v2, CSV and xlsx."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from levy.importers.service_download import read_service_download
from levy.services.insight import reconcile
from tests.factories import (
    create_apprentice,
    create_directorate,
    create_standard,
    create_transaction,
)

V2 = (
    "Transaction date,Transaction type,Description,PAYE scheme,Payroll month,Levy declared,"
    "English %,10% top up,Cohort reference,Training provider,Unique learner number,Learner,"
    "Course name,Course level,Course type,Paid from levy,Paid from transfer,Your contribution,"
    "Government contribution,Total,"
)
V1 = (
    "Transaction date,Transaction type,Description,PAYE scheme,Payroll month,Levy declared,"
    "English %,10% top up,Training provider,Unique learner number,Apprentice,"
    "Apprenticeship training course,Course level,Paid from levy,Your contribution,"
    "Government contribution,Total,"
)


def pay(day: str, uln: str, levy: str, kind: str = "Monthly Payment", **more: str) -> dict:
    employer, government = more.get("employer", "0"), more.get("government", "0")
    total = Decimal(levy) + Decimal(employer) + Decimal(government)
    return {
        "Transaction date": day,
        "Transaction type": kind,
        "Description": kind,
        "Training provider": "ACME TRAINING LTD",
        "Unique learner number": uln,
        "Learner": "Jane Smith",
        "Apprentice": "Jane Smith",
        "Course name": "Business administrator",
        "Apprenticeship training course": "Business administrator",
        "Course level": "3",
        "Paid from levy": f"{Decimal(levy):.5f}",
        "Your contribution": f"{Decimal(employer):.5f}",
        "Government contribution": f"{Decimal(government):.5f}",
        "Total": f"{total:.5f}",
    }


ROWS = [
    {  # funds in: December 2020
        "Transaction date": "22/12/2020",
        "Transaction type": "Levy",
        "Description": "Levy",
        "PAYE scheme": "123/AB45678",
        "Payroll month": "Nov 2020",
        "Levy declared": "1000.00000",
        "English %": "100.00000",
        "10% top up": "0.00000",
        "Total": "1000.00000",
    },
    # paid in December for November (the lag is 1 month)
    pay("14/12/2020", "1111111111", "-222.22"),  # A: as scheduled
    pay("14/12/2020", "4444444444", "-222.22"),  # D: as scheduled
    pay("14/12/2020", "9999999999", "-100"),  # nobody's ULN: one problem for both rows
    pay("14/12/2020", "9999999999", "-50", "Completion Payment"),
    # paid in January for December
    pay("14/01/2021", "1111111111", "-150", employer="-25", government="-25"),  # A: 200.00
    pay("14/01/2021", "2222222222", "-222.22"),  # B withdrew on 15 November
    # D has no payment for December: missing
    {
        "Transaction date": "20/01/2021",
        "Transaction type": "Expired Levy",
        "Description": "Expired Levy",
        "Total": "-350.00000",
    },
]


def csv_bytes(header: str, rows: list[dict]) -> bytes:
    names = [h for h in header.split(",") if h]
    lines = [header]
    for row in reversed(rows):  # the service writes newest first
        cells = []
        for name in names:
            value = row.get(name, "0.00000" if name in MONEY else "")
            cells.append(f'"{value}"' if name == "Training provider" else value)
        lines.append(",".join(cells) + ",")
    return "\n".join(lines).encode()


MONEY = {
    "Levy declared",
    "English %",
    "10% top up",
    "Paid from levy",
    "Paid from transfer",
    "Your contribution",
    "Government contribution",
    "Total",
}


def xlsx_bytes(header: str, rows: list[dict]) -> bytes:
    names = [h for h in header.split(",") if h]
    book = Workbook()
    sheet = book.active
    sheet.title = "Transactions"
    sheet.append(names)
    for row in reversed(rows):
        sheet.append([str(row.get(n, "0.00000" if n in MONEY else "")) for n in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def records() -> None:
    people = create_directorate("People", headcount=10, pay_bill=Decimal(100))
    standard = create_standard(band=Decimal(5000))
    start, end = date(2020, 9, 1), date(2022, 2, 28)  # 222.22 a month
    create_apprentice(
        people, standard, reference="A", uln="1111111111", planned_start=start, planned_end=end
    )
    create_apprentice(
        people,
        standard,
        reference="B",
        uln="2222222222",
        planned_start=start,
        planned_end=end,
        status="withdrawn",
        status_date=date(2020, 11, 15),
    )
    create_apprentice(people, standard, reference="C", planned_start=start, planned_end=end)
    create_apprentice(
        people, standard, reference="D", uln="4444444444", planned_start=start, planned_end=end
    )
    create_apprentice(  # left before the file's months: no ULN but nothing to match
        people,
        standard,
        reference="E",
        planned_start=date(2018, 9, 1),
        planned_end=date(2020, 2, 28),
        status="completed",
        status_date=date(2020, 2, 28),
    )
    create_transaction(date(2020, 12, 1), "levy", "1000.00")
    create_transaction(date(2020, 12, 1), "payment", "594.44")


EXPECTED = [
    {
        "kind": "unknown_learner",
        "month": "2020-11",
        "uln": "9999999999",
        "reference": None,
        "expected": None,
        "actual": "150.00",
    },
    {
        "kind": "missing_payment",
        "month": "2020-12",
        "uln": "4444444444",
        "reference": "D",
        "expected": "222.22",
        "actual": None,
    },
    {
        "kind": "amount_differs",
        "month": "2020-12",
        "uln": "1111111111",
        "reference": "A",
        "expected": "222.22",
        "actual": "200.00",
    },
    {
        "kind": "after_end",
        "month": "2020-12",
        "uln": "2222222222",
        "reference": "B",
        "expected": "0.00",
        "actual": "222.22",
    },
    {
        "kind": "expiry_differs",
        "month": "2021-01",
        "uln": None,
        "reference": None,
        "expected": "0.00",
        "actual": "350.00",
    },
    {
        "kind": "no_uln",
        "month": None,
        "uln": None,
        "reference": "C",
        "expected": None,
        "actual": None,
    },
]


@pytest.mark.parametrize(
    ("header", "maker", "name"),
    [
        (V2, csv_bytes, "v2.csv"),
        (V1, csv_bytes, "v1.csv"),
        (V2, xlsx_bytes, "v2.xlsx"),
        (V1, xlsx_bytes, "v1.xlsx"),
    ],
)
def test_every_problem_kind(
    app: Any, runner: Any, tmp_path: Path, header: str, maker: Any, name: str
) -> None:
    records()
    path = tmp_path / name
    path.write_bytes(maker(header, ROWS))
    result = runner.invoke(args=["levy", "reconcile", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    problems = data["problems"]
    assert [{k: v for k, v in p.items() if k != "message"} for p in problems] == EXPECTED
    assert all(p["message"] for p in problems)
    assert "15 November 2020" in problems[3]["message"]
    assert data["months"] == [
        {
            "month": "2020-12",
            "funds_in": {"ours": "1000.00", "service": "1000.00"},
            "payments": {"ours": "594.44", "service": "594.44"},
            "transfers": {"ours": "0.00", "service": "0.00"},
            "expired": {"ours": "0.00", "service": "0.00"},
        },
        {
            "month": "2021-01",
            "funds_in": {"ours": "0.00", "service": "0.00"},
            "payments": {"ours": "0.00", "service": "372.22"},
            "transfers": {"ours": "0.00", "service": "0.00"},
            "expired": {"ours": "0.00", "service": "350.00"},
        },
    ]


def test_the_lag_moves_payments_between_months(db: Any) -> None:
    records()
    parsed = read_service_download(csv_bytes(V2, ROWS), "v2.csv")
    kinds = [p.kind for p in reconcile(parsed, lag=0).problems]
    # with no lag the January payments are for January: B is still after its end, A's
    # 200.00 differs, and D lacks January; nothing is paid for November any more
    assert kinds.count("after_end") == 1
    assert kinds.count("missing_payment") == 1
    months = [p.month for p in reconcile(parsed, lag=0).problems if p.kind == "missing_payment"]
    assert months == [date(2021, 1, 1)]


def test_a_difference_of_one_pound_is_tolerated(db: Any) -> None:
    records()
    rows = [
        ROWS[0],
        pay("14/12/2020", "1111111111", "-221.22"),
        pay("14/12/2020", "4444444444", "-223.23"),
    ]
    parsed = read_service_download(csv_bytes(V2, rows), "v2.csv")
    problems = [p for p in reconcile(parsed, lag=1).problems if p.kind == "amount_differs"]
    assert [(p.reference, p.actual) for p in problems] == [("D", Decimal("223.23"))]


def test_reconcile_changes_nothing(app: Any, runner: Any, tmp_path: Path) -> None:
    from levy.extensions import db
    from levy.models import LevyTransaction
    from levy.models.levy_pot import RecordedExpiry

    records()
    path = tmp_path / "v2.csv"
    path.write_bytes(csv_bytes(V2, ROWS))
    before = db.session.query(LevyTransaction).count()
    result = runner.invoke(args=["levy", "reconcile", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["problems"]  # it did compare: the rows differ
    assert db.session.query(LevyTransaction).count() == before
    assert db.session.query(RecordedExpiry).count() == 0


def test_xlsx_output_has_months_and_problems(app: Any, runner: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    records()
    path, out = tmp_path / "v1.csv", tmp_path / "out.xlsx"
    path.write_bytes(csv_bytes(V1, ROWS))
    result = runner.invoke(
        args=["levy", "reconcile", str(path), "--format", "xlsx", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book["Months"]["A2"].value == "2020-12"
    assert [c.value for c in book["Problems"]["A"][1:]] == [p["kind"] for p in EXPECTED]


def test_a_file_that_is_not_a_download_is_refused(app: Any, runner: Any, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Name,Amount\nx,1\n")
    result = runner.invoke(args=["levy", "reconcile", str(path)])
    assert result.exit_code == 1
    assert "not a transactions download" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(V2, [pay("31/02/2021", "1111111111", "-1")]))
    result = runner.invoke(args=["levy", "reconcile", str(bad)])
    assert result.exit_code == 1
    assert "row 2" in result.output and "dd/mm/yyyy" in result.output
