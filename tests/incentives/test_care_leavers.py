"""Care leavers: import, role restriction, audited reads, redacted exports, follow-ups."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from levy.importers import placements as workbook
from levy.models import AuditEvent
from levy.models.care_leavers import Placement, PlacementFollowUp, Vacancy, YoungPerson
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "imports" / "demo"


def _import_demo(runner: Any) -> None:
    result = runner.invoke(args=["levy", "import", "directorates", str(DEMO / "directorates.xlsx")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["levy", "import", "placements", str(DEMO / "placements.xlsx")])
    assert result.exit_code == 0, result.output


def _count(db: Any, model: Any) -> int:
    return db.session.execute(db.select(db.func.count(model.id))).scalar_one()


def test_import_placements_all_and_idempotent(runner: Any, db: Any) -> None:
    _import_demo(runner)
    assert _count(db, Placement) == 28
    assert _count(db, YoungPerson) == 22
    assert _count(db, Vacancy) == 6
    types = db.session.execute(db.select(Placement.type, db.func.count()).group_by(Placement.type))
    assert dict(types.all()) == {"taster": 8, "short": 12, "extended": 8}
    events = _count(db, AuditEvent)
    result = runner.invoke(args=["levy", "import", "placements", str(DEMO / "placements.xlsx")])
    assert result.exit_code == 0
    assert "0 new or changed" in result.output
    assert _count(db, AuditEvent) == events


def _bad_workbook(tmp_path: Path) -> Path:
    book = workbook.template()
    book[workbook.YP_SHEET].append(
        ["YP-1", "Sam", "Carter", date(2002, 1, 1), "looked after", "", "", None, None, ""]
    )
    row = ["PL-1", "YP-1", "Outside Ltd", "", "", "", "short", date(2021, 3, 1),
           date(2021, 3, 15), 10, None, None, None, "no", "shadowing",
           None, "", None, "", ""]  # fmt: skip
    book[workbook.PL_SHEET].append(row)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    return path


def test_import_reports_every_problem_and_writes_nothing(
    runner: Any, db: Any, tmp_path: Path
) -> None:
    result = runner.invoke(args=["levy", "import", "placements", str(_bad_workbook(tmp_path))])
    assert result.exit_code == 1
    assert "Young people, row 2, Care status: 'looked after' is not one of" in result.output
    assert (
        "Placements, row 2, Planned end: A short placement lasts up to two weeks (14 days); "
        "planned dates 1 Mar 2021 to 15 Mar 2021 are 15 days: record it as extended"
    ) in result.output
    assert _count(db, YoungPerson) == 0


def test_template_has_the_sheets() -> None:
    book = load_workbook(ROOT / "imports" / "templates" / "placements.xlsx")
    assert [c.value for c in book[workbook.YP_SHEET][1]] == list(workbook.YP_HEADER)
    assert [c.value for c in book[workbook.PL_SHEET][1]] == list(workbook.PL_HEADER)


@pytest.mark.parametrize(
    ("role", "status"),
    [("care_leavers", 200), ("ld_team", 200), ("finance", 403), ("admin", 403),
     ("directorate_manager", 403), ("employer", 403)],
)  # fmt: skip
def test_records_only_for_the_team_and_ld(
    client: Any, login_as: Any, db: Any, runner: Any, role: str, status: int
) -> None:
    _import_demo(runner)
    person = db.session.execute(db.select(YoungPerson).filter_by(reference="YP-001")).scalar_one()
    login_as(role)
    assert client.get("/care-leavers/").status_code == status
    assert client.get(f"/care-leavers/young-people/{person.id}").status_code == status


def test_every_view_of_a_record_is_audited(
    client: Any, login_as: Any, db: Any, runner: Any
) -> None:
    _import_demo(runner)
    person = db.session.execute(db.select(YoungPerson).filter_by(reference="YP-002")).scalar_one()
    user = login_as("care_leavers")
    for _ in range(2):
        page = client.get(f"/care-leavers/young-people/{person.id}").get_data(as_text=True)
        assert "Kayla Moss" in page
    events = (
        db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "young_person.viewed"))
        .scalars()
        .all()
    )
    assert len(events) == 2
    assert {e.actor_id for e in events} == {user.id}
    assert {e.object_id for e in events} == {str(person.id)}


@pytest.mark.parametrize(("role", "named"), [("care_leavers", True), ("ld_team", False),
                                             ("finance", False)])  # fmt: skip
def test_exports_are_redacted_without_the_role(
    client: Any, login_as: Any, db: Any, runner: Any, role: str, named: bool
) -> None:
    _import_demo(runner)
    login_as(role)
    response = client.get("/care-leavers/reports.xlsx?as_of=2021-03-31")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data))["Placements"].iter_rows(values_only=True))
    assert len(rows) == 29
    names = {r[2] for r in rows[1:]}
    if named:
        assert "Jordan Hale" in names
    else:
        assert names == {"(redacted)"}
        assert all(r[3] is None for r in rows[1:])  # no ages either
    assert not any("Hale" in str(cell) for cell in rows[0])


def test_reports_page(client: Any, login_as: Any, db: Any, runner: Any) -> None:
    _import_demo(runner)
    login_as("finance")
    page = client.get("/care-leavers/reports?as_of=2021-03-31").get_data(as_text=True)
    assert "names are left out" in page
    assert "Kayla" not in page


def test_placement_limit_enforced_on_the_form(client: Any, login_as: Any, db: Any) -> None:
    person = YoungPerson(reference="YP-9", first_name="Sam", last_name="Carter",
                         date_of_birth=date(2002, 1, 1), care_status="care leaver")  # fmt: skip
    db.session.add(person)
    db.session.flush()
    login_as("care_leavers")
    db.session.commit()
    data = {
        "reference": "PL-9", "host_organisation": "Worcestershire County Council",
        "directorate_id": "0", "type": "taster", "planned_start": ["1", "3", "2021"],
        "planned_end": ["2", "3", "2021"], "planned_hours": "1", "paid": "no",
        "pay_reason": "Shadowing", "outcome": "",
    }  # fmt: skip
    response = client.post(f"/care-leavers/young-people/{person.id}/placements/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A taster placement lasts up to a day" in page
    data["planned_end"] = ["1", "3", "2021"]
    response = client.post(f"/care-leavers/young-people/{person.id}/placements/new", data=data)
    assert response.status_code == 302
    assert _count(db, Placement) == 1


def test_follow_up_links_the_apprentice_and_flags_the_payments(
    client: Any, login_as: Any, db: Any, runner: Any
) -> None:
    _import_demo(runner)
    apprentice = factories.create_apprentice(
        reference="APP-CL", date_of_birth=date(2001, 1, 28), planned_start=date(2021, 1, 4),
        employment_start=date(2021, 1, 4), new_hire=True,
    )  # fmt: skip
    placement = db.session.execute(db.select(Placement).filter_by(reference="PL-015")).scalar_one()
    login_as("care_leavers")
    response = client.post(
        f"/care-leavers/placements/{placement.id}/follow-up",
        data={"fu-months": "3", "fu-recorded_on": ["3", "2", "2021"],
              "fu-progression": "apprenticeship", "fu-apprentice_reference": "APP-CL",
              "fu-note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    follow = db.session.execute(
        db.select(PlacementFollowUp).filter_by(placement=placement)
    ).scalar_one()
    assert follow.apprentice_id == apprentice.id
    assert apprentice.care_leaver is True
    assert apprentice.care_leaver_consent_on == date(2020, 7, 6)
    result = runner.invoke(args=["levy", "incentives", "due", "--as-of", "2021-03-31",
                                 "--format", "json"])  # fmt: skip
    assert '"scheme": "care-leaver-bursary"' in result.output
    assert '"scheme": "16-18-employer"' in result.output  # aged 19: a care leaver with consent


def test_follow_up_to_do_and_overdue(client: Any, login_as: Any, db: Any, runner: Any) -> None:
    _import_demo(runner)
    login_as("ld_team")
    page = client.get("/care-leavers/follow-ups?as_of=2021-03-31").get_data(as_text=True)
    assert "overdue" in page
    assert "PL-019" in page  # ended 6 Dec 2020: the 3-month follow-up (6 Mar 2021) is overdue


def test_interview_owed_warning(client: Any, login_as: Any, db: Any, runner: Any) -> None:
    _import_demo(runner)
    login_as("care_leavers")
    page = client.get("/care-leavers/vacancies").get_data(as_text=True)
    assert "YP-020 met the minimum criteria for Family support worker apprentice" in page


def test_add_a_young_person_and_a_vacancy_with_an_owed_interview(
    client: Any, login_as: Any, db: Any
) -> None:
    login_as("care_leavers")
    response = client.post(
        "/care-leavers/young-people/new",
        data={"reference": "YP-100", "first_name": "Alex", "last_name": "Young",
              "date_of_birth": "2002-04-01", "care_status": "care leaver",
              "consent_employer_on": "2021-01-05"},
    )  # fmt: skip
    assert response.status_code == 302
    person = db.session.execute(db.select(YoungPerson).filter_by(reference="YP-100")).scalar_one()
    assert person.consent_employer_on == date(2021, 1, 5)
    created = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "young_person.created")
    ).scalar_one()
    assert created.after["reference"] == "YP-100"
    response = client.post(
        "/care-leavers/vacancies/new",
        data={"reference": "VAC-100", "title": "Admin apprentice", "directorate_id": "0",
              "shared_on": "2021-03-01", "apprenticeship": "yes"},
    )  # fmt: skip
    assert response.status_code == 302
    vacancy = db.session.execute(db.select(Vacancy).filter_by(reference="VAC-100")).scalar_one()
    response = client.post(
        f"/care-leavers/vacancies/{vacancy.id}",
        data={"young_person_id": str(person.id), "applied_on": "2021-03-05",
              "met_minimum_criteria": "yes", "interview_declined": "no"},
        follow_redirects=True,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "YP-100 met the minimum criteria for Admin apprentice" in page
    page = client.get("/").get_data(as_text=True)
    assert "Guaranteed interviews owed" in page


def test_young_person_form_errors_name_the_field(client: Any, login_as: Any, db: Any) -> None:
    login_as("ld_team")
    response = client.post(
        "/care-leavers/young-people/new",
        data={"reference": "YP-101", "first_name": "Alex", "last_name": "Young",
              "date_of_birth": "31/02/2002", "care_status": "care leaver"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "is not a date" in response.get_data(as_text=True)
    assert _count(db, YoungPerson) == 0


def test_a_placement_page_and_an_export_are_audited_by_the_service(
    client: Any, login_as: Any, db: Any, runner: Any
) -> None:
    """The view no longer writes audit entries: the care leavers service does
    (view_placement, record_export), and the view commits them."""
    _import_demo(runner)
    placement = db.session.execute(db.select(Placement).order_by(Placement.id)).scalars().first()
    user = login_as("care_leavers")
    assert client.get(f"/care-leavers/placements/{placement.id}").status_code == 200
    viewed = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "young_person.viewed")
    ).scalar_one()
    assert viewed.actor_id == user.id
    assert viewed.object_id == str(placement.young_person_id)
    assert viewed.after == {
        "reference": placement.young_person.reference,
        "via": placement.reference,
    }
    assert client.get("/care-leavers/reports.xlsx?as_of=2021-03-31").status_code == 200
    exported = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "care_leavers.exported")
    ).scalar_one()
    assert exported.after == {"named": True, "as_of": "2021-03-31"}


def test_unknown_records_are_404_not_500(client: Any, login_as: Any, db: Any) -> None:
    login_as("care_leavers")
    assert client.get("/care-leavers/young-people/999999").status_code == 404
    assert client.get("/care-leavers/placements/999999").status_code == 404
    assert client.get("/care-leavers/vacancies/999999").status_code == 404
