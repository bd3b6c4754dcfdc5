"""The insight pages: who sees what, the upload, the commentary (audited), downloads."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from levy.extensions import db as _db
from levy.models.audit import AuditEvent
from tests.factories import create_directorate, create_organisation, create_transaction
from tests.insight.test_reconcile import ROWS, V2, csv_bytes, records


def _two_directorates() -> tuple[Any, Any]:
    council = create_organisation("Worcestershire County Council")
    adults = create_directorate("Adults", council, headcount=10, pay_bill=Decimal(300), year=2020)
    people = create_directorate("People", council, headcount=10, pay_bill=Decimal(100), year=2020)
    create_transaction(date(2020, 4, 1), "levy", "1000.00")
    return adults, people


def test_finance_sees_every_directorate_and_the_chart(client: Any, login_as: Any) -> None:
    _two_directorates()
    login_as("finance")
    page = client.get("/reports/expiry?year=2020").get_data(as_text=True)
    assert "Adults" in page and "People" in page
    assert "£750.00" in page and "£250.00" in page
    assert "<svg" in page and "expired share" in page


def test_a_manager_sees_only_their_directorates_and_the_councils_total(
    client: Any, login_as: Any
) -> None:
    _, people = _two_directorates()
    login_as("directorate_manager", directorates=[people])
    response = client.get("/reports/expiry?year=2020")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "People" in page and "Adults" not in page
    assert "£1,000.00" in page  # the council's funds in
    book = client.get("/reports/expiry.xlsx?year=2020")
    assert book.status_code == 200


def test_other_roles_cannot_open_the_reports(client: Any, login_as: Any) -> None:
    login_as("care_leavers")
    for url in ("/reports/expiry", "/reports/quarterly", "/reports/reconcile"):
        assert client.get(url).status_code == 403


def test_a_bad_year_or_quarter_is_a_message_not_an_error(client: Any, login_as: Any) -> None:
    login_as("finance")
    response = client.get("/reports/expiry?year=twenty", follow_redirects=True)
    assert response.status_code == 200
    assert "is not a year" in response.get_data(as_text=True)
    response = client.get("/reports/quarterly?quarter=2020-Q9")
    assert response.status_code == 200
    assert "like 2020-Q4" in response.get_data(as_text=True)
    response = client.get("/reports/quarterly?quarter=1066-Q1")
    assert response.status_code == 200
    assert "outside the years" in response.get_data(as_text=True)


def test_finance_uploads_the_download_and_sees_the_problems(client: Any, login_as: Any) -> None:
    records()
    login_as("finance")
    response = client.post(
        "/reports/reconcile",
        data={"file": (io.BytesIO(csv_bytes(V2, ROWS)), "esfaTransactions.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Payments for learners we have no record of (1)" in page
    assert "Apprentices without a ULN" in page
    assert "/apprentices/" in page  # each problem links to the apprentice
    assert "December 2020" in page
    start = page.index("/reports/reconcile/") + len("/reports/reconcile/")
    token = page[start : page.index(".xlsx", start)]
    book = client.get(f"/reports/reconcile/{token}.xlsx")
    assert book.status_code == 200 and book.data[:2] == b"PK"
    assert client.get("/reports/reconcile/not-a-token.xlsx").status_code == 404


def test_an_unreadable_upload_is_named(client: Any, login_as: Any) -> None:
    login_as("finance")
    response = client.post(
        "/reports/reconcile",
        data={"file": (io.BytesIO(b"Name,Amount\nx,1\n"), "other.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "not a transactions download" in response.get_data(as_text=True)


def test_the_quarterly_page_and_its_audited_commentary(client: Any, login_as: Any) -> None:
    create_directorate("People", headcount=100, pay_bill=Decimal(100), year=2020)
    login_as("ld_team")
    page = client.get("/reports/quarterly?quarter=2020-Q4").get_data(as_text=True)
    assert "Quarterly report, 2020-21 Q4" in page
    assert "Apprenticeship starts" in page and "Definitions" in page
    assert "@media print" in page and "A4" in page
    response = client.post(
        "/reports/quarterly?quarter=2020-Q4", data={"text": "Starts are behind target."}
    )
    assert response.status_code == 302
    page = client.get("/reports/quarterly?quarter=2020-Q4").get_data(as_text=True)
    assert "Starts are behind target." in page
    events = _db.session.execute(
        _db.select(AuditEvent).where(AuditEvent.action == "report.commentary.saved")
    ).scalars()
    assert [e.after["quarter"] for e in events] == ["2020-Q4"]
    docx = client.get("/reports/quarterly.docx?quarter=2020-Q4")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert client.get("/reports/quarterly.xlsx?quarter=2020-Q4").status_code == 200


def test_too_long_a_commentary_is_refused_next_to_the_field(client: Any, login_as: Any) -> None:
    login_as("finance")
    response = client.post("/reports/quarterly?quarter=2020-Q4", data={"text": "x" * 20001})
    assert response.status_code == 200
    assert "20,000 characters or fewer" in response.get_data(as_text=True)
