"""Forecast, co-investment and the what-if search (issue 4 rules 4, 8, 9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levy.domain.forecast import (
    ForecastError,
    ForecastPayment,
    Scenario,
    extra_starts,
    mean_levy_funds_in,
    run_forecast,
    run_scenario,
    smallest_extra_starts,
)
from levy.domain.ledger import FUNDS_IN, TRANSFER, Movement, Pot, build_ledger

D = Decimal


def m(year: int, month: int) -> date:
    return date(year, month, 1)


def pot_with(*lots: tuple[date, str]) -> Pot:
    pot = Pot()
    for month, amount in lots:
        pot.add_funds(month, D(amount))
    return pot


def test_extra_starts_schedule():
    """2 starts in Jan 2021 at £12,000 for 12 months (1 Jan - 31 Dec 2021): each
    £800 a month (80% / 12) and £2,400 on completion in December."""
    payments = extra_starts(m(2021, 1), 2, D("12000"), 12)
    by_month: dict[date, Decimal] = {}
    for p in payments:
        by_month[p.month] = by_month.get(p.month, D(0)) + p.amount
    assert by_month[m(2021, 1)] == D("1600.00")
    assert by_month[m(2021, 12)] == D("1600.00") + D("4800.00")
    assert sum(by_month.values()) == D("24000.00")
    assert max(by_month) == m(2021, 12)


def test_forecast_runs_the_pot_forward():
    """Opening: May 2019 lot £1,000 (expires May 2021). £500 a month in, £200 out."""
    pot = pot_with((m(2019, 5), "1000"))
    pays = [ForecastPayment(m(2021, k), D("200"), m(2020, 1)) for k in (4, 5)]
    fc = run_forecast(pot, m(2021, 4), 2, D("500"), pays)
    april, may = fc.months
    assert (april.funds_in, april.payments, april.expired, april.balance) == (
        D("500"),
        D("200"),
        D("0"),
        D("1300"),
    )
    # May: 1,300 + 500 = 1,800; the May 2019 lot has 800 left, 200 is paid from it
    # and 600 expires: 1,800 - 200 - 600 = 1,000
    assert (may.payments, may.expired, may.balance) == (D("200"), D("600"), D("1000"))


@pytest.mark.parametrize(
    ("start", "month", "employer", "government"),
    [
        (date(2019, 3, 31), m(2021, 1), D("100.00"), D("900.00")),  # 10% before 1 Apr 2019
        (date(2019, 4, 1), m(2021, 1), D("50.00"), D("950.00")),  # 5% from 1 Apr 2019
        (date(2019, 4, 1), m(2026, 7), D("50.00"), D("950.00")),  # the day before the change
        (date(2019, 4, 1), m(2026, 8), D("250.00"), D("750.00")),  # government 75% from it
    ],
)
def test_coinvestment_covers_that_months_shortfall_only(start, month, employer, government):
    """Balance £500, payment £1,500: £500 from the pot, £1,000 shortfall co-invested.
    Next month £2,000 comes in and the next payment of £1,500 is paid in full:
    the shortfall is not carried."""
    pot = pot_with((month, "0"))
    pays = [
        ForecastPayment(month, D("1500"), start),
        ForecastPayment(add(month, 1), D("1500"), start),
    ]
    fc = run_forecast(pot, month, 2, {month: D("500"), add(month, 1): D("2000")}, pays)
    first, second = fc.months
    assert (first.payments, first.shortfall) == (D("500"), D("1000"))
    assert (first.employer_coinvestment, first.government_coinvestment) == (employer, government)
    assert first.balance == 0
    assert (second.payments, second.shortfall, second.balance) == (D("1500"), D("0"), D("500"))


def add(month: date, n: int) -> date:
    from levy.domain.months import add_months

    return add_months(month, n)


def test_transfers_paid_before_own_payments():
    pot = pot_with((m(2021, 1), "1000"))
    pays = [
        ForecastPayment(m(2021, 2), D("800"), m(2020, 1)),
        ForecastPayment(m(2021, 2), D("600"), None, TRANSFER),
    ]
    [row] = run_forecast(pot, m(2021, 2), 1, D("0"), pays).months
    assert (row.transfers, row.payments, row.shortfall) == (D("600"), D("400"), D("400"))


def test_mean_of_last_three_months_loses_top_up_after_change():
    """Actual Apr-Jun 2026 funds in 1,100, 1,100, 2,200 (levy 1,000, 1,000, 2,000
    plus 10%): mean levy 1,333.33...; July 2026 forecast 1,466.67, August 1,333.33."""
    rows = [
        Movement(m(2026, 4), FUNDS_IN, D("1100")),
        Movement(m(2026, 5), FUNDS_IN, D("1100")),
        Movement(m(2026, 6), FUNDS_IN, D("2200")),
    ]
    ledger = build_ledger(rows)
    f = mean_levy_funds_in(ledger.months, m(2026, 7))
    assert f(m(2026, 7)) == D("1466.67")
    assert f(m(2026, 8)) == D("1333.33")
    assert mean_levy_funds_in((), m(2026, 7))(m(2026, 7)) == 0


def test_forecast_refuses_negative_months():
    with pytest.raises(ForecastError, match="months"):
        run_forecast(Pot(), m(2021, 1), -1, D("0"))


def test_smallest_extra_starts_stops_the_expiry():
    """Opening lots £10,000 each Apr-Jun 2019 (expire Apr-Jun 2021). Forecast from
    Apr 2021 for 3 months, no funds in. Starts at £6,000 over 12 months: £400 a month
    each (80% / 12). 25 starts pay 25 x 400 = £10,000 a month, exactly the lot
    expiring that month: 25 is the answer; 24 pay 9,600 and leave £400 to expire
    each month."""
    pot = pot_with((m(2019, 4), "10000"), (m(2019, 5), "10000"), (m(2019, 6), "10000"))
    result = smallest_extra_starts(pot, m(2021, 4), 3, D("0"), [], D("6000"), 12)
    assert result.extra_starts == 25
    assert result.expired_before == D("30000")
    assert result.expired_after == 0
    assert dict(result.tried)[24] > 0
    # the search tried far fewer counts than a linear scan would
    assert len(result.tried) < 15


def test_no_expiry_needs_no_starts():
    pot = pot_with((m(2021, 1), "100"))
    result = smallest_extra_starts(pot, m(2021, 2), 3, D("0"), [], D("6000"), 12)
    assert (result.extra_starts, result.expired_before, result.expired_after) == (0, 0, 0)


def test_unreachable_within_limit():
    pot = pot_with((m(2019, 4), "1000000"))
    result = smallest_extra_starts(pot, m(2021, 4), 1, D("0"), [], D("1000"), 12, limit=8)
    assert result.extra_starts is None
    assert result.expired_after > 0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.decimals(min_value=D("0"), max_value=D("20000"), places=2), min_size=1, max_size=6),
    st.decimals(min_value=D("500"), max_value=D("20000"), places=2),
    st.integers(min_value=1, max_value=24),
)
def test_search_finds_the_smallest(lots, price, duration):
    pot = Pot()
    for i, amount in enumerate(lots):
        pot.add_funds(add(m(2019, 4), i), amount)
    result = smallest_extra_starts(pot, m(2021, 4), 8, D("100"), [], price, duration)
    n = result.extra_starts
    assert n is not None
    assert result.expired_after == 0
    if n > 0:
        fewer = smallest_extra_starts(pot, m(2021, 4), 8, D("100"), [], price, duration, limit=1)
        one_less = run_forecast(
            pot, m(2021, 4), 8, D("100"), extra_starts(m(2021, 4), n - 1, price, duration)
        )
        assert one_less.total_expired > 0
        assert fewer.expired_before == result.expired_before


def test_scenario_changed_levy_and_pledge():
    pot = pot_with((m(2019, 4), "5000"))
    baseline, changed = run_scenario(
        pot,
        m(2021, 4),
        [D("1000"), D("1000")],
        {},
        Scenario(
            starts={m(2021, 4): 1},
            price=D("6000"),
            duration=12,
            funds_in_per_month=D("2000"),
            pledge_per_month=D("100"),
            pledge_months=2,
        ),
    )
    assert baseline.months[0].expired == D("5000")
    # April: 2,000 in; transfer 100 and one start's 400 both from the April 2019 lot
    assert changed.months[0].funds_in == D("2000")
    assert changed.months[0].transfers == D("100")
    assert changed.months[0].expired == D("4500")
