"""Care-leaver placement forms (issue 14): GOV.UK dates, back links, one host-or-directorate
choice, the summary page after saving, the follow-up opened at its milestone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from levy.extensions import db as _db
from levy.models.care_leavers import Placement, PlacementFollowUp, YoungPerson
from tests import factories

COUNCIL = "Worcestershire County Council"


@pytest.fixture
def person(db: Any, app: Any, monkeypatch: Any) -> YoungPerson:
    monkeypatch.setitem(app.config, "LEVY_AS_OF", date(2021, 6, 30))
    council = factories.create_organisation(COUNCIL, kind="council")
    factories.create_directorate("People", council)
    young = YoungPerson(reference="YP-9", first_name="Sam", last_name="Carter",
                        date_of_birth=date(2002, 1, 1), care_status="care leaver")  # fmt: skip
    _db.session.add(young)
    _db.session.flush()
    return young


def _directorate_id() -> int:
    from levy.models import Directorate

    return _db.session.execute(_db.select(Directorate.id).filter_by(name="People")).scalar_one()


def _placement(**changes: Any) -> dict[str, Any]:
    data = {
        "reference": "PL-9", "host_organisation": "", "directorate_id": "0",
        "type": "taster", "planned_start": ["1", "3", "2021"], "planned_end": ["1", "3", "2021"],
        "planned_hours": "1", "actual_start": ["1", "3", "2021"],
        "actual_end": ["1", "3", "2021"], "actual_hours": "1", "paid": "no",
        "pay_reason": "Shadowing", "outcome": "completed",
    }  # fmt: skip
    data.update(changes)
    return data


def test_new_placement_form_has_gov_dates_a_back_link_and_no_host_default(
    client: Any, login_as: Any, person: YoungPerson
) -> None:
    login_as("care_leavers")
    page = client.get(f"/care-leavers/young-people/{person.id}/placements/new").get_data(
        as_text=True
    )
    assert 'id="planned_start-day"' in page
    assert "For example, 31 3 2021" in page
    assert "For example, 2021-03-31" not in page
    assert "govuk-back-link" in page
    assert f"/care-leavers/young-people/{person.id}" in page
    assert COUNCIL not in page.split('id="host_organisation"')[1].split(">")[0]
    assert "Not chosen (an outside host)" in page


def test_host_or_directorate_is_named_when_missing_or_contradictory(
    client: Any, login_as: Any, person: YoungPerson
) -> None:
    login_as("care_leavers")
    url = f"/care-leavers/young-people/{person.id}/placements/new"
    page = client.post(url, data=_placement()).get_data(as_text=True)
    assert "Choose the council directorate, or enter the outside host organisation" in page
    both = _placement(host_organisation="Acme Ltd", directorate_id=str(_directorate_id()))
    page = client.post(url, data=both).get_data(as_text=True)
    assert "&#39;Acme Ltd&#39; is an outside host: leave the council directorate unchosen" in page
    bad_date = _placement(host_organisation="Acme Ltd", planned_start=["31", "2", "2021"])
    page = client.post(url, data=bad_date).get_data(as_text=True)
    assert "Enter the planned start as a real date, like 31 3 2021" in page
    assert 'href="#planned_start-day"' in page
    assert _db.session.execute(_db.select(Placement)).first() is None


def test_a_refused_save_names_its_field_in_the_error_summary(
    client: Any, login_as: Any, person: YoungPerson
) -> None:
    login_as("care_leavers")
    url = f"/care-leavers/young-people/{person.id}/placements/new"
    too_long = _placement(host_organisation="Acme Ltd", planned_hours="30", actual_hours="30")
    page = client.post(url, data=too_long).get_data(as_text=True)
    for field in ("planned_hours", "actual_hours"):
        assert f'href="#{field}">30.00 hours do not fit in a taster placement</a>' in page
    assert _db.session.execute(_db.select(Placement)).first() is None
    # a reference another young person has: the message sits on the reference field
    page = client.post(
        "/care-leavers/young-people/new",
        data={"reference": "YP-9", "first_name": "Alex", "last_name": "Reid",
              "date_of_birth": "2003-01-01", "care_status": "care leaver"},
    ).get_data(as_text=True)  # fmt: skip
    assert "the reference YP-9 is already used" in page
    assert 'href="#reference"' in page
    assert _db.session.execute(_db.select(_db.func.count(YoungPerson.id))).scalar_one() == 1


def test_saving_lands_on_the_summary_and_the_follow_up_opens_at_its_milestone(
    client: Any, login_as: Any, person: YoungPerson
) -> None:
    login_as("care_leavers")
    url = f"/care-leavers/young-people/{person.id}/placements/new"
    response = client.post(url, data=_placement(directorate_id=str(_directorate_id())))
    placement = _db.session.execute(_db.select(Placement)).scalar_one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/care-leavers/placements/{placement.id}")
    assert placement.host_organisation == COUNCIL
    assert placement.directorate_id == _directorate_id()
    summary = client.get(f"/care-leavers/placements/{placement.id}").get_data(as_text=True)
    assert f"{COUNCIL}: People" in summary
    assert 'name="planned_start' not in summary  # a summary, not the edit form
    link = f"/care-leavers/placements/{placement.id}/follow-up?months=3"
    assert f'href="{link}">Record the 3-month follow-up' in summary
    form = client.get(link).get_data(as_text=True)
    assert "Record the 3-month follow-up</h1>" in form
    assert "3 months after the placement" not in form  # not asked again
    assert 'type="hidden" name="fu-months" value="3"' in form
    assert f'href="/care-leavers/placements/{placement.id}"' in form  # back link
    answer = {"fu-months": "3", "fu-recorded_on": ["2", "6", "2021"],
              "fu-progression": "education or training"}  # fmt: skip
    wrong = client.post(link, data={**answer, "fu-recorded_on": ["2", "13", "2021"]})
    assert wrong.status_code == 200
    assert "Enter the followed up on as a real date" in wrong.get_data(as_text=True)
    done = client.post(link, data=answer)
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/care-leavers/placements/{placement.id}")
    follow = _db.session.execute(_db.select(PlacementFollowUp)).scalar_one()
    assert (follow.months, follow.recorded_on) == (3, date(2021, 6, 2))
    assert (
        client.get(f"/care-leavers/placements/{placement.id}/follow-up?months=7").status_code == 404
    )


def test_editing_a_placement_returns_to_its_summary(
    client: Any, login_as: Any, person: YoungPerson
) -> None:
    login_as("care_leavers")
    client.post(
        f"/care-leavers/young-people/{person.id}/placements/new",
        data=_placement(host_organisation="Acme Ltd"),
    )
    placement = _db.session.execute(_db.select(Placement)).scalar_one()
    edit = f"/care-leavers/placements/{placement.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert "govuk-back-link" in page
    assert 'value="Acme Ltd"' in page
    response = client.post(edit, data=_placement(host_organisation="Acme Ltd", supervisor="Ian"))
    assert response.headers["Location"].endswith(f"/care-leavers/placements/{placement.id}")
    assert placement.supervisor == "Ian"


def test_managers_and_other_roles_never_reach_placements(
    client: Any, login_as: Any, person: YoungPerson
) -> None:
    login_as("directorate_manager")
    assert client.get(f"/care-leavers/young-people/{person.id}/placements/new").status_code in (
        403,
        404,
    )
