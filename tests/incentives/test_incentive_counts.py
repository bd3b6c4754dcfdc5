"""The home card's incentive counts in SQL agree with the full schedules of ``claims_due``
(issue 21, item 4): on the demo and at the boundaries (due today, due tomorrow, applied,
received, breaks, endings, one claim per person, a 29 February birthday)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from levy.extensions import db as _db
from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from levy.models.programme import ApprenticeBreak
from levy.services import incentives as service
from levy.services.incentive_counts import ClaimCounts, age_at, claim_counts, home_figures
from tests import factories


def _full(as_of: date) -> ClaimCounts:
    """What the home card counted before: every apprentice's schedule."""
    due = service.claims_due(as_of)
    closing = [c for c in due.to_apply if c.days_left is not None and c.days_left <= 30]
    return ClaimCounts(len(due.to_apply), len(closing), len(due.due), len(due.missed))


def _agree(as_of: date) -> ClaimCounts:
    counted = claim_counts(as_of)
    assert counted == _full(as_of), as_of
    return counted


def _new_hire(start: date = date(2020, 9, 1), **kw: Any) -> Any:
    kw.setdefault("date_of_birth", date(2000, 5, 17))
    return factories.create_apprentice(
        planned_start=start, planned_end=start + timedelta(days=600), employment_start=start,
        new_hire=True, **kw,
    )  # fmt: skip


def _apply(apprentice: Any, scheme: str, on: date) -> None:
    _db.session.add(
        IncentiveApplication(apprentice=apprentice, scheme=scheme, applied_on=on, reference="R")
    )
    _db.session.flush()


def _paid(apprentice: Any, scheme: str, number: int, on: date) -> None:
    _db.session.add(
        IncentiveInstalment(
            apprentice=apprentice, scheme=scheme, number=number, paid_on=on, amount=Decimal(1000)
        )
    )
    _db.session.flush()


def test_day_90_is_due_on_its_day_not_the_day_before(db: Any) -> None:
    # started 1 Sep 2020: day 90 in learning is 29 Nov 2020
    _new_hire()
    assert _agree(date(2020, 11, 28)) == ClaimCounts(to_apply=1, closing=0, due=0, missed=0)
    assert _agree(date(2020, 11, 29)) == ClaimCounts(to_apply=1, closing=0, due=1, missed=0)
    # the window closes 31 May 2021: inside 30 days from 2 May, missed from 1 June
    assert _agree(date(2021, 5, 1)).closing == 0
    assert _agree(date(2021, 5, 2)) == ClaimCounts(to_apply=1, closing=1, due=1, missed=0)
    assert _agree(date(2021, 5, 31)).to_apply == 1
    assert _agree(date(2021, 6, 1)) == ClaimCounts(to_apply=0, closing=0, due=1, missed=1)
    # day 365 is 31 Aug 2021
    assert _agree(date(2021, 8, 31)).due == 2


def test_applied_and_received_leave_the_counts(db: Any) -> None:
    apprentice = _new_hire()
    _apply(apprentice, "new-hire-1", date(2020, 12, 1))
    assert _agree(date(2020, 12, 1)) == ClaimCounts(to_apply=0, closing=0, due=1, missed=0)
    _paid(apprentice, "new-hire-1", 1, date(2020, 12, 20))
    assert _agree(date(2020, 12, 20)) == ClaimCounts()
    claimed, _ = home_figures(date(2020, 12, 20))
    assert claimed == service.claimed_so_far() == service.ClaimedSoFar(1, Decimal("1000.00"))
    assert _agree(date(2021, 8, 31)).due == 1


def test_breaks_move_the_due_date(db: Any) -> None:
    closed = _new_hire()
    # 10 days on a break before day 90: due 9 Dec 2020, not 29 Nov
    closed.breaks.append(ApprenticeBreak(start=date(2020, 10, 1), end=date(2020, 10, 10)))
    # a break that starts after day 90 changes nothing
    later = _new_hire()
    later.breaks.append(ApprenticeBreak(start=date(2020, 12, 1), end=date(2021, 1, 31)))
    # an open break: not due while it lasts
    open_ = _new_hire()
    open_.breaks.append(ApprenticeBreak(start=date(2020, 11, 1), end=None))
    # a break from before the start counts from the start only
    early = _new_hire()
    early.breaks.append(ApprenticeBreak(start=date(2020, 8, 20), end=date(2020, 9, 5)))
    _db.session.flush()
    assert _agree(date(2020, 11, 29)).due == 1
    assert _agree(date(2020, 12, 3)).due == 1
    assert _agree(date(2020, 12, 4)).due == 2  # 5 days of `early`'s break from the start
    assert _agree(date(2020, 12, 8)).due == 2
    assert _agree(date(2020, 12, 9)).due == 3
    assert _agree(date(2021, 6, 1)).due == 3


def test_overlapping_breaks_are_merged_as_the_domain_merges_them(db: Any) -> None:
    a = _new_hire()
    a.breaks.append(ApprenticeBreak(start=date(2020, 10, 1), end=date(2020, 10, 10)))
    a.breaks.append(ApprenticeBreak(start=date(2020, 10, 5), end=date(2020, 10, 12)))
    _new_hire()
    _db.session.flush()
    # 12 days on a break, not 18: due 11 Dec 2020
    assert _agree(date(2020, 12, 10)).due == 1
    assert _agree(date(2020, 12, 11)).due == 2


def test_ending_before_the_due_date_forfeits(db: Any) -> None:
    _new_hire(status="withdrawn", status_date=date(2020, 11, 28))
    _new_hire(status="withdrawn", status_date=date(2020, 11, 29))
    _new_hire(left_employment_on=date(2020, 11, 20))
    _new_hire(status="completed", status_date=date(2021, 1, 5))
    # ended after the as-of date: not yet an ending
    _new_hire(left_employment_on=date(2020, 12, 15))
    assert _agree(date(2020, 11, 29)).due == 3
    assert _agree(date(2020, 12, 31)).due == 3
    assert _agree(date(2021, 9, 1)).due == 3


def test_one_new_hire_incentive_per_person(db: Any) -> None:
    first = _new_hire(first_name="Ali", last_name="Stone", date_of_birth=date(2000, 1, 1))
    _new_hire(first_name=" ali", last_name="STONE ", date_of_birth=date(2000, 1, 1))
    _new_hire(first_name="Ali", last_name="Stone", date_of_birth=date(2000, 1, 2))
    assert _agree(date(2020, 12, 1)) == ClaimCounts(to_apply=3, closing=0, due=3, missed=0)
    _apply(first, "new-hire-1", date(2020, 12, 1))
    assert _agree(date(2020, 12, 1)) == ClaimCounts(to_apply=1, closing=0, due=2, missed=0)


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (date(2004, 8, 31), True),  # 16 on 31 Aug 2020, a day before the start
        (date(2004, 9, 1), True),  # 16 on the start day
        (date(2004, 9, 2), False),  # 15 on the start day
        (date(1995, 9, 1), False),  # 25 on the start day: 19-24 only with an EHC plan
        (date(1996, 9, 2), False),  # 23, no EHC plan, not a care leaver
    ],
)
def test_ages_on_the_start_day(db: Any, born: date, eligible: bool) -> None:
    factories.create_apprentice(planned_start=date(2020, 9, 1), date_of_birth=born)
    counts = _agree(date(2020, 12, 1))
    assert counts.to_apply == (1 if eligible else 0)  # the 16-18 employer payment


def test_care_leavers_and_ehc_plans(db: Any) -> None:
    start = date(2023, 9, 1)
    factories.create_apprentice(
        planned_start=start, date_of_birth=date(2001, 1, 1), care_leaver=True,
        care_leaver_consent_on=date(2023, 8, 1),
    )  # fmt: skip
    factories.create_apprentice(
        planned_start=start, date_of_birth=date(2001, 1, 1), care_leaver=True
    )
    factories.create_apprentice(planned_start=start, date_of_birth=date(2001, 1, 1), ehc_plan=True)
    # consenting care leaver: 16-18 payment and the bursary (3 instalments from Aug 2023);
    # the EHC plan: the 16-18 payment. The bursary's day 60 is 30 Oct 2023
    assert _agree(date(2023, 10, 29)) == ClaimCounts(to_apply=3, closing=0, due=0, missed=0)
    assert _agree(date(2023, 10, 30)) == ClaimCounts(to_apply=3, closing=0, due=1, missed=0)
    assert _agree(date(2024, 9, 1)).due == 2 * 2 + 3


def test_a_29_february_birthday_turns_19_on_28_february(db: Any) -> None:
    # 19 on 28 Feb 2019 (not a leap year): too old for the 16-18 payment from that day
    factories.create_apprentice(planned_start=date(2019, 2, 28), date_of_birth=date(2000, 2, 29))
    factories.create_apprentice(planned_start=date(2019, 2, 27), date_of_birth=date(2000, 2, 29))
    assert _agree(date(2019, 6, 1)).to_apply == 1
    born = date(2000, 2, 29)
    ages = [
        db.session.execute(db.select(age_at(born, day))).scalar_one()
        for day in (date(2019, 2, 27), date(2019, 2, 28), date(2020, 2, 28), date(2020, 2, 29))
    ]
    assert ages == [18, 19, 19, 20]


def test_the_demo_counts_agree(runner: Any, db: Any) -> None:
    result = runner.invoke(args=["levy", "seed-demo"])
    assert result.exit_code == 0, result.output
    seen = set()
    for as_of in (
        date(2020, 11, 1), date(2021, 3, 31), date(2021, 5, 31), date(2021, 6, 1),
        date(2021, 11, 30), date(2022, 5, 20), date(2023, 1, 1), date(2024, 6, 1),
    ):  # fmt: skip
        seen.add(_agree(as_of))
    assert len(seen) > 3  # the dates see different figures, not all nothing
