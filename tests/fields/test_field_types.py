"""The field types at their boundaries: one set for forms, importers and the CLI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from levy.domain.fields import (
    INT_MAX,
    MONEY_MAX,
    PROGRAMME_DATES,
    FieldError,
    birth_dates,
    parse_amount,
    parse_day,
    parse_decimal,
    parse_int,
    parse_month,
    parse_text,
)
from levy.domain.money import format_money, format_percent
from levy.domain.months import format_day, format_month_name
from levy.exports import csv_cell, csv_text, xlsx_text
from levy.importers.workbook import unescape_cell

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.5", D("1234.50")), ("£1,234.50", D("1234.50")), ("1000000000", MONEY_MAX)],
)
def test_money_accepted(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["£1,2,3", "NaN", "Infinity", "1e309", "-£-5", "1,00", "1000000000.01", "-1"]
)
def test_money_refused_names_the_field(text: str) -> None:
    with pytest.raises(FieldError, match=r"^Agreed price: "):
        parse_amount(text, label="Agreed price")


def test_money_floats_that_are_not_numbers() -> None:
    for value in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(FieldError):
            parse_amount(value)


def test_integers_bounded() -> None:
    assert parse_int("1,200") == 1200
    assert parse_int(str(INT_MAX)) == INT_MAX
    assert parse_int("12", minimum=12, maximum=12) == 12
    for bad in (str(INT_MAX + 1), "99999999999999999999", "1e309", "NaN", "1.5", "", "1,,2"):
        with pytest.raises(FieldError):
            parse_int(bad)
    with pytest.raises(FieldError, match="Page: enter a whole number from 1 to 10"):
        parse_int("11", label="Page", minimum=1, maximum=10)
    with pytest.raises(FieldError):
        parse_int(float("inf"))


def test_text_refuses_control_and_bidi_characters() -> None:
    assert parse_text("  Amelia ") == "Amelia"
    assert parse_text("line one\nline two", multiline=True) == "line one\nline two"
    for bad in ("Na\x00me", "a\u202eb", "a\u2066b", "a\u2069b", "a\u202ab", "tab\there"):
        with pytest.raises(FieldError, match=r"^First name must not contain the control"):
            parse_text(bad, label="First name")
    assert parse_text("x" * 30, max_length=30)
    with pytest.raises(FieldError, match="30 characters or fewer"):
        parse_text("x" * 31, max_length=30)


def test_dates_every_spelling_and_range() -> None:
    for text in ("2021-03-31", "31/03/2021", "31-03-2021", "31.03.2021", "31 3 2021",
                 "31 March 2021", "31 Mar 2021"):  # fmt: skip
        assert parse_day(text) == date(2021, 3, 31)
    assert parse_day("1 1 2017", within=PROGRAMME_DATES) == date(2017, 1, 1)
    assert parse_day("31 12 2100", within=PROGRAMME_DATES) == date(2100, 12, 31)
    for text in ("31 12 2016", "1 1 2101", "31 12 9999"):
        with pytest.raises(FieldError, match=r"^Planned end: enter a date between 1 January 2017"):
            parse_day(text, label="Planned end", within=PROGRAMME_DATES)
    for text in ("31 12", "1 2 2021 5", "2021-02-30", "x" * 500):
        with pytest.raises(FieldError, match="is not a date"):
            parse_day(text)


def test_date_of_birth_in_the_last_100_years() -> None:
    today = date(2021, 3, 31)
    born = birth_dates(today)
    assert parse_day("31 3 1921", within=born) == date(1921, 3, 31)
    for text in ("30 3 1921", "1 4 2021"):
        with pytest.raises(FieldError, match="date of birth"):
            parse_day(text, label="Date of birth", within=born)


def test_months() -> None:
    assert parse_month("2017-01", within=PROGRAMME_DATES) == date(2017, 1, 1)
    for text in ("2016-12", "9999-12", "2021-13"):
        with pytest.raises(FieldError):
            parse_month(text, within=PROGRAMME_DATES)


def test_decimals_for_hours_and_percentages() -> None:
    assert parse_decimal("37.5") == D("37.50")
    assert parse_decimal("25%", maximum=D(100)) == D("25.00")
    for bad in ("NaN", "Infinity", "1e309", "1.234", "-1", "101"):
        with pytest.raises(FieldError):
            parse_decimal(bad, maximum=D(100))


def test_display_functions() -> None:
    assert format_money(D("-1234")) == "-£1,234.00"
    assert format_money(D("-1234"), pence=False) == "-£1,234"
    assert format_percent(D("0.255"), 1) == "25.5%"
    assert format_percent(D("0.005")) == "1%"  # half-up, like money
    assert format_percent(0.023, 1) == "2.3%"
    assert format_percent(None) == ""
    assert format_day(date(9999, 12, 31)) == "31 December 9999"
    assert format_day(date(2021, 4, 1)) == "1 April 2021"
    assert format_month_name(date(2021, 4, 1)) == "April 2021"


def test_export_cells_are_neutral_and_reimport_unchanged() -> None:
    for text in ("=1+2", "+44 1905", "-x", "@SUM(A1)", "\tx", "\rx", "'=x", "''=x"):
        escaped = csv_cell(text)
        assert escaped.startswith("'")
        assert unescape_cell(escaped) == text
    for text in ("Amelia", "'quoted", "O'Brien", ""):
        assert csv_cell(text) == text
        assert unescape_cell(csv_cell(text)) == text
    assert xlsx_text("Na\x00me\x1f") == "Name"
    # numbers, negative ones included, stay numbers
    assert csv_text(["a", "b"], [[D("-5"), -3]]) == "a,b\n-5.00,-3\n"
