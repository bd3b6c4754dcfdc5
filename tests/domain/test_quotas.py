"""Directorate quotas, RAG and the public-sector target report (issue 5 item 10)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levy.domain.months import financial_year_starting
from levy.domain.quotas import (
    DirectorateFigures,
    QuotaError,
    QuotaMethod,
    Rag,
    directorate_targets,
    elapsed_share,
    headcount_share,
    pay_bill_share,
    public_sector_report,
    rag_status,
)

D = date
FIGURES = [
    DirectorateFigures("WCC", "People", 1000, Decimal(30000000)),
    DirectorateFigures("WCC", "Economy", 500, Decimal(20000000)),
    DirectorateFigures("WCF", "Children", 500, Decimal(50000000)),
]


@pytest.mark.parametrize(("headcount", "target"), [(1000, "23.00"), (437, "10.05"), (0, "0.00")])
def test_headcount_share(headcount, target):
    # 2.3% × 437 = 10.051 → 10.05
    assert headcount_share(headcount, D(2020, 4, 1)) == Decimal(target)


def test_targets_by_headcount():
    assert directorate_targets(FIGURES, 2020) == {
        ("WCC", "People"): Decimal("23.00"),
        ("WCC", "Economy"): Decimal("11.50"),
        ("WCF", "Children"): Decimal("11.50"),
    }


def test_targets_by_pay_bill():
    # council target 2.3% × 2,000 = 46; pay-bill shares 30%, 20%, 50% → 13.80, 9.20, 23.00
    targets = directorate_targets(FIGURES, 2020, QuotaMethod.PAY_BILL)
    assert targets == {
        ("WCC", "People"): Decimal("13.80"),
        ("WCC", "Economy"): Decimal("9.20"),
        ("WCF", "Children"): Decimal("23.00"),
    }
    assert sum(targets.values()) == Decimal("46.00")


def test_pay_bill_share_needs_a_pay_bill():
    with pytest.raises(QuotaError):
        pay_bill_share(Decimal(46), Decimal(0), Decimal(0))


@pytest.mark.parametrize(
    ("as_of", "share"),
    [
        (D(2020, 3, 31), Decimal(0)),
        (D(2021, 3, 31), Decimal(1)),
        (D(2021, 4, 1), Decimal(1)),
        # 1 Apr 2020 - 31 Mar 2021 has 365 days; by 30 Sep 2020 183 have passed
        (D(2020, 9, 30), Decimal(183) / Decimal(365)),
    ],
)
def test_elapsed_share(as_of, share):
    assert elapsed_share(financial_year_starting(2020), as_of) == share


@pytest.mark.parametrize(
    ("starts", "rag"),
    # target 23 at year end: expected 23; amber from 17.25
    [(23, Rag.GREEN), (30, Rag.GREEN), (18, Rag.AMBER), (17, Rag.RED), (0, Rag.RED)],
)
def test_rag_at_year_end(starts, rag):
    assert (
        rag_status(Decimal("23.00"), starts, financial_year_starting(2020), D(2021, 3, 31)) is rag
    )


def test_rag_pro_rata_midyear():
    year = financial_year_starting(2020)
    # by 30 Sep 2020 expected 23 × 183/365 = 11.53; amber from 8.65
    assert rag_status(Decimal(23), 12, year, D(2020, 9, 30)) is Rag.GREEN
    assert rag_status(Decimal(23), 9, year, D(2020, 9, 30)) is Rag.AMBER
    assert rag_status(Decimal(23), 8, year, D(2020, 9, 30)) is Rag.RED
    assert rag_status(Decimal(0), 0, year, D(2020, 9, 30)) is Rag.GREEN


def test_public_sector_report_counts_starts_in_the_year_only():
    starts = [
        ("WCC", D(2020, 3, 31)),  # previous year
        ("WCC", D(2020, 4, 1)),
        ("WCC", D(2021, 3, 31)),
        ("WCC", D(2021, 4, 1)),  # next year
        ("WCF", D(2020, 10, 1)),
    ]
    lines = public_sector_report({"WCC": 100, "WCF": 50, "Schools": 0}, starts, 2020)
    by_org = {line.organisation: line for line in lines}
    assert (by_org["WCC"].starts, by_org["WCC"].rate) == (2, Decimal("0.0200"))
    assert by_org["WCC"].target_starts == Decimal("2.30")
    assert not by_org["WCC"].met
    assert (by_org["WCF"].starts, by_org["WCF"].rate) == (1, Decimal("0.0200"))
    assert by_org["Schools"].rate is None
    assert not by_org["Schools"].met
    assert [line.organisation for line in lines] == ["Schools", "WCC", "WCF"]


@given(
    st.lists(st.tuples(st.integers(0, 20_000), st.integers(1, 10_000_000)), min_size=1, max_size=12)
)
def test_pay_bill_shares_add_up_to_the_council_target(figures):
    rows = [
        DirectorateFigures("WCC", f"D{i}", heads, Decimal(pay))
        for i, (heads, pay) in enumerate(figures)
    ]
    targets = directorate_targets(rows, 2020, QuotaMethod.PAY_BILL)
    council = Decimal("0.023") * sum(h for h, _ in figures)
    # each share is rounded to the penny-like 0.01, so the sum drifts by at most 0.005 each
    assert abs(sum(targets.values()) - council) <= Decimal("0.005") * len(rows)
    assert all(t >= 0 for t in targets.values())
