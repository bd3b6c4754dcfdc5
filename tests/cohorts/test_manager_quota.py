"""A directorate manager's quota: the home card, whole-people targets, the RAG rule in
words with the shortfall, breaks marked on the on-programme list (issue 14)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from levy.domain.months import financial_year_starting
from levy.domain.quotas import rag_reading, rag_status, shortfall_text, whole_people
from levy.extensions import db as _db
from levy.models import ApprenticeBreak
from tests import factories

AS_OF = date(2021, 3, 31)


def test_whole_people_rounds_half_up() -> None:
    assert whole_people(Decimal("24.15")) == 24
    assert whole_people(Decimal("24.50")) == 25
    assert whole_people(Decimal("0.49")) == 0


def test_rag_reading_agrees_with_rag_status_and_states_its_thresholds() -> None:
    fy = financial_year_starting(2020)
    target = Decimal("24.15")
    for as_of in (date(2020, 4, 1), date(2020, 9, 30), AS_OF):
        for starts in range(30):
            reading = rag_reading(target, starts, fy, as_of)
            assert reading.rag == rag_status(target, starts, fy, as_of)
    full = rag_reading(target, 18, fy, AS_OF)
    # the whole year passed: 24.15 needs 25 starts for green, 75% of it (18.11) needs 19
    assert (full.green_from, full.amber_from, full.rag.value) == (25, 19, "red")
    assert shortfall_text(full) == "7 starts short of the target so far"
    # half way through (30 Sep 2020: 183 of 365 days) 24.15 × 183/365 = 12.11: 13 for green
    half = rag_reading(target, 13, fy, date(2020, 9, 30))
    assert (half.green_from, half.rag.value) == (13, "green")
    assert shortfall_text(half) == "on target so far; 12 more starts for the year's target"


@pytest.fixture
def adults(db: Any, app: Any, monkeypatch: Any) -> dict[str, Any]:
    monkeypatch.setitem(app.config, "LEVY_AS_OF", AS_OF)
    ref = factories.setup_reference()
    council = ref["people"].organisation
    adults = factories.create_directorate("Adults", council, headcount=1050)  # 2.3% = 24.15
    people = [
        factories.create_apprentice(
            adults,
            ref["standard"],
            ref["college"],
            reference=f"APP-A{n:02d}",
            planned_start=date(2020, 5, 1 + n),
        )
        for n in range(18)
    ]
    resting = people[0]
    resting.status = "break"
    _db.session.add(ApprenticeBreak(apprentice_id=resting.id, start=date(2021, 3, 1), end=None))
    _db.session.flush()
    return {**ref, "adults": adults, "resting": resting}


def test_manager_home_card_shows_quota_and_rag(
    client: Any, login_as: Any, adults: dict[str, Any]
) -> None:
    login_as("directorate_manager", directorates=[adults["adults"]])
    page = client.get("/").get_data(as_text=True)
    assert "Adults quota 2020-21" in page
    assert "Red" in page
    assert (
        "Target about 24 starts; 18 started, 18 on programme: 7 starts short of the target so far"
        in page
    )
    assert f"/quotas/{adults['adults'].id}?year=2020" in page
    assert "People quota" not in page  # not their directorate
    # special-category data never reaches a manager
    assert "care" not in page.lower()
    assert client.get("/care-leavers/").status_code in (403, 404)


def test_quota_page_states_the_rule_the_shortfall_and_breaks(
    client: Any, login_as: Any, adults: dict[str, Any]
) -> None:
    login_as("directorate_manager", directorates=[adults["adults"]])
    page = client.get(f"/quotas/{adults['adults'].id}?year=2020").get_data(as_text=True)
    assert "about 24" in page
    assert "exactly 24.15" in page
    assert "100% of the year has passed, so the target so far is 24.15 starts" in page
    assert "Green: 25 starts or more" in page
    assert "Amber: 19 or more (at least 75% of it). Red: fewer than 19." in page
    assert "7 starts short of the target so far" in page
    assert page.count("On a break</strong>") == 1
    on_programme = page[page.index('<h2 class="govuk-heading-m">On programme') :]
    line = next(x for x in on_programme.splitlines() if "APP-A00" in x)
    assert "On a break" in line
    listing = client.get("/quotas?year=2020").get_data(as_text=True)
    assert "about 24" in listing
    assert "24.15 exactly" in listing
    assert "7 starts short of the target so far" in listing


def test_no_headcount_means_no_target_not_a_met_one(
    client: Any, login_as: Any, db: Any, app: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "LEVY_AS_OF", date(2026, 6, 1))
    ref = factories.setup_reference()  # headcounts for 2020 only
    login_as("directorate_manager", directorates=[ref["people"]])
    page = client.get("/").get_data(as_text=True)
    assert "People quota 2026-27" in page
    assert "No headcount for 2026-27 yet" in page
    assert "target is met" not in page
