"""Issue 14: the claims page filters (scheme, status, due month) and pages 50 at a time;
the claim forms put every problem on its field; due dates moved by a break say so."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from levy.models import ApprenticeBreak
from levy.models.incentives import IncentiveApplication
from tests import factories
from tests.cohorts.test_ld_journeys import no_error_banner, summary_links


def _cohort(n: int, **kw: Any) -> list[Any]:
    directorate = factories.create_directorate()
    standard = factories.create_standard()
    provider = factories.create_provider()
    return [
        factories.create_apprentice(
            directorate,
            standard,
            provider,
            reference=f"APP-{i:03d}",
            date_of_birth=date(1990, 5, 1),
            employment_start=date(2020, 9, 1),
            new_hire=True,
            **kw,
        )
        for i in range(1, n + 1)
    ]


def test_claims_are_paged_fifty_at_a_time(client: Any, login_as: Any, db: Any) -> None:
    _cohort(55)
    login_as("ld_team")
    html = client.get("/incentives/?as_of=2021-01-20").get_data(as_text=True)
    assert "Eligible, not yet applied for (55)" in html
    assert html.count('name="claim"') == 50
    assert "Page 1 of 2 (55 in all, 50 a page)" in html
    assert "to_apply_page=2" in html
    first = set(re.findall(r'name="claim" value="([^"]+)"', html))
    html = client.get("/incentives/?as_of=2021-01-20&to_apply_page=2").get_data(as_text=True)
    second = set(re.findall(r'name="claim" value="([^"]+)"', html))
    assert len(first) == 50 and len(second) == 5
    assert not first & second  # every claim on exactly one page
    # a page past the end is empty, never an error
    assert client.get("/incentives/?as_of=2021-01-20&to_apply_page=9").status_code == 200


def test_claims_filter_by_scheme_status_and_month(client: Any, login_as: Any, db: Any) -> None:
    _cohort(2)  # phase 1, started 1 Sep 2020: day 90 is 29 Nov 2020
    late = factories.create_apprentice(  # phase 2
        reference="APP-LATE",
        date_of_birth=date(1990, 5, 1),
        employment_start=date(2021, 4, 1),
        planned_start=date(2021, 4, 1),
        new_hire=True,
    )  # fmt: skip
    assert late.reference == "APP-LATE"
    login_as("ld_team")
    url = "/incentives/?as_of=2021-06-10"
    html = client.get(url).get_data(as_text=True)
    assert "Eligible, not yet applied for (1)" in html  # APP-LATE, phase 2
    assert "Missed applications (2)" in html  # phase 1 closed on 31 May 2021
    html = client.get(url + "&scheme=new-hire-1").get_data(as_text=True)
    assert "Eligible, not yet applied for (0)" in html
    assert "Missed applications (2)" in html
    html = client.get(url + "&status=missed").get_data(as_text=True)
    assert "Missed applications (2)" in html
    assert "Eligible, not yet applied for (" not in html
    assert "Instalments due, not yet received (" not in html
    # due in month: instalments due (29 Nov 2020) in November 2020
    html = client.get(url + "&status=due&month=2020-11").get_data(as_text=True)
    assert "Instalments due, not yet received (2)" in html
    html = client.get(url + "&status=due&month=2020-12").get_data(as_text=True)
    assert "Instalments due, not yet received (0)" in html
    # bad values: a message on the field, never a 500 or a banner
    response = client.get(url + "&month=Nov&scheme=nope&status=later")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert summary_links(html) == [
        ("#scheme", "'nope' is not a scheme: choose one from the list"),
        ("#status", "'later' is not a status: choose one from the list"),
        ("#month", "'Nov' is not a month: write it like 2021-03"),
    ]
    assert 'id="month-error"' in html
    assert no_error_banner(html)


def test_bulk_apply_reports_every_problem_on_its_field(client: Any, login_as: Any, db: Any) -> None:
    _cohort(1)
    login_as("ld_team")
    response = client.post("/incentives/apply", data={"applied_on": "", "as_of": "2021-01-20"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert summary_links(html) == [
        ("#claim", "Tick at least one claim to mark as applied"),
        ("#applied_on", "Enter the date applied, like 2021-03-31"),
    ]
    assert 'id="applied_on-error"' in html and 'id="claim-error"' in html
    assert no_error_banner(html)
    assert db.session.execute(db.select(IncentiveApplication)).first() is None


def test_apprentice_claim_form_errors_and_moved_due_dates(
    client: Any, login_as: Any, db: Any
) -> None:
    (a,) = _cohort(1)
    # a 14-day break (1-14 Oct 2020, both days count) moves day 90 from 29 Nov to 13 Dec 2020
    db.session.add(ApprenticeBreak(apprentice=a, start=date(2020, 10, 1), end=date(2020, 10, 14)))
    db.session.flush()
    login_as("ld_team")
    html = client.get(f"/incentives/apprentices/{a.reference}?as_of=2021-01-20").get_data(
        as_text=True
    )
    assert re.search(
        r"13 December 2020<br><span class=\"govuk-body-s\">moved by 14 days because of a "
        r"break in learning",
        html,
    )
    response = client.post(
        f"/incentives/apprentices/{a.reference}/apply",
        data={
            "scheme": "new-hire-1",
            "applied_on": "11/13/2021",
            "claim_reference": "R1",
            "as_of": "2021-01-20",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert summary_links(html) == [
        (
            "#applied_on-new-hire-1",
            "'11/13/2021' is not a date: enter the date applied like 2021-03-31",
        )
    ]
    assert 'id="applied_on-new-hire-1-error"' in html
    assert 'value="11/13/2021"' in html  # what was typed stays
    html = client.post(
        f"/incentives/apprentices/{a.reference}/apply",
        data={
            "scheme": "new-hire-1",
            "applied_on": "2021-01-11",
            "claim_reference": "R1",
            "as_of": "2021-01-20",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert (
        f"The application for the New-hire incentive, phase 1 is recorded for Sam "
        f"{a.last_name} (11 January 2021)" in html
    )
