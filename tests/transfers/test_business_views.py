"""Issue 14, the local businesses' journey through the pages: screening at registration,
failed rules before and after submitting, "Start an application", confirmation pages,
the contact line, the error summary's links, and the starts a business reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from levy.extensions import db as _db
from levy.models import AuditEvent
from levy.models.transfers import TransferApprenticeStart
from levy.services import transfers as svc
from tests.factories import (
    BUSINESS,
    OFFICER,
    create_application,
    create_business,
    levy_for_year,
)


@pytest.fixture(autouse=True)
def spring_2021(app: Any, monkeypatch: Any) -> None:
    """The pages' today: 1 April 2021."""
    monkeypatch.setitem(app.config, "LEVY_AS_OF", date(2021, 4, 1))


REGISTRATION = {
    "contact_name": "Sam Patel",
    "email": "sam@pershore.example",
    "password": "a-long-password",
    "password_again": "a-long-password",
    "legal_name": "Pershore Plums Ltd",
    "company_number": "07654321",
    "charity_number": "",
    "address": "1 High Street, Pershore",
    "postcode": "WR10 1AA",
    "employees": "12",
    "pays_levy": "no",
    "is_vcse": "no",
    "sector": "Agri-tech and food",
    "pays_rates_in_county": "yes",
    "serves_county_residents": "yes",
}


def _accepted(org: Any, standard: Any, start: date = date(2021, 5, 1)) -> Any:
    app = create_application(org, standard, start=start)
    svc.approve(app.id, OFFICER, date(2021, 4, 1))
    svc.accept(app, BUSINESS, date(2021, 4, 1))
    return app


# -- registration ----------------------------------------------------------------------------


def test_300_employees_are_refused_on_the_field_with_why(client: Any, db: Any) -> None:
    page = client.post("/transfers/register", data={**REGISTRATION, "employees": "300"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'href="#employees"' in html  # the error summary links to the field
    assert 'id="employees-error"' in html  # and the message sits on it
    assert "300 employees is not eligible" in html
    assert "fewer than 250 employees" in html
    assert "Check your email" not in html


def test_a_sector_outside_the_priority_list_is_refused_under_the_hard_rule(
    client: Any, db: Any
) -> None:
    page = client.post("/transfers/register", data={**REGISTRATION, "sector": "Retail"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'id="sector-error"' in html
    assert "Retail is not one of the county&#39;s priority sectors" in html
    assert "Advanced manufacturing" in html


def test_a_sector_outside_the_list_is_accepted_with_a_note_when_it_is_an_alternative(
    client: Any, db: Any
) -> None:
    policy = svc.get_policy()
    policy.criteria_groups = [
        ["local.presence", ["based_in_county", "pays_rates_in_county", "growth_sector"]],
        ["local.county_provider", ["county_provider"]],
    ]
    _db.session.commit()
    form = client.get("/transfers/register").get_data(as_text=True)
    assert "Others can apply but are scored lower" in form
    page = client.post("/transfers/register", data={**REGISTRATION, "sector": "Retail"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Check your email" in html
    assert "Retail is not one of the county&#39;s priority sectors" in html
    assert "scored lower" in html


def test_the_register_page_says_the_limits_before_anyone_types(client: Any, db: Any) -> None:
    html = client.get("/transfers/register").get_data(as_text=True)
    assert "fewer than 250 employees" in html
    assert "The local rules fund only these sectors" in html


# -- start an application --------------------------------------------------------------------


def test_a_business_with_no_application_is_offered_one(client: Any, sign_in: Any) -> None:
    org, _ = create_business()
    sign_in("employer", organisation=org)
    home = client.get("/").get_data(as_text=True)
    assert "Start an application" in home
    assert 'href="/transfers/applications/new"' in home
    mine = client.get("/transfers/my").get_data(as_text=True)
    assert "You have no applications yet" in mine
    assert "Start an application" in mine


# -- failed rules ----------------------------------------------------------------------------


def test_check_answers_shows_the_failed_rules_and_the_status_page_after(
    client: Any, sign_in: Any, standard: Any
) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard, submit_on=None, provider_in_county=False)
    sign_in("employer", organisation=org)
    check = client.get(f"/transfers/applications/{app.id}/check").get_data(as_text=True)
    assert "This application does not meet a local rule" in check
    assert "A training provider in Worcestershire" in check
    assert "What would fix it:" in check
    assert "Choose a training provider based in Worcestershire" in check
    assert "Submit it anyway" in check

    page = client.post(f"/transfers/applications/{app.id}/check", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert app.status == "submitted"
    assert "govuk-notification-banner--success" not in html
    assert "submitted, but it does not meet the rule: A training provider in" in html
    assert "This application does not meet the rule: A training provider in" in html
    assert "What happens next: an officer will still look at it and decide by 30 June 2021" in (
        html
    )


def test_a_passing_application_gets_a_plain_success_message(
    client: Any, sign_in: Any, standard: Any
) -> None:
    org, _ = create_business()
    app = create_application(org, standard, submit_on=None)
    sign_in("employer", organisation=org)
    check = client.get(f"/transfers/applications/{app.id}/check").get_data(as_text=True)
    assert "does not meet" not in check
    page = client.post(f"/transfers/applications/{app.id}/check", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "govuk-notification-banner--success" in html
    assert "It meets the council&#39;s local rules" in html


# -- confirmation pages ----------------------------------------------------------------------


def test_accept_decline_and_withdraw_ask_first(client: Any, sign_in: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard, start=date(2021, 9, 1))
    svc.approve(app.id, OFFICER, date(2021, 4, 1))
    sign_in("employer", organisation=org)
    page = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert f'href="/transfers/applications/{app.id}/accept"' in page

    accept = client.get(f"/transfers/applications/{app.id}/accept").get_data(as_text=True)
    assert f"Are you sure you want to accept the offer for {app.reference}?" in accept
    assert "Up to £30,000.00" in accept
    # 3 months after the planned start of 1 September 2021
    assert "have started by 30 November 2021" in accept
    decline = client.get(f"/transfers/applications/{app.id}/decline").get_data(as_text=True)
    assert "The £12,000.00 reserved for you will be released" in decline
    withdraw = client.get(f"/transfers/applications/{app.id}/withdraw").get_data(as_text=True)
    assert f"Are you sure you want to withdraw {app.reference}?" in withdraw
    assert app.status == "approved"  # looking changes nothing

    done = client.post(f"/transfers/applications/{app.id}/accept", follow_redirects=True)
    assert "You accepted the offer" in done.get_data(as_text=True)
    assert app.status == "accepted"
    # an action that no longer applies: a message, not a confirmation
    again = client.get(f"/transfers/applications/{app.id}/accept", follow_redirects=True)
    assert "You cannot accept an application that is accepted." in again.get_data(as_text=True)


def test_officers_confirm_approve_and_reject(client: Any, sign_in: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard)
    sign_in("finance")
    page = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert f'href="/transfers/applications/{app.id}/approve"' in page
    approve = client.get(f"/transfers/applications/{app.id}/approve").get_data(as_text=True)
    assert f"Are you sure you want to approve {app.reference}?" in approve
    assert "£12,000.00 of £30,000.00" in approve
    # 12 × 110,000 × 25% = £330,000 allowance; £318,000 after this approval
    assert "£330,000.00 left now; £318,000.00 left after approval" in approve
    assert app.status == "submitted"
    reject = client.get(f"/transfers/applications/{app.id}/reject").get_data(as_text=True)
    assert f"Are you sure you want to reject {app.reference}?" in reject
    assert "The business will be told by email, with your reason" in reject
    done = client.post(f"/transfers/applications/{app.id}/approve", follow_redirects=True)
    assert "£12,000.00 reserved" in done.get_data(as_text=True)
    assert app.status == "approved"


# -- contact line, error summary -------------------------------------------------------------


def test_an_empty_contact_part_is_left_out(client: Any, sign_in: Any, standard: Any) -> None:
    org, _ = create_business()
    app = create_application(org, standard)
    app.contact_name = ""
    _db.session.flush()
    sign_in("employer", organisation=org)
    page = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert "jo@example.org" in page
    assert ", jo@example.org" not in page


def test_the_error_summary_links_to_a_date_s_day_box(
    client: Any, sign_in: Any, standard: Any
) -> None:
    org, _ = create_business()
    sign_in("employer", organisation=org)
    page = client.post(
        "/transfers/applications/new",
        data={"standard": str(standard.id), "apprentices": "2", "planned_start": ["", "", ""]},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'href="#planned_start-day"' in html
    assert 'href="#apprentices"' not in html  # no error there
    assert 'href="#provider_in_county"' in html  # radios: the first radio's id


# -- apprentices' starts ---------------------------------------------------------------------


def test_the_deadline_follows_the_planned_start(client: Any, sign_in: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = _accepted(org, standard, start=date(2021, 9, 1))
    sign_in("employer", organisation=org)
    page = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    # the finding: "by 29 June 2021" for a start on 1 September 2021
    assert "Tell us your apprentices have started by 30 November 2021." in page
    assert "Report the starts" in page
    assert page.count("Apprentice 1") == 1 and "Apprentice 2" in page  # one row per funded


def test_a_business_reports_its_apprentices_starts(
    client: Any, sign_in: Any, standard: Any
) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = _accepted(org, standard)
    business = sign_in("employer", organisation=org)
    url = f"/transfers/applications/{app.id}/starts"

    bad = client.post(
        url,
        data={
            "starts-0-name": "Sam Jones",
            "starts-0-start": ["4", "5", "2021"],
            "starts-0-uln": "123",
            "starts-1-name": "",
            "starts-1-start": ["31", "2", "2021"],
        },
    )
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert 'href="#starts-0-uln"' in html and 'id="starts-0-uln-error"' in html
    assert "The ULN must be 10 digits" in html
    assert 'href="#starts-1-start-day"' in html
    assert "Enter the start date as a real date" in html
    assert app.status == "accepted"

    later = client.post(
        url,
        data={"starts-0-name": "Sam Jones", "starts-0-start": ["1", "8", "2021"]},
    )
    assert later.status_code == 400
    assert "to 31 July 2021 (the last day before the funds expire)" in later.get_data(as_text=True)

    good = client.post(
        url,
        data={
            "starts-0-name": "Sam Jones",
            "starts-0-start": ["4", "5", "2021"],
            "starts-0-uln": "12345 67890",
        },
        follow_redirects=True,
    )
    assert "Thank you: you told us 1 apprentice(s) started" in good.get_data(as_text=True)
    assert app.status == "funds used"
    assert (app.apprentices_taken, app.actual_start) == (1, date(2021, 5, 4))
    rows = _db.session.execute(_db.select(TransferApprenticeStart)).scalars().all()
    assert [(r.name, r.start, r.uln) for r in rows] == [
        ("Sam Jones", date(2021, 5, 4), "1234567890")
    ]
    audit = _db.session.execute(
        _db.select(AuditEvent).where(AuditEvent.action == "transfers.starts_reported")
    ).scalar_one()
    assert audit.after["starts"][0]["uln"] == "1234567890"
    assert audit.actor_label == business.email

    sign_in("ld_team")
    officer = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert "Apprentices who started" in officer
    assert "Sam Jones" in officer and "1234567890" in officer


def test_only_the_business_itself_reports_starts(client: Any, sign_in: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business(name="Mine Ltd")
    other, _ = create_business(name="Theirs Ltd")
    app = _accepted(org, standard)
    data = {"starts-0-name": "Sam Jones", "starts-0-start": ["4", "5", "2021"]}
    sign_in("employer", organisation=other)
    assert client.post(f"/transfers/applications/{app.id}/starts", data=data).status_code == 404
    sign_in("finance")
    assert client.post(f"/transfers/applications/{app.id}/starts", data=data).status_code == 403
    assert app.status == "accepted"


def test_starts_for_an_offer_not_accepted_are_refused(
    client: Any, sign_in: Any, standard: Any
) -> None:
    org, _ = create_business()
    app = create_application(org, standard)
    sign_in("employer", organisation=org)
    page = client.post(
        f"/transfers/applications/{app.id}/starts",
        data={"starts-0-name": "Sam Jones", "starts-0-start": ["4", "5", "2021"]},
        follow_redirects=True,
    )
    assert "You cannot report the apprentices&#39; starts for an application that is" in (
        page.get_data(as_text=True)
    )
