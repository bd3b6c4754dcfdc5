"""Part 1: money shared out exactly (largest remainder) and the directorate rows."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from levy.domain.insight.expiry_share import (
    DirectorateYear,
    expiry_shares,
    largest_remainder,
    percent,
)
from tests.factories import (
    create_apprentice,
    create_directorate,
    create_organisation,
    create_standard,
    create_transaction,
)

D = Decimal


def test_each_share_rounds_down_and_the_left_pennies_go_to_the_largest_fractions() -> None:
    # 1000.01 by 2:1:1 is 500.005, 250.0025, 250.0025: floors 1000.00, one penny left
    shares = largest_remainder(D("1000.01"), [("a", D(200)), ("b", D(100)), ("c", D(100))])
    assert shares == [D("500.01"), D("250.00"), D("250.00")]
    assert sum(shares) == D("1000.01")


def test_equal_fractions_go_in_key_order() -> None:
    # 0.02 by thirds: 0.00666… each, two pennies left, all fractions equal
    shares = largest_remainder(
        D("0.02"), [(("B", "x"), D(1)), (("A", "z"), D(1)), (("A", "y"), D(1))]
    )
    assert shares == [D("0.00"), D("0.01"), D("0.01")]


def test_the_penny_goes_by_size_not_by_order() -> None:
    # 0.10 by 1:2 is 0.0333… and 0.0666…: floors 0.03 + 0.06, the penny to the second
    assert largest_remainder(D("0.10"), [("a", D(1)), ("b", D(2))]) == [D("0.03"), D("0.07")]


@pytest.mark.parametrize("total", ["0.00", "0.01", "999999.99", "-12.34", "1234567.89"])
def test_shares_always_sum_to_the_total(total: str) -> None:
    weights = [(i, D(w)) for i, w in enumerate(["3.3", "7", "0", "11.11", "1", "1", "1"])]
    shares = largest_remainder(D(total), weights)
    assert sum(shares) == D(total)
    assert shares[2] == 0


def test_no_weight_gives_zero_to_everyone() -> None:
    assert largest_remainder(D("300.00"), [("a", D(0)), ("b", D(0))]) == [D("0.00"), D("0.00")]


def test_percent_is_two_decimals_half_up() -> None:
    assert percent(D(1), D(3)) == D("33.33")
    assert percent(D(2), D(3)) == D("66.67")
    assert percent(D(1), D(8)) == D("12.50")
    assert percent(D(1), D(0)) == D("0.00")


def test_rows_generated_used_unused_and_expired_share() -> None:
    rows = expiry_shares(
        [
            DirectorateYear("Council", "People", D(100), D("1555.54")),
            DirectorateYear("Council", "Adults", D(200), D(0)),
            DirectorateYear("Company", "Children", D(100), D(0)),
            DirectorateYear("Council", "No pay bill", D(0), D(0)),
        ],
        D("1000.01"),
        D("300.00"),
    )
    got = [r.as_dict() for r in rows]
    assert got == [
        {
            "organisation": "Company",
            "directorate": "Children",
            "pay_bill_share": "25.00",
            "generated": "250.00",
            "used": "0.00",
            "unused": "250.00",
            "expired_share": "100.00",  # 9999.87p: the left penny is its
        },
        {
            "organisation": "Council",
            "directorate": "Adults",
            "pay_bill_share": "50.00",
            "generated": "500.01",
            "used": "0.00",
            "unused": "500.01",
            "expired_share": "200.00",  # 20000.27p
        },
        {
            "organisation": "Council",
            "directorate": "People",
            "pay_bill_share": "25.00",
            "generated": "250.00",
            "used": "1555.54",
            "unused": "0.00",
            "expired_share": "0.00",
        },
    ]
    assert sum(r.generated for r in rows) == D("1000.01")
    assert sum(r.expired_share for r in rows) == D("300.00")


def test_all_used_means_no_expired_share() -> None:
    rows = expiry_shares(
        [DirectorateYear("C", "A", D(1), D(600)), DirectorateYear("C", "B", D(1), D(600))],
        D("1000.00"),
        D("50.00"),
    )
    assert [r.expired_share for r in rows] == [D("0.00"), D("0.00")]


def _year(app: Any) -> None:
    council = create_organisation("Worcestershire County Council")
    company = create_organisation("Worcestershire Children First", kind="company")
    create_directorate("Adults", council, headcount=10, pay_bill=D(200), year=2020)
    people = create_directorate("People", council, headcount=10, pay_bill=D(100), year=2020)
    create_directorate("Children", company, headcount=10, pay_bill=D(100), year=2020)
    create_directorate("Old", council, headcount=10, pay_bill=D(100), year=2019)
    create_apprentice(people, create_standard(band=D(5000)))  # 222.22 a month from Sep 2020
    create_transaction(date(2018, 4, 1), "levy", "300.00")  # expires April 2020, unspent
    create_transaction(date(2020, 4, 1), "levy", "1000.01")


def test_the_command_gives_every_directorate_with_a_pay_bill(app: Any, runner: Any) -> None:
    _year(app)
    result = runner.invoke(
        args=["levy", "expiry-by-directorate", "--year", "2020", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["organisation"], r["directorate"]) for r in rows] == [
        ("Worcestershire Children First", "Children"),
        ("Worcestershire County Council", "Adults"),
        ("Worcestershire County Council", "People"),
    ]
    assert [r["generated"] for r in rows] == ["250.00", "500.01", "250.00"]
    assert [r["used"] for r in rows] == ["0.00", "0.00", "1555.54"]  # Sep-Mar: 7 x 222.22
    assert [r["expired_share"] for r in rows] == ["100.00", "200.00", "0.00"]
    assert set(rows[0]) == {
        "organisation",
        "directorate",
        "pay_bill_share",
        "generated",
        "used",
        "unused",
        "expired_share",
    }


def test_the_command_writes_xlsx(app: Any, runner: Any, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    _year(app)
    out = tmp_path / "expiry.xlsx"
    result = runner.invoke(
        args=[
            "levy",
            "expiry-by-directorate",
            "--year",
            "2020",
            "--format",
            "xlsx",
            "--output",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet["B2"].value == "Children"
    assert sheet["D3"].value == 500.01
    assert sheet["G5"].value == 300  # the council total row: the year's expiry


def test_a_bad_year_is_named(runner: Any) -> None:
    result = runner.invoke(args=["levy", "expiry-by-directorate", "--year", "twenty"])
    assert result.exit_code == 2
    assert "--year" in result.output
