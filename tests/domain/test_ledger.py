"""The levy pot ledger (issue 4 rules 1 and 3; docs/rules.md §2-3)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levy.domain.ledger import (
    FUNDS_IN,
    PAYMENT,
    TRANSFER,
    LedgerError,
    Movement,
    Pot,
    build_ledger,
    closed_form_expiry,
    expiry_schedule,
)
from levy.domain.months import add_months
from levy.domain.rules import rulebook

D = Decimal


def m(year: int, month: int) -> date:
    return date(year, month, 1)


def test_first_expiry_is_may_2019_for_may_2017_funds():
    """£10,000 in May 2017, nothing spent: it expires in May 2019, not April, not June."""
    ledger = build_ledger([Movement(m(2017, 5), FUNDS_IN, D("10000"))], to=m(2019, 6))
    assert ledger.month(m(2019, 4)).expired == 0
    assert ledger.month(m(2019, 4)).balance == D("10000")
    assert ledger.month(m(2019, 5)).expired == D("10000")
    assert ledger.month(m(2019, 5)).balance == 0
    assert ledger.month(m(2019, 6)).expired == 0


@pytest.mark.parametrize(
    ("payment", "expired_may_2019", "expired_june_2019", "balance_june_2019"),
    [
        # May 2017 lot 5,000, June 2017 lot 4,000; payment in May 2019 (the May lot's
        # expiry month: payments come before expiry)
        (D("5000"), D("0"), D("4000"), D("0")),  # exactly uses the expiring lot
        (D("4999.99"), D("0.01"), D("4000"), D("0")),  # a penny short: a penny expires
        (D("5000.01"), D("0"), D("3999.99"), D("0")),  # a penny over: from the June lot
        (D("9000"), D("0"), D("0"), D("0")),
    ],
)
def test_payment_in_the_expiry_month(
    payment, expired_may_2019, expired_june_2019, balance_june_2019
):
    rows = [
        Movement(m(2017, 5), FUNDS_IN, D("5000")),
        Movement(m(2017, 6), FUNDS_IN, D("4000")),
        Movement(m(2019, 5), PAYMENT, payment),
    ]
    ledger = build_ledger(rows, to=m(2019, 6))
    assert ledger.month(m(2019, 5)).expired == expired_may_2019
    assert ledger.month(m(2019, 6)).expired == expired_june_2019
    assert ledger.month(m(2019, 6)).balance == balance_june_2019


def test_refund_returns_to_the_newest_lot_it_came_from():
    """Lots May 2017 £1,000 and June 2017 £1,000. July 2017 pays £1,500 (May's 1,000
    and 500 of June's). An August refund of £600 goes back to June (500 spent there)
    then 100 to May: May expires 100 in May 2019 and June 1,000 in June 2019."""
    rows = [
        Movement(m(2017, 5), FUNDS_IN, D("1000")),
        Movement(m(2017, 6), FUNDS_IN, D("1000")),
        Movement(m(2017, 7), PAYMENT, D("1500")),
        Movement(m(2017, 8), PAYMENT, D("-600")),
    ]
    ledger = build_ledger(rows, to=m(2019, 6))
    assert ledger.month(m(2017, 8)).payments == D("-600")
    assert ledger.month(m(2017, 8)).balance == D("1100")
    assert ledger.month(m(2019, 5)).expired == D("100")
    assert ledger.month(m(2019, 6)).expired == D("1000")


def test_refund_after_the_lot_expired_is_a_new_lot():
    """The May 2017 lot was spent in full in June 2017; a refund in June 2019 cannot
    go back to it (it expired in May 2019), so it enters as a June 2019 lot."""
    rows = [
        Movement(m(2017, 5), FUNDS_IN, D("1000")),
        Movement(m(2017, 6), PAYMENT, D("1000")),
        Movement(m(2019, 6), PAYMENT, D("-200")),
    ]
    ledger = build_ledger(rows, to=m(2021, 6))
    assert ledger.month(m(2019, 6)).balance == D("200")
    assert ledger.month(m(2021, 6)).expired == D("200")


def test_downward_adjustment_reduces_latest_lot_first():
    rows = [
        Movement(m(2017, 5), FUNDS_IN, D("1000")),
        Movement(m(2017, 6), FUNDS_IN, D("1000")),
        Movement(m(2017, 7), FUNDS_IN, D("-1200")),  # June 1,000 -> 0, May -> 800
    ]
    ledger = build_ledger(rows, to=m(2019, 6))
    assert ledger.month(m(2019, 5)).expired == D("800")
    assert ledger.month(m(2019, 6)).expired == 0


@pytest.mark.parametrize(
    ("change", "expiry_of_change_month_lot"),
    [
        (date(2026, 8, 1), m(2027, 8)),  # default: August 2026 funds expire after 12 months
        (date(2026, 4, 1), m(2027, 8)),  # the April reading of the sources: 12 too
        (date(2026, 9, 1), m(2028, 8)),  # a September change leaves August at 24 months
        (date(2026, 8, 2), m(2028, 8)),  # the lookup is by the month the funds entered
    ],
)
def test_change_date_is_configuration(change, expiry_of_change_month_lot):
    rules = rulebook(change)
    rows = [Movement(m(2026, 8), FUNDS_IN, D("100"))]
    ledger = build_ledger(rows, to=m(2028, 9), rules=rules)
    expired = {r.month: r.expired for r in ledger.months if r.expired}
    assert expired == {expiry_of_change_month_lot: D("100")}


def test_after_change_oldest_entered_lot_is_spent_first():
    """Change 1 Aug 2026. July 2026 £1,000 (24 months: expires July 2028); August 2026
    £1,000 (12 months: expires August 2027). £1,000 paid in September 2026 goes to
    the July lot because it entered first, so the August lot expires in full in
    August 2027 although the July lot would have lasted longer (docs/ledger.md)."""
    rows = [
        Movement(m(2026, 7), FUNDS_IN, D("1000")),
        Movement(m(2026, 8), FUNDS_IN, D("1000")),
        Movement(m(2026, 9), TRANSFER, D("1000")),
    ]
    ledger = build_ledger(rows, to=m(2028, 7))
    assert ledger.month(m(2027, 8)).expired == D("1000")
    assert ledger.month(m(2028, 7)).expired == 0
    assert ledger.balance == 0


def test_recorded_expiry_is_not_recomputed():
    rows = [Movement(m(2017, 5), FUNDS_IN, D("1000"))]
    ledger = build_ledger(rows, to=m(2019, 5), recorded_expiries={m(2019, 5): D("900")})
    row = ledger.month(m(2019, 5))
    assert (row.expired, row.recorded, row.balance) == (D("900"), True, D("100"))


def test_months_without_movements_are_listed_and_to_cuts_off():
    rows = [
        Movement(m(2017, 5), FUNDS_IN, D("10")),
        Movement(m(2017, 8), PAYMENT, D("4")),
        Movement(m(2018, 1), PAYMENT, D("1")),
    ]
    ledger = build_ledger(rows, to=m(2017, 9))
    assert [r.month for r in ledger.months] == [m(2017, k) for k in range(5, 10)]
    assert ledger.balance == D("6")


def test_unknown_kind_is_refused():
    with pytest.raises(LedgerError, match="'gift' is not one of"):
        build_ledger([Movement(m(2017, 5), "gift", D("1"))])


def test_expiry_schedule_does_not_change_the_pot():
    pot = build_ledger([Movement(m(2017, 5), FUNDS_IN, D("10"))], to=m(2018, 1)).pot
    schedule = expiry_schedule(pot, 18, m(2018, 2))
    assert schedule[m(2019, 5)] == D("10")
    assert sum(schedule.values()) == D("10")
    assert pot.balance == D("10")


# --- properties ------------------------------------------------------------------------

MONTHS = [add_months(m(2017, 5), i) for i in range(60)]
amounts = st.decimals(min_value=D("-500"), max_value=D("5000"), places=2)
positive = st.decimals(min_value=D("0"), max_value=D("5000"), places=2)
movement = st.builds(
    Movement, st.sampled_from(MONTHS), st.sampled_from([FUNDS_IN, PAYMENT, TRANSFER]), amounts
)
plain_movement = st.one_of(
    st.builds(Movement, st.sampled_from(MONTHS), st.just(FUNDS_IN), positive),
    st.builds(Movement, st.sampled_from(MONTHS), st.sampled_from([PAYMENT, TRANSFER]), positive),
)
END = m(2023, 12)


@settings(max_examples=150, deadline=None)
@given(st.lists(movement, max_size=40), st.sampled_from([date(2026, 8, 1), date(2019, 1, 1)]))
def test_money_is_conserved_and_expiry_never_negative(rows, change):
    ledger = build_ledger(rows, to=END, rules=rulebook(change))
    total_in = sum((r.funds_in for r in ledger.months), D(0))
    out = sum((r.payments + r.transfers + r.expired for r in ledger.months), D(0))
    assert total_in == out + ledger.balance
    assert all(r.expired >= 0 for r in ledger.months)
    running = D(0)
    for row in ledger.months:
        running += row.funds_in - row.payments - row.transfers - row.expired
        assert row.balance == running
    assert ledger.pot.balance == ledger.balance


@settings(max_examples=150, deadline=None)
@given(st.lists(movement, max_size=40), st.randoms())
def test_result_does_not_depend_on_row_order(rows, rnd: random.Random):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert build_ledger(rows, to=END).months == build_ledger(shuffled, to=END).months


@settings(max_examples=150, deadline=None)
@given(st.lists(plain_movement, max_size=40))
def test_nothing_expires_that_was_spent(rows):
    """Each month's expiry never exceeds what is left of the lots due that month:
    funds that entered up to E-24, less everything spent up to E, less expired before.
    For data wholly before the change this is the service's closed formula."""
    ledger = build_ledger(rows, to=END)
    formula = closed_form_expiry(rows, END)
    for row in ledger.months:
        assert row.expired == formula.get(row.month, D(0))


@settings(max_examples=100, deadline=None)
@given(st.lists(plain_movement, max_size=30), positive, st.sampled_from(MONTHS))
def test_spending_more_never_increases_expiry(rows, extra, month):
    before = build_ledger(rows, to=END)
    after = build_ledger([*rows, Movement(month, PAYMENT, extra)], to=END)
    assert sum(r.expired for r in after.months) <= sum(r.expired for r in before.months)


def test_pot_copy_is_independent():
    pot = Pot()
    pot.add_funds(m(2017, 5), D("10"))
    copy = pot.copy()
    copy.spend(m(2017, 6), D("4"))
    assert (pot.balance, copy.balance) == (D("10"), D("6"))
