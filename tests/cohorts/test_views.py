"""Screens: scoping (another directorate gives 404), status moves, forms, import preview."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from levy.extensions import db as _db
from levy.models import Apprentice, AuditEvent
from levy.models.cohorts import RecruitRequest
from tests import factories
from tests.factories import apprentices_book, person, setup_reference


@pytest.fixture
def ref(db: Any) -> dict[str, Any]:
    data = setup_reference()
    data["mine"] = factories.create_apprentice(
        data["people"],
        data["standard"],
        data["college"],
        reference="APP-MINE",
        planned_start=date(2020, 9, 1),
        agreed_price=5600,
    )
    data["theirs"] = factories.create_apprentice(
        data["schools"], data["standard"], data["college"], reference="APP-THEIRS"
    )
    return data


def test_manager_sees_only_their_directorates(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("directorate_manager", directorates=[ref["people"]])
    page = client.get("/apprentices").get_data(as_text=True)
    assert "APP-MINE" in page
    assert "APP-THEIRS" not in page
    assert client.get(f"/apprentices/{ref['mine'].id}").status_code == 200
    assert client.get(f"/apprentices/{ref['theirs'].id}").status_code == 404
    assert client.get(f"/cohorts/{ref['people'].id}").status_code == 200
    assert client.get(f"/cohorts/{ref['schools'].id}").status_code == 404
    assert client.get(f"/quotas/{ref['people'].id}?year=2020").status_code == 200
    assert client.get(f"/quotas/{ref['schools'].id}?year=2020").status_code == 404
    quotas = client.get("/quotas?year=2020").get_data(as_text=True)
    assert "People" in quotas
    assert "Schools" not in quotas
    # managers read; they do not edit
    assert client.get(f"/apprentices/{ref['mine'].id}/edit").status_code == 403
    assert client.get("/apprentices.xlsx").status_code == 404


def test_finance_reads_all_employers_cannot(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("finance")
    page = client.get("/apprentices").get_data(as_text=True)
    assert "APP-MINE" in page
    assert "APP-THEIRS" in page
    assert client.get(f"/cohorts/{ref['schools'].id}").status_code == 200
    report = client.get("/quotas/target-report.xlsx?year=2020")
    assert report.status_code == 200
    assert report.mimetype.endswith("sheet")
    home = client.get("/").get_data(as_text=True)
    assert "Apprentices on programme" in home
    assert "Future cohort" in home


def test_employer_is_refused(client: Any, login_as: Any, ref: dict[str, Any]) -> None:
    login_as("employer")
    assert client.get("/apprentices").status_code == 403
    assert client.get("/quotas").status_code == 403


def test_record_page_shows_warnings_and_timeline(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("ld_team")
    page = client.get(f"/apprentices/{ref['mine'].id}").get_data(as_text=True)
    # price £5,600 against a £5,000 band: £600 is the organisation's own cost
    assert "the excess £600.00 is the organisation&#39;s own cost" in page
    # the rule by its plain name, its source as a named link; never the rule key
    assert "Funding band maximum" in page
    assert (
        '<a class="govuk-link" href="https://www.gov.uk/government/publications/'
        'apprenticeship-funding-bands">Apprenticeship funding bands</a>' in page
    )
    assert "bands.maximum" not in page
    assert "Timeline" in page


def test_status_moves_and_refusals(client: Any, login_as: Any, ref: dict[str, Any]) -> None:
    login_as("ld_team")
    a = ref["mine"]
    url = f"/apprentices/{a.id}/status"
    data = {"status": "break", "on": ["4", "1", "2021"], "reason": "long illness"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert a.status == "break"
    assert [(b.start, b.end) for b in a.breaks] == [(date(2021, 1, 4), None)]
    client.post(url, data={**data, "status": "on programme", "on": ["1", "3", "2021"]})
    assert a.status == "on programme"
    assert a.breaks[0].end == date(2021, 3, 1)
    # a move the state machine refuses: a readable message, never a 500
    response = client.post(url, data={**data, "status": "future"}, follow_redirects=True)
    assert response.status_code == 200
    assert a.status == "on programme"
    # going back in time is refused with a message
    response = client.post(
        url, data={**data, "status": "completed", "on": ["1", "2", "2021"]}, follow_redirects=True
    )
    assert "before the previous status change" in response.get_data(as_text=True)
    assert a.status == "on programme"
    assert (
        _db.session.execute(_db.select(AuditEvent).filter_by(action="apprentice.status_changed"))
        .scalars()
        .all()
    )


def test_add_form_with_govuk_dates_and_error_summary(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("ld_team")
    assert client.get("/apprentices/new").status_code == 200
    bad = client.post("/apprentices/new", data={"reference": "APP-NEW", "first_name": "Ava"})
    text = bad.get_data(as_text=True)
    assert "There is a problem" in text
    assert "Enter the last name" in text
    good = factories.apprentice_form(ref, agreed_price="£4,500")
    ended_early = {**good, "planned_end": ["31", "8", "2020"]}
    assert "is not after the start date" in client.post(
        "/apprentices/new", data=ended_early
    ).get_data(as_text=True)
    response = client.post("/apprentices/new", data=good)
    assert response.status_code == 302
    created = _db.session.execute(
        _db.select(Apprentice).filter_by(reference="APP-NEW")
    ).scalar_one()
    assert created.status == "on programme"
    assert str(created.agreed_price) == "4500.00"
    edit = client.post(f"/apprentices/{created.id}/edit", data={**good, "agreed_price": "4600"})
    assert edit.status_code == 302
    assert str(created.agreed_price) == "4600.00"
    # leaving employment: not before the start, and audited when recorded
    early = {**good, "left_employment_on": ["31", "8", "2020"]}
    text = client.post(f"/apprentices/{created.id}/edit", data=early).get_data(as_text=True)
    assert "Left employment on must be the same as or after the start date" in text
    assert created.left_employment_on is None
    left = {**good, "left_employment_on": ["1", "6", "2021"]}
    assert client.post(f"/apprentices/{created.id}/edit", data=left).status_code == 302
    assert created.left_employment_on == date(2021, 6, 1)
    event = (
        _db.session.execute(
            _db.select(AuditEvent)
            .filter_by(action="apprentice.updated")
            .order_by(AuditEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert event.after["left_employment_on"] == "2021-06-01"


def test_import_page_previews_then_imports(
    client: Any, login_as: Any, ref: dict[str, Any], tmp_path: Path
) -> None:
    login_as("ld_team")
    path = apprentices_book(tmp_path / "a.xlsx", [person("APP-9001")])
    response = client.post(
        "/apprentices/import",
        data={"workbook": (path.open("rb"), "a.xlsx")},
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert "1 rows: 1 new" in text
    assert (
        _db.session.execute(
            _db.select(Apprentice).filter_by(reference="APP-9001")
        ).scalar_one_or_none()
        is None
    )
    token = text.split('name="token" value="')[1].split('"')[0]
    response = client.post("/apprentices/import", data={"token": token})
    assert response.status_code == 302
    assert (
        _db.session.execute(
            _db.select(Apprentice).filter_by(reference="APP-9001")
        ).scalar_one_or_none()
        is not None
    )
    broken = apprentices_book(tmp_path / "b.xlsx", [person("APP-9002", Standard="NOPE")])
    text = client.post(
        "/apprentices/import",
        data={"workbook": (broken.open("rb"), "b.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Apprentices, row 2, Standard: &#39;NOPE&#39; is not a standard" in text


def test_list_filters_and_exports(client: Any, login_as: Any, ref: dict[str, Any]) -> None:
    login_as("ld_team")
    page = client.get(f"/apprentices?directorate={ref['schools'].id}").get_data(as_text=True)
    assert "APP-THEIRS" in page
    assert "APP-MINE" not in page
    warned = client.get("/apprentices?warnings=yes").get_data(as_text=True)
    assert "APP-MINE" in warned
    assert "APP-THEIRS" not in warned
    assert "APP-MINE" in client.get("/apprentices?q=mine").get_data(as_text=True)
    assert "APP-MINE" in client.get("/apprentices?intake=2020-21&level=3").get_data(as_text=True)
    csv_text = client.get(f"/apprentices/export.csv?directorate={ref['people'].id}").get_data(
        as_text=True
    )
    assert "APP-MINE" in csv_text
    assert "APP-THEIRS" not in csv_text
    assert client.get("/apprentices/export.xlsx").status_code == 200
    assert client.get("/cohorts").status_code == 200


def test_screening_log(client: Any, login_as: Any, ref: dict[str, Any]) -> None:
    login_as("ld_team")
    data = {
        "directorate_id": str(ref["people"].id),
        "job_title": "Clerk",
        "received_on": ["1", "3", "2021"],
        "outcome": "neither",
        "reason": "",
    }
    assert "Give the reason the post is neither" in client.post("/screening", data=data).get_data(
        as_text=True
    )
    refused = client.post("/screening", data={**data, "reason": "x", "social_worker": "y"})
    assert "social workers are not screened" in refused.get_data(as_text=True)
    assert client.post("/screening", data={**data, "reason": "specialist"}).status_code == 302
    assert _db.session.execute(_db.select(RecruitRequest)).scalar_one().reason == "specialist"
    assert "specialist" in client.get("/screening").get_data(as_text=True)


def test_quota_method_is_chosen_by_finance(client: Any, login_as: Any, ref: dict[str, Any]) -> None:
    login_as("finance")
    response = client.post("/quotas?year=2020", data={"method": "pay bill"})
    assert response.status_code == 302
    page = client.get("/quotas?year=2020").get_data(as_text=True)
    # council target 2.3% × 1,500 = 34.5; People 30m of 50m: 20.70
    assert "20.70" in page
    export = client.get("/quotas/export.xlsx?year=2020")
    assert export.status_code == 200
    assert export.mimetype.endswith("sheet")
