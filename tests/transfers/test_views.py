"""Transfers pages: ownership (404), roles (403), CSRF, the 200-word limit, and the
whole journey through the test client."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from levy.domain import transfers as dom
from levy.extensions import db as _db
from levy.models.transfers import OutboxMessage, TransferApplication
from levy.services import transfers as svc
from tests.factories import OFFICER, create_application, create_business, levy_for_year

WORDS_200 = " ".join(["word"] * 200)


@pytest.fixture(autouse=True)
def spring_2021(app: Any, monkeypatch: Any) -> None:
    """The pages' today: 1 April 2021, so that a start in May 2021 is in the future."""
    monkeypatch.setitem(app.config, "LEVY_AS_OF", date(2021, 4, 1))


def _form(standard_id: int, **kw: Any) -> dict[str, Any]:
    data = {
        "standard": str(standard_id),
        "apprentices": "2",
        "planned_start": ["1", "5", "2021"],
        "provider_name": "Heart of Worcestershire",
        "provider_in_county": "yes",
        "new_start": "yes",
        "target_groups": ["care_leavers", "neet"],
        "social_value": "Good roles for care leavers.",
        "contact_name": "Jo",
        "contact_email": "jo@example.org",
    }
    data.update(kw)
    return data


def test_a_business_sees_only_its_own_applications(
    client: Any, sign_in: Any, standard: Any
) -> None:
    mine, _ = create_business(name="Mine Ltd")
    theirs, _ = create_business(name="Theirs Ltd")
    own = create_application(mine, standard)
    other = create_application(theirs, standard)
    sign_in("employer", organisation=mine)
    assert client.get(f"/transfers/applications/{own.id}").status_code == 200
    assert client.get(f"/transfers/applications/{other.id}").status_code == 404
    assert client.post(f"/transfers/applications/{other.id}/withdraw").status_code == 404
    assert client.get(f"/transfers/applications/{other.id}/check").status_code == 404
    page = client.get("/transfers/my").get_data(as_text=True)
    assert own.reference in page
    assert other.reference not in page


@pytest.mark.parametrize(
    ("role", "url", "method"),
    [
        ("employer", "/transfers/queue", "GET"),
        ("employer", "/transfers/allowance", "GET"),
        ("employer", "/transfers/outbox", "GET"),
        ("finance", "/transfers/outbox", "GET"),
        ("finance", "/transfers/applications/new", "GET"),
        ("directorate_manager", "/transfers/queue", "GET"),
        ("ld_team", "/transfers/applications/1/accept", "POST"),
    ],
)
def test_roles(client: Any, sign_in: Any, role: str, url: str, method: str) -> None:
    sign_in(role)
    assert client.open(url, method=method).status_code == 403


def test_only_admins_change_weights_and_only_finance_the_local_share(
    client: Any, sign_in: Any
) -> None:
    sign_in("ld_team")
    assert client.get("/transfers/weights").status_code == 200
    assert client.post("/transfers/weights", data={"vcse": "5"}).status_code == 403
    assert client.post("/transfers/allowance", data={"percent": "20"}).status_code == 403


def test_the_social_value_limit_is_200_words(client: Any, sign_in: Any, standard: Any) -> None:
    org, _ = create_business()
    sign_in("employer", organisation=org)
    too_long = client.post(
        "/transfers/applications/new", data=_form(standard.id, social_value=WORDS_200 + " more")
    )
    assert too_long.status_code == 400
    assert "200 words or fewer (you have 201)" in too_long.get_data(as_text=True)
    just_right = client.post(
        "/transfers/applications/new", data=_form(standard.id, social_value=WORDS_200)
    )
    assert just_right.status_code == 302
    assert "/check" in just_right.location


def test_csrf_is_required(csrf_app: Any, db: Any, standard: Any) -> None:
    from tests import factories

    org, _ = create_business()
    user = factories.create_user(role="employer", organisation=org)
    app = create_application(org, standard)
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    assert client.post(f"/transfers/applications/{app.id}/withdraw").status_code == 400
    assert client.post("/transfers/register", data={"legal_name": "x"}).status_code == 400


def test_the_journey_through_the_pages(client: Any, sign_in: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business(name="Evesham Engineering Ltd", employees=9)
    business = sign_in("employer", organisation=org)
    response = client.post("/transfers/applications/new", data=_form(standard.id))
    assert response.status_code == 302
    app = _db.session.execute(_db.select(TransferApplication)).scalar_one()
    check = client.get(response.location).get_data(as_text=True)
    assert "Check your answers" in check
    assert "£12,000.00 of £30,000.00" in check
    assert client.post(f"/transfers/applications/{app.id}/check").status_code == 302
    assert app.status == "submitted"
    # the business cannot accept yet: a clear message, not an error page
    refused = client.post(f"/transfers/applications/{app.id}/accept", follow_redirects=True)
    assert "You cannot accept an application that is submitted." in refused.get_data(as_text=True)

    officer = sign_in("finance")
    queue = client.get("/transfers/queue").get_data(as_text=True)
    assert app.reference in queue
    assert "Passes" in queue
    detail = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert "Micro business" in detail
    approved = client.post(f"/transfers/applications/{app.id}/approve", follow_redirects=True)
    assert "£12,000.00 reserved" in approved.get_data(as_text=True)
    assert app.status == "approved"

    sign_in(user=business)
    accepted = client.post(f"/transfers/applications/{app.id}/accept", follow_redirects=True)
    assert "You accepted the offer" in accepted.get_data(as_text=True)
    assert app.status == "accepted"

    sign_in(user=officer)
    recorded = client.post(
        f"/transfers/applications/{app.id}/apprentices",
        data={"count": "2", "start": ["3", "5", "2021"]},
    )
    assert recorded.status_code == 302
    assert app.status == "funds used"
    assert app.apprentices_taken == 2


def test_reject_shows_the_reason_to_the_business(client: Any, sign_in: Any, standard: Any) -> None:
    org, _ = create_business()
    app = create_application(org, standard)
    sign_in("ld_team")
    assert (
        client.post(f"/transfers/applications/{app.id}/reject", data={"text": ""}).status_code
        == 400
    )
    client.post(
        f"/transfers/applications/{app.id}/reject",
        data={"text": "The provider is not in the county"},
    )
    sign_in("employer", organisation=org)
    page = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert "Reason: The provider is not in the county" in page


def test_request_information_and_answer(client: Any, sign_in: Any, standard: Any) -> None:
    org, _ = create_business()
    app = create_application(org, standard)
    sign_in("ld_team")
    client.post(
        f"/transfers/applications/{app.id}/request-info",
        data={"text": "How many hours of mentoring?"},
    )
    sign_in("employer", organisation=org)
    page = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert "How many hours of mentoring?" in page
    client.post(f"/transfers/applications/{app.id}/respond", data={"text": "Two a week"})
    assert app.info_response == "Two a week"


def test_self_registration_and_confirmation(client: Any, sign_in: Any) -> None:
    data = {
        "contact_name": "Sam Patel",
        "email": "sam@bewdley.example",
        "password": "a-long-password",
        "password_again": "a-long-password",
        "legal_name": "Bewdley Bakes CIC",
        "company_number": "",
        "charity_number": "1190001",
        "address": "2 Load Street, Bewdley",
        "postcode": "DY12 2AE",
        "employees": "4",
        "pays_levy": "no",
        "is_vcse": "yes",
        "sector": "Tourism and hospitality",
        "pays_rates_in_county": "yes",
        "serves_county_residents": "yes",
    }
    bad = client.post("/transfers/register", data={**data, "postcode": "12345"})
    assert bad.status_code == 400
    assert "is not a UK postcode" in bad.get_data(as_text=True)
    none = client.post("/transfers/register", data={**data, "charity_number": ""})
    assert "Companies House number or a charity number" in none.get_data(as_text=True)
    response = client.post("/transfers/register", data=data)
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    link = re.search(r"http://localhost(/transfers/confirm/\S+)", message.body)
    assert link
    confirmed = client.get(link.group(1))
    assert confirmed.status_code == 302
    assert confirmed.location.startswith("/login")
    sign_in("admin")
    outbox = client.get("/transfers/outbox").get_data(as_text=True)
    assert "Confirm your email address" in outbox


def test_public_summary_has_no_personal_data(client: Any, db: Any, short_standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business(name="Secret Widgets Ltd")
    app = create_application(org, short_standard, apprentices=1)
    svc.approve(app.id, OFFICER, date(2021, 4, 2))
    page = client.get("/transfers/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "How to apply" in text
    assert "Secret Widgets" not in text
    assert "jo@example.org" not in text


def test_reports_and_xlsx(client: Any, sign_in: Any) -> None:
    sign_in("finance")
    assert client.get("/transfers/reports?year=2020").status_code == 200
    download = client.get("/transfers/reports/2020.xlsx")
    assert download.status_code == 200
    assert download.mimetype.endswith("spreadsheetml.sheet")


def test_finance_changes_the_local_share(client: Any, sign_in: Any) -> None:
    sign_in("finance")
    assert client.post("/transfers/allowance", data={"percent": "abc"}).status_code == 400
    assert client.post("/transfers/allowance", data={"percent": "20"}).status_code == 302
    assert svc.get_policy().local_share_bp == 2000


def test_admin_saves_new_weights(client: Any, sign_in: Any) -> None:
    sign_in("admin")
    assert client.post("/transfers/weights", data={"vcse": "ten"}).status_code == 400
    assert client.post("/transfers/weights", data={"vcse": "25"}).status_code == 302
    assert svc.current_scoring().version == 2
    assert svc.current_scoring().weight("vcse") == 25


def test_an_approval_past_the_allowance_is_refused_with_the_figures(
    client: Any, sign_in: Any, standard: Any
) -> None:
    levy_for_year(2021, levy="1000", top_up="0")  # base 12,000; cap 3,000
    org, _ = create_business()
    app = create_application(org, standard)
    sign_in("finance")
    page = client.post(f"/transfers/applications/{app.id}/approve", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Approving this would cost £12,000.00 in 2021-22 but only £3,000.00" in text
    assert app.status == "submitted"


def test_messages_go_by_smtp_when_configured(app: Any, db: Any, monkeypatch: Any) -> None:
    sent: list[Any] = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: int) -> None:
            sent.append((host, port))

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def send_message(self, message: Any) -> None:
            sent.append(message["To"])

    from levy import mail

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    message = svc.send_message("jo@example.org", "Hello", "Body")
    assert sent == []  # kept in the outbox until the transaction commits
    _db.session.commit()
    assert mail.deliver_committed() == 1
    assert sent == [("mail.example.org", 25), "jo@example.org"]
    _db.session.refresh(message)
    assert message.sent_at is not None


def test_the_business_sees_its_deadline(client: Any, sign_in: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard)
    svc.approve(app.id, OFFICER, date(2021, 1, 1))
    sign_in("employer", organisation=org)
    page = client.get(f"/transfers/applications/{app.id}").get_data(as_text=True)
    assert "Accept the offer by 11 February 2021." in page  # declined on day 42, 12 February


def test_an_apprentice_already_in_learning_fails_screening(
    client: Any, sign_in: Any, standard: Any
) -> None:
    org, _ = create_business()
    sign_in("employer", organisation=org)
    response = client.post("/transfers/applications/new", data=_form(standard.id, new_start="no"))
    app = _db.session.execute(_db.select(TransferApplication)).scalar_one()
    assert "No, already on an apprenticeship" in client.get(response.location).get_data(
        as_text=True
    )
    client.post(f"/transfers/applications/{app.id}/check")
    assert app.eligible is False
    assert [c for c, passed, _ in app.screening if not passed] == ["course.standard_new_start"]


def test_a_start_in_the_past_is_refused(client: Any, sign_in: Any, standard: Any) -> None:
    org, _ = create_business()
    sign_in("employer", organisation=org)
    response = client.post(
        "/transfers/applications/new", data=_form(standard.id, planned_start=["31", "3", "2021"])
    )
    assert response.status_code == 400
    assert "The planned start must be today or in the future" in response.get_data(as_text=True)


def test_finance_changes_the_local_rules(client: Any, sign_in: Any, standard: Any) -> None:
    sign_in("finance")
    assert client.get("/transfers/policy").status_code == 200
    data = {
        "max_employees": "50",
        "max_applications_per_year": "",
        "max_amount_per_year": "",
        "refuse_all_levy_payers": "no",
        "alternatives": ["based_in_county", "growth_sector"],
        "growth_sectors": "Construction\nAdvanced manufacturing",
        "windows": "2021-04-01 to 2021-06-30",
    }
    bad = client.post("/transfers/policy", data={**data, "windows": "April to June"})
    assert bad.status_code == 400
    assert "is not a window" in bad.get_data(as_text=True)
    assert client.post("/transfers/policy", data=data).status_code == 302
    rules = svc.local_policy()
    assert rules.max_employees == 50
    assert rules.max_applications_per_year is None
    assert rules.max_amount_per_year is None
    assert [g.criteria for g in rules.criteria_groups] == [
        ("based_in_county", "growth_sector"),
        ("pays_rates_in_county",),
        ("county_vcse",),
        ("county_provider",),
    ]
    assert rules.windows == (dom.ApplicationWindow(date(2021, 4, 1), date(2021, 6, 30)),)
    # the new rules screen the next submission: 60 employees is too many now
    org, _ = create_business(employees=60, is_vcse=True)
    app = create_application(org, standard, submit_on=date(2021, 7, 1))
    failed = {c for c, passed, _ in app.screening if not passed}
    assert failed == {"receiver.size", "window.open"}  # 60 staff; submitted in July


def test_officers_without_finance_only_read_the_local_rules(client: Any, sign_in: Any) -> None:
    sign_in("ld_team")
    assert "Growth sectors" in client.get("/transfers/policy").get_data(as_text=True)
    assert client.post("/transfers/policy", data={"max_employees": "5"}).status_code == 403


def test_editing_a_draft_to_a_start_in_the_past_is_refused_on_that_field(
    client: Any, sign_in: Any, standard: Any
) -> None:
    org, _ = create_business()
    draft = create_application(org, standard, submit_on=None)  # a draft starting 1 May 2021
    sign_in("employer", organisation=org)
    response = client.post(
        f"/transfers/applications/{draft.id}/edit",
        data=_form(standard.id, planned_start=["31", "3", "2021"]),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'id="planned_start-error"[^>]*>(.*?)</p>', page, re.S)
    assert error is not None, page
    assert "The planned start must be today or in the future" in error.group(1)
    _db.session.refresh(draft)
    assert draft.planned_start == date(2021, 5, 1)
