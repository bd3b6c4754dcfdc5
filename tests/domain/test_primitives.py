"""Money, months and the rule table: the boundaries every area relies on."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from levy.domain.commitments import Break, Commitment, planned_month_ends, schedule, split_price
from levy.domain.money import MoneyError, format_money, money_str, parse_money, round_pence
from levy.domain.months import (
    academic_year,
    add_months,
    age_on,
    financial_year,
    format_day,
    month_range,
    parse_month,
    tax_month_number,
    tax_year,
)
from levy.domain.rules import RULES, rulebook

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", D("1234.50")),
        ("£1,234.50", D("1234.50")),
        ("-30", D("-30.00")),
        (" £12 ", D("12.00")),
        (1234.1, D("1234.10")),
        (7, D("7.00")),
        ("-£0.01", D("-0.01")),
    ],
)
def test_parse_money(text: object, expected: Decimal) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["abc", "12.345", "1,2,3.4.5", "", None, True, "£", "1e5", "nan"])
def test_parse_money_refuses(text: object) -> None:
    with pytest.raises(MoneyError):
        parse_money(text)


def test_money_formats() -> None:
    assert format_money(D("1234.5")) == "£1,234.50"
    assert format_money(D("-30")) == "-£30.00"
    assert format_money(D("1692300.40"), pence=False) == "£1,692,300"
    assert money_str(D("3")) == "3.00"
    assert round_pence(D("0.005")) == D("0.01")  # half-up, not banker's
    assert round_pence(D("0.015")) == D("0.02")


@pytest.mark.parametrize(
    ("day", "label", "start"),
    [
        (date(2021, 4, 5), "2020-21", date(2020, 4, 6)),
        (date(2021, 4, 6), "2021-22", date(2021, 4, 6)),
    ],
)
def test_tax_year_boundary(day: date, label: str, start: date) -> None:
    assert tax_year(day).label == label
    assert tax_year(day).start == start


@pytest.mark.parametrize(
    ("day", "label"), [(date(2021, 3, 31), "2020-21"), (date(2021, 4, 1), "2021-22")]
)
def test_financial_year_boundary(day: date, label: str) -> None:
    assert financial_year(day).label == label


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2004, 2, 29), date(2021, 2, 28), 17),  # a leap-day birthday: 28 Feb elsewhere
        (date(2004, 2, 29), date(2021, 2, 27), 16),
        (date(2002, 8, 1), date(2020, 7, 31), 17),
        (date(2002, 8, 1), date(2020, 8, 1), 18),
    ],
)
def test_age_on_birthdays(born: date, day: date, age: int) -> None:
    assert age_on(born, day) == age


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(-1200, 1200))
def test_add_months_moves_as_relativedelta_does(day: date, n: int) -> None:
    assert add_months(day, n) == day.replace(day=1) + relativedelta(months=n)


@given(
    st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.dates(date(1900, 1, 1), date(2100, 12, 31))
)
def test_age_on_counts_as_relativedelta_does(born: date, day: date) -> None:
    assert age_on(born, day) == relativedelta(day, born).years


@pytest.mark.parametrize(
    ("day", "label"), [(date(2021, 7, 31), "2020-21"), (date(2021, 8, 1), "2021-22")]
)
def test_academic_year_boundary(day: date, label: str) -> None:
    assert academic_year(day).label == label


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (date(2021, 4, 6), 1),
        (date(2021, 5, 5), 1),
        (date(2021, 5, 6), 2),
        (date(2022, 3, 6), 12),
        (date(2022, 4, 5), 12),
    ],
)
def test_tax_month_numbers(day: date, number: int) -> None:
    assert tax_month_number(day) == number


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2021, 2, 1), "1 February 2021"),  # no leading zero on the day
        (date(2021, 2, 28), "28 February 2021"),
        (date(2024, 2, 29), "29 February 2024"),
        (date(2021, 12, 31), "31 December 2021"),
        (date(1, 1, 1), "1 January 1"),
        (datetime(2021, 4, 6, 23, 59), "6 April 2021"),  # a timestamp reads as its day
        (None, ""),
    ],
)
def test_format_day(day: date | None, text: str) -> None:
    assert format_day(day) == text


def test_months() -> None:
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 1)
    assert parse_month("2021-03") == date(2021, 3, 1)
    assert list(month_range(date(2020, 11, 15), date(2021, 2, 1)))[-1] == date(2021, 2, 1)
    with pytest.raises(ValueError, match="01 to 12"):
        parse_month("2021-13")


@pytest.mark.parametrize(
    ("key", "day", "value"),
    [
        ("expiry.months", date(2026, 7, 1), 24),
        ("expiry.months", date(2026, 8, 1), 12),
        ("levy.top_up_rate", date(2026, 7, 31), D("0.10")),
        ("levy.top_up_rate", date(2026, 8, 1), D(0)),
        ("coinvest.employer_rate", date(2019, 3, 31), D("0.10")),
        ("coinvest.employer_rate", date(2019, 4, 1), D("0.05")),
        ("transfer.statutory_share", date(2019, 3, 31), D("0.10")),
        ("transfer.statutory_share", date(2019, 4, 1), D("0.25")),
        ("transfer.statutory_share", date(2024, 4, 1), D("0.50")),
        ("programme.min_duration_months", date(2025, 7, 31), 12),
        ("programme.min_duration_months", date(2025, 8, 1), 8),
    ],
)
def test_rule_table(key: str, day: date, value: object) -> None:
    assert RULES.value(key, day) == value


def test_change_date_is_configuration() -> None:
    april = rulebook(date(2026, 4, 1))
    assert april.value("expiry.months", date(2026, 4, 1)) == 12
    assert april.value("expiry.months", date(2026, 3, 31)) == 24


def test_every_rule_has_a_source() -> None:
    assert all(rule.source for rule in RULES.rules)


def test_month_ends_inclusive() -> None:
    # 15 Mar 2021 to 31 Mar 2022: the month-ends 31 Mar 2021 .. 31 Mar 2022 are 13
    assert len(planned_month_ends(date(2021, 3, 15), date(2022, 3, 31))) == 13
    assert len(planned_month_ends(date(2021, 3, 15), date(2022, 3, 30))) == 12


def test_split_price_last_instalment_takes_remainder() -> None:
    # £8,000 capped: completion 20% = £1,600; £6,400 / 13 = £492.3077 -> £492.31 x 12 + £492.28
    amounts, completion = split_price(D("8000"), 13, date(2021, 3, 15))
    assert completion == D("1600.00")
    assert amounts[:12] == [D("492.31")] * 12
    assert amounts[-1] == D("492.28")
    assert sum(amounts) + completion == D("8000")


def test_schedule_caps_at_band_and_pays_completion_in_end_month() -> None:
    c = Commitment(D("9000"), D("8000"), date(2021, 3, 15), date(2022, 3, 31))
    payments = schedule(c)
    assert c.excess == D("1000")
    assert sum(p.amount for p in payments) == D("8000")
    assert payments[-1].kind == "completion" and payments[-1].month == date(2022, 3, 1)


def test_break_moves_the_plan_back() -> None:
    # month-ends 31 May and 30 Jun fall in the break: two instalments move to Apr and May 2022
    c = Commitment(
        D("8000"),
        None,
        date(2021, 3, 15),
        date(2022, 3, 31),
        breaks=(Break(date(2021, 5, 10), date(2021, 7, 12)),),
    )
    payments = schedule(c)
    months = [p.month for p in payments if p.kind == "instalment"]
    assert date(2021, 5, 1) not in months and date(2021, 6, 1) not in months
    assert months[-1] == date(2022, 5, 1)
    assert payments[-1] == payments[-1].__class__(date(2022, 5, 1), D("1600.00"), "completion")


def test_withdrawal_inside_42_days_means_nothing_was_due() -> None:
    c = Commitment(
        D("8000"), None, date(2021, 3, 15), date(2022, 3, 31), withdrawn_on=date(2021, 4, 25)
    )  # day 42
    assert schedule(c) == []
    later = Commitment(
        D("8000"), None, date(2021, 3, 15), date(2022, 3, 31), withdrawn_on=date(2021, 4, 26)
    )  # day 43: March and... no April month-end
    assert [p.month for p in schedule(later)] == [date(2021, 3, 1)]


def test_app_configuration_moves_the_change_date() -> None:
    from levy import create_app
    from levy.rules_config import current_rules

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "LEVY_CHANGE_DATE": "2026-04-01",
        }
    )
    with app.app_context():
        rules = current_rules()
    assert rules is app.extensions["levy_rules"]
    assert rules.value("expiry.months", date(2026, 4, 1)) == 12
    assert rules.value("levy.top_up_rate", date(2026, 4, 1)) == D(0)
    # the domain's default table is not rewritten behind its back
    assert RULES.value("expiry.months", date(2026, 4, 1)) == 24
