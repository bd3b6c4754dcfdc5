"""Part 3: quarters, RAG and direction at their boundaries, and the report's shape."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from levy.domain.insight.quarterly import direction, rag_expired, rag_higher_better
from levy.domain.months import MonthError, Quarter, parse_quarter, quarter_of
from levy.domain.rules import RULES
from tests.factories import create_apprentice, create_directorate, create_transaction

D = Decimal
ON = date(2021, 3, 31)


def test_quarters_are_financial_year_quarters() -> None:
    q4 = parse_quarter("2020-Q4")
    assert (q4.start, q4.end) == (date(2021, 1, 1), date(2021, 3, 31))
    assert q4.label == "2020-21 Q4"
    assert q4.months == [date(2021, 1, 1), date(2021, 2, 1), date(2021, 3, 1)]
    q1 = parse_quarter("2020-q1")
    assert (q1.start, q1.end) == (date(2020, 4, 1), date(2020, 6, 30))
    assert q1.previous() == Quarter(2019, 4)
    assert q4.previous() == Quarter(2020, 3)
    assert quarter_of(date(2021, 3, 31)) == q4
    assert quarter_of(date(2021, 4, 1)) == Quarter(2021, 1)
    assert quarter_of(date(2020, 12, 31)) == Quarter(2020, 3)


@pytest.mark.parametrize("text", ["2020-Q5", "2020Q4", "Q4 2020", "", "2020-Q0"])
def test_a_bad_quarter_says_how_to_write_it(text: str) -> None:
    with pytest.raises(MonthError, match="like 2020-Q4"):
        parse_quarter(text)


def test_thresholds_are_rows_of_the_rule_table() -> None:
    assert RULES.value("report.amber_share", ON) == D("0.90")
    assert RULES.value("report.expired_amber_share", ON) == D("0.05")


@pytest.mark.parametrize(
    ("actual", "target", "rag"),
    [
        (10, 10, "green"),
        (11, 10, "green"),
        (9, 10, "amber"),  # exactly 90%
        (D("8.99"), 10, "red"),
        (0, 10, "red"),
        (D("90.0"), D("100.0"), "amber"),
        (D("89.9"), D("100.0"), "red"),
        (D("100.0"), D("100.0"), "green"),
        (D("2250.00"), D("2500.00"), "amber"),
        (D("2249.99"), D("2500.00"), "red"),
        (5, None, None),
        (None, 10, None),
    ],
)
def test_rag_where_higher_is_better(actual: Any, target: Any, rag: str | None) -> None:
    assert rag_higher_better(actual, target, ON) == rag


@pytest.mark.parametrize(
    ("expired", "funds_in", "rag"),
    [
        (D("0.00"), D("1000.00"), "green"),
        (D("0.01"), D("1000.00"), "amber"),
        (D("50.00"), D("1000.00"), "amber"),  # exactly 5%
        (D("50.01"), D("1000.00"), "red"),
        (D("0.01"), D("0.00"), "red"),
        (D("0.00"), D("0.00"), "green"),
    ],
)
def test_rag_for_expired_levy(expired: Decimal, funds_in: Decimal, rag: str) -> None:
    assert rag_expired(expired, funds_in, ON) == rag


@pytest.mark.parametrize(
    ("actual", "previous", "higher", "expected"),
    [
        (5, 4, True, "improving"),
        (4, 5, True, "worsening"),
        (5, 5, True, "no change"),
        (D("10.00"), D("0.00"), False, "worsening"),
        (D("0.00"), D("10.00"), False, "improving"),
        (D("0.00"), D("0.00"), False, "no change"),
        (5, None, True, None),
        (None, 5, True, None),
    ],
)
def test_direction_minds_which_way_is_better(
    actual: Any, previous: Any, higher: bool, expected: str | None
) -> None:
    assert direction(actual, previous, higher) == expected


def test_the_report_command_gives_the_indicators_in_order(app: Any, runner: Any) -> None:
    people = create_directorate("People", headcount=1000, pay_bill=D(100), year=2020)
    create_apprentice(people, planned_start=date(2021, 1, 4), planned_end=date(2022, 6, 30))
    create_apprentice(people, planned_start=date(2021, 3, 31), planned_end=date(2022, 6, 30))
    create_apprentice(people, planned_start=date(2020, 12, 1), planned_end=date(2022, 6, 30))
    create_apprentice(people, planned_start=date(2021, 2, 1), status="future")
    for month in range(1, 13):
        create_transaction(date(2020 + (month < 4), month, 1), "levy", "1000.00")
    create_transaction(date(2021, 2, 1), "payment", "500.00")
    create_transaction(date(2020, 11, 1), "transfer", "100.00")
    result = runner.invoke(args=["levy", "report", "quarterly", "--quarter", "2020-Q4"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["quarter"] == "2020-21 Q4"
    assert (report["period_start"], report["period_end"]) == ("2021-01-01", "2021-03-31")
    keys = [i["key"] for i in report["indicators"]]
    assert keys == [
        "starts",
        "on_programme",
        "levy_used_percent",
        "expired",
        "transferred",
        "incentives_received",
        "care_leaver_placements",
    ]
    by = {i["key"]: i for i in report["indicators"]}
    # 2.3% of 1,000 = 23 a year; ÷ 4 = 5.75 → 6; two starts in the quarter (not the future one)
    assert by["starts"] | {} == {
        "key": "starts",
        "name": "Apprenticeship starts",
        "unit": "count",
        "target": 6,
        "actual": 2,
        "previous": 1,
        "rag": "red",
        "direction": "improving",
    }
    assert by["on_programme"]["actual"] == 3 and by["on_programme"]["target"] is None
    assert by["on_programme"]["rag"] is None
    # (500 + 100) / 12,000 over April 2020 to March 2021
    assert by["levy_used_percent"]["actual"] == "5.0"
    assert by["levy_used_percent"]["target"] == "100.0"
    assert by["expired"] == by["expired"] | {"target": "0.00", "actual": "0.00", "rag": "green"}
    assert by["expired"]["direction"] == "no change"
    assert by["transferred"]["actual"] == "0.00" and by["transferred"]["previous"] == "100.00"
    assert by["transferred"]["direction"] == "worsening"
    assert by["incentives_received"]["unit"] == "money"
    assert by["care_leaver_placements"]["actual"] == 0


def test_the_report_downloads_as_xlsx_and_docx(app: Any, runner: Any, tmp_path: Any) -> None:
    from docx import Document
    from openpyxl import load_workbook

    create_directorate("People", headcount=100, pay_bill=D(100), year=2020)
    xlsx, docx = tmp_path / "q.xlsx", tmp_path / "q.docx"
    for fmt, out in (("xlsx", xlsx), ("docx", docx)):
        result = runner.invoke(
            args=[
                "levy",
                "report",
                "quarterly",
                "--quarter",
                "2020-Q4",
                "--format",
                fmt,
                "--output",
                str(out),
            ]
        )
        assert result.exit_code == 0, result.output
    assert load_workbook(xlsx).active["A2"].value == "Apprenticeship starts"
    doc = Document(str(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "quarterly report, 2020-21 Q4" in text
    for heading in ("Summary", "Indicators", "Commentary", "Definitions"):
        assert heading in text
    assert doc.tables[0].rows[1].cells[0].text == "Apprenticeship starts"


def test_a_bad_quarter_option_is_named(runner: Any) -> None:
    result = runner.invoke(args=["levy", "report", "quarterly", "--quarter", "2020-4"])
    assert result.exit_code == 2
    assert "like 2020-Q4" in result.output
