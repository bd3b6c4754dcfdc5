"""Cases ported from the government service's own unit tests.

SkillsFundingAgency/das-employer-finance:
``SFA.DAS.EmployerFinance.Types.UnitTests/Models/ExpiredFunds/ExpiredFundsTests.cs`` and
``SFA.DAS.EmployerFinance.UnitTests/Extensions/GetExpiredFundsExtensionTests.cs``.
Each case gives funds in and funds out by month (negative funds in = adjustment,
negative funds out = refund), recorded expiries, the expiry period in months,
and the expected expiry for the lot of each funds-in month (keyed, as the
service keys it, by that lot's expiry month). Amounts are whole pounds unless
the original used pence.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from levy.domain.ledger import FUNDS_IN, PAYMENT, Movement, build_ledger
from levy.domain.months import add_months
from levy.domain.rules import Rule, RuleBook


def fixed_period(months: int) -> RuleBook:
    return RuleBook([Rule("expiry.months", months, None, None, "test")], date(2099, 1, 1))


def m(year: int, month: int) -> date:
    return date(year, month, 1)


FUNDS_IN_4 = {m(2018, 10): 10, m(2018, 11): 9, m(2018, 12): 8, m(2019, 1): 5}

CASES = [
    # id, period, funds_in, funds_out, recorded, expected {funds-in month: expiry}
    (
        "no-spend-period-1",
        1,
        FUNDS_IN_4,
        {},
        {},
        {m(2018, 10): 10, m(2018, 11): 9, m(2018, 12): 8, m(2019, 1): 5},
    ),
    # 10 out in Oct 2018 uses the Oct lot entirely
    (
        "spend-taken-off",
        2,
        FUNDS_IN_4,
        {m(2018, 10): 10},
        {},
        {m(2018, 10): 0, m(2018, 11): 9, m(2018, 12): 8, m(2019, 1): 5},
    ),
    # a refund of 5 in Nov goes back to the Oct lot it came from: 5 expires
    (
        "refund",
        3,
        FUNDS_IN_4,
        {m(2018, 10): 10, m(2018, 11): -5},
        {},
        {m(2018, 10): 5, m(2018, 11): 9, m(2018, 12): 8, m(2019, 1): 5},
    ),
    (
        "two-refunds",
        3,
        FUNDS_IN_4,
        {m(2018, 10): 10, m(2018, 11): -5, m(2018, 12): -2},
        {},
        {m(2018, 10): 7, m(2018, 11): 9, m(2018, 12): 8, m(2019, 1): 5},
    ),
    # 12 out: Oct lot 10, then 2 of the Nov lot
    (
        "spend-over-two-lots",
        2,
        FUNDS_IN_4,
        {m(2018, 10): 12},
        {},
        {m(2018, 10): 0, m(2018, 11): 7, m(2018, 12): 8, m(2019, 1): 5},
    ),
    # 120 out in Nov when 19 were there: the overdraft of 101 eats every later lot
    (
        "large-carry-over",
        2,
        {
            m(2018, 10): 10,
            m(2018, 11): 9,
            m(2018, 12): 8,
            m(2019, 1): 5,
            m(2019, 2): 5,
            m(2019, 3): 5,
            m(2020, 3): 5,
        },
        {m(2018, 11): 120},
        {},
        {
            m(2018, 10): 0,
            m(2018, 11): 0,
            m(2018, 12): 0,
            m(2019, 1): 0,
            m(2019, 2): 0,
            m(2019, 3): 0,
            m(2020, 3): 0,
        },
    ),
    # Oct lot expired in Dec; Jan's 12 takes Nov's 9 (its expiry month) and 3 of Dec's
    (
        "spend-in-expiry-month",
        2,
        FUNDS_IN_4,
        {m(2019, 1): 12},
        {},
        {m(2018, 10): 10, m(2018, 11): 0, m(2018, 12): 5, m(2019, 1): 5},
    ),
    (
        "two-spends",
        2,
        FUNDS_IN_4,
        {m(2019, 1): 12, m(2019, 2): 3},
        {},
        {m(2018, 10): 10, m(2018, 11): 0, m(2018, 12): 2, m(2019, 1): 5},
    ),
    # spending after everything expired saves nothing
    (
        "spend-too-late",
        2,
        FUNDS_IN_4,
        {m(2019, 4): 12, m(2019, 5): 3},
        {},
        {m(2018, 10): 10, m(2018, 11): 9, m(2018, 12): 8, m(2019, 1): 5},
    ),
    # Feb's 3 overdraws by 2; the Apr lot of 2 pays it off, so nothing is left to expire
    (
        "seasonal",
        2,
        {m(2018, 9): 10, m(2018, 12): 8, m(2019, 1): 5, m(2019, 4): 2},
        {m(2019, 1): 12, m(2019, 2): 3},
        {},
        {m(2018, 9): 10, m(2018, 12): 0, m(2019, 1): 0, m(2019, 4): 0},
    ),
    # Dec -10 takes Nov's 9 then 1 of Oct's; Feb -5 takes Jan's 5
    (
        "adjustments-latest-first",
        6,
        {m(2018, 10): 10, m(2018, 11): 9, m(2018, 12): -10, m(2019, 1): 5, m(2019, 2): -5},
        {},
        {},
        {m(2018, 10): 9, m(2018, 11): 0, m(2019, 1): 0},
    ),
    # Dec -19 takes Nov 29 -> 10; Jun -5 takes Jan's 5
    (
        "large-adjustments",
        24,
        {m(2018, 10): 10, m(2018, 11): 29, m(2018, 12): -19, m(2019, 1): 5, m(2019, 6): -5},
        {},
        {},
        {m(2018, 10): 10, m(2018, 11): 10, m(2019, 1): 0},
    ),
    ("adjustment-a-year-later", 12, {m(2018, 12): 10, m(2019, 12): -10}, {}, {}, {m(2018, 12): 0}),
    # Dec -5 -> Nov 4; Feb -5 -> Jan 0; Jan out 12 takes Oct 12 (of 20); Feb 3 -> Oct 5
    (
        "adjustments-and-spend",
        6,
        {m(2018, 10): 20, m(2018, 11): 9, m(2018, 12): -5, m(2019, 1): 5, m(2019, 2): -5},
        {m(2019, 1): 12, m(2019, 2): 3},
        {},
        {m(2018, 10): 5, m(2018, 11): 4, m(2019, 1): 0},
    ),
    # recorded expiries are kept as written: 9 in Dec, 4 in Jan
    (
        "recorded-expiries",
        2,
        FUNDS_IN_4,
        {m(2018, 11): 12, m(2019, 1): 3},
        {m(2018, 12): 9, m(2019, 1): 4},
        {m(2018, 10): 9, m(2018, 11): 4, m(2018, 12): 0, m(2019, 1): 4},
    ),
    (
        "recorded-and-adjustments",
        4,
        {
            m(2018, 10): 10,
            m(2018, 11): 9,
            m(2018, 12): 8,
            m(2019, 1): -5,
            m(2019, 2): 5,
            m(2019, 3): -4,
        },
        {m(2018, 11): 10, m(2019, 1): 2},
        {m(2019, 2): 9, m(2019, 3): 4},
        {m(2018, 10): 9, m(2018, 11): 4, m(2018, 12): 0, m(2019, 2): 0},
    ),
    # pence: only 1,142.86 was spent, from the May 2017 lot; Jul 2017's lot expires whole
    (
        "large-period-pence",
        24,
        {
            m(2017, 5): Decimal("13263.89"),
            m(2017, 6): Decimal("11007.99"),
            m(2017, 7): Decimal("11554.93"),
        },
        {m(2017, 10): Decimal("1142.86")},
        {},
        {
            m(2017, 5): Decimal("12121.03"),
            m(2017, 6): Decimal("11007.99"),
            m(2017, 7): Decimal("11554.93"),
        },
    ),
    # recorded 139 in Sep (May lot 539 - 400 spent); Jun, Jul, Aug lots expire whole
    (
        "recorded-then-next",
        4,
        {m(2017, 5): 539, m(2017, 6): 539, m(2017, 7): 539, m(2017, 8): 539},
        {m(2017, 6): 200, m(2017, 7): 200},
        {m(2017, 9): 139},
        {m(2017, 5): 139, m(2017, 6): 539, m(2017, 7): 539, m(2017, 8): 539},
    ),
    (
        "recorded-zero-then-next",
        4,
        {m(2017, 5): 400, m(2017, 6): 539, m(2017, 7): 539, m(2017, 8): 539},
        {m(2017, 6): 200, m(2017, 7): 200, m(2017, 8): 100},
        {m(2017, 9): 0},
        {m(2017, 5): 0, m(2017, 6): 439, m(2017, 7): 539, m(2017, 8): 539},
    ),
    (
        "recorded-two-then-next",
        4,
        {m(2017, 5): 400, m(2017, 6): 539, m(2017, 7): 539, m(2017, 8): 539},
        {m(2017, 6): 100, m(2017, 7): 200, m(2017, 10): 100, m(2017, 12): 100},
        {m(2017, 9): 100, m(2017, 10): 439},
        {m(2017, 5): 100, m(2017, 6): 439, m(2017, 7): 539, m(2017, 8): 439},
    ),
    # 2017-03/05 and 2019-01 adjustments of -323.40 each; the 100 spent in May 2019
    # comes from the May 2017 lot (expiring that month): 539 - 100 = 439
    (
        "adjustments-over-24-months",
        24,
        {
            **{m(2017, k): 539 for k in range(5, 13)},
            m(2018, 1): 539,
            m(2018, 2): 539,
            m(2018, 3): Decimal("-323.40"),
            m(2018, 4): 539,
            m(2018, 5): Decimal("-323.40"),
            **{m(2018, k): 539 for k in range(6, 13)},
            m(2019, 1): Decimal("-323.40"),
        },
        {m(2019, 5): 100},
        {},
        {m(2017, 5): 439, m(2017, 6): 539, m(2017, 7): 539, m(2017, 8): 539},
    ),
]


@pytest.mark.parametrize(
    ("period", "funds_in", "funds_out", "recorded", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_service_cases(period, funds_in, funds_out, recorded, expected):
    rows = [Movement(k, FUNDS_IN, Decimal(v)) for k, v in funds_in.items()]
    rows += [Movement(k, PAYMENT, Decimal(v)) for k, v in funds_out.items()]
    last = add_months(max(funds_in), period + 1)
    ledger = build_ledger(
        rows,
        to=last,
        recorded_expiries={k: Decimal(v) for k, v in recorded.items()},
        rules=fixed_period(period),
    )
    for entered, amount in expected.items():
        row = ledger.month(add_months(entered, period))
        assert row is not None
        assert row.expired == Decimal(amount), entered


def three_years() -> list[Movement]:
    return [
        Movement(date(y, k, 1), FUNDS_IN, Decimal(1000))
        for y in (2019, 2020, 2021)
        for k in range(1, 13)
    ]


def test_service_24_months_without_change():
    """1,500 paid in June 2022 clears the June 2020 lot (expiring that month)
    and 500 of July 2020's; every other lot expires its full 1,000: 28,500 to June 2023."""
    rows = [*three_years(), Movement(m(2022, 6), PAYMENT, Decimal(1500))]
    ledger = build_ledger(rows, to=m(2023, 6), rules=fixed_period(24))
    assert ledger.month(m(2022, 6)).expired == 0
    assert ledger.month(m(2022, 7)).expired == 500
    assert sum(r.expired for r in ledger.months) == 28500


def test_service_policy_change_oldest_entered_spent_first():
    """Change on 1 Jan 2021: lots from Jan 2021 expire after 12 months. The June 2022
    payment goes to the older 24-month lots (June and July 2020), so the 12-month
    lot of June 2021, expiring that same month, expires in full: June 2022 expires
    0 (24-month) + 1,000 (12-month)."""
    from levy.domain.rules import rulebook

    rules = rulebook(date(2021, 1, 1))
    rows = [*three_years(), Movement(m(2022, 6), PAYMENT, Decimal(1500))]
    ledger = build_ledger(rows, to=m(2023, 6), rules=rules)
    assert ledger.month(m(2022, 6)).expired == 1000
    # July 2022: 500 of the July 2020 lot + the whole July 2021 lot
    assert ledger.month(m(2022, 7)).expired == 1500
    # 24-month lots: 22,500 (Jan 2021-Dec 2022); 12-month: 12,000 (Jan-Dec 2022)
    assert sum(r.expired for r in ledger.months) == 22500 + 12000


def test_service_adjustment_after_change_applied_once():
    from levy.domain.rules import rulebook

    rules = rulebook(date(2021, 1, 1))
    rows = [
        Movement(m(2019, 1), FUNDS_IN, Decimal(1000)),
        Movement(m(2021, 2), FUNDS_IN, Decimal(1000)),
        Movement(m(2021, 6), FUNDS_IN, Decimal(-500)),
    ]
    ledger = build_ledger(rows, to=m(2023, 6), rules=rules)
    assert ledger.month(m(2021, 1)).expired == 1000
    assert ledger.month(m(2022, 2)).expired == 500


def test_service_sept_2027_both_periods_expire():
    """100 a month Apr 2025 - Sep 2026, change 1 Aug 2026: in Sep 2027 the Sep 2025
    24-month lot and the Sep 2026 12-month lot both expire: 200."""
    rows = [Movement(add_months(m(2025, 4), i), FUNDS_IN, Decimal(100)) for i in range(18)]
    ledger = build_ledger(rows, to=m(2027, 9))
    # Aug 2025 (24 months) and Aug 2026 (12 months) lots both expire in Aug 2027
    assert ledger.month(m(2027, 8)).expired == 200
    assert ledger.month(m(2027, 9)).expired == 200
