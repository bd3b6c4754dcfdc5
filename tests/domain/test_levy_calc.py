"""Levy from pay bill (issue 4 rule 2; docs/rules.md §2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from levy.domain.levy_calc import LevyCalcError, funds_in_for_levy, levy_by_month, tax_month_index

D = Decimal


@pytest.mark.parametrize(
    ("month", "index"),
    [(date(2020, 4, 1), 1), (date(2020, 12, 1), 9), (date(2021, 1, 1), 10), (date(2021, 3, 1), 12)],
)
def test_tax_month_index(month, index):
    assert tax_month_index(month) == index


def test_monthly_levy_for_a_steady_pay_bill():
    """£10m a month: 0.5% = £50,000 less £1,250 = £48,750; funds in with English 100%
    and a 10% top-up = £53,625.00."""
    [row] = levy_by_month([(date(2020, 4, 1), D("10000000"))])
    assert row.levy == D("48750.00")
    assert row.top_up == D("4875.00")
    assert row.funds_in == D("53625.00")
    assert row.entry_month == date(2020, 5, 1)


def test_unused_allowance_carries_forward_within_the_tax_year():
    """Apr £200,000: 0.5% = £1,000 < £1,250, levy 0, £250 unused.
    May £400,000: to date £600,000 × 0.5% = £3,000 less £2,500 = £500 (= 2,000 - 1,250 - 250)."""
    rows = levy_by_month([(date(2020, 4, 1), D("200000")), (date(2020, 5, 1), D("400000"))])
    assert [r.levy for r in rows] == [D("0.00"), D("500.00")]


def test_unused_allowance_does_not_cross_the_tax_year():
    """March 2021 (tax month 12) £200,000: 1,000 against £15,000 of allowance to date,
    levy 0 and £14,000 unused. April 2021 (tax month 1 of 2021-22) £400,000:
    2,000 - 1,250 = 750: none of March's unused allowance is carried over."""
    rows = levy_by_month([(date(2021, 3, 1), D("200000")), (date(2021, 4, 1), D("400000"))])
    assert rows[0].levy == 0
    assert rows[0].allowance_to_date == D("15000.00")
    assert rows[1].levy == D("750.00")
    assert rows[1].allowance_to_date == D("1250.00")


@pytest.mark.parametrize(
    ("month", "expected_allowance"),
    [(date(2020, 3, 1), D("15000.00")), (date(2020, 4, 1), D("1250.00"))],
)
def test_tax_year_boundary_march_vs_april(month, expected_allowance):
    [row] = levy_by_month([(month, D("1"))])
    assert row.allowance_to_date == expected_allowance


def test_connected_employers_share_the_allowance():
    """A 40% share: £500 a month allowance. £1m: 5,000 - 500 = 4,500."""
    [row] = levy_by_month([(date(2020, 4, 1), D("1000000"))], allowance_share=D("0.4"))
    assert row.levy == D("4500.00")


def test_fall_in_pay_bill_gives_a_negative_month():
    """Apr £1m: 5,000 - 1,250 = 3,750. May £0: to date 5,000 - 2,500 = 2,500, so May -1,250."""
    rows = levy_by_month([(date(2020, 4, 1), D("1000000")), (date(2020, 5, 1), D("0"))])
    assert [r.levy for r in rows] == [D("3750.00"), D("-1250.00")]


@pytest.mark.parametrize(
    ("entry_month", "top_up"),
    [
        (date(2026, 7, 1), D("98.50")),  # 10% of 985.00 before the change
        (date(2026, 8, 1), D("0.00")),  # top-up ends from the change date
    ],
)
def test_english_fraction_and_top_up_by_month(entry_month, top_up):
    english, got = funds_in_for_levy(D("1000"), entry_month, D("0.985"))
    assert english == D("985.00")
    assert got == top_up


def test_bad_share_is_refused():
    with pytest.raises(LevyCalcError, match="allowance share"):
        levy_by_month([], allowance_share=D("1.5"))
