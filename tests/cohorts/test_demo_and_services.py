"""The demo reproduces docs/rules.md §1; status moves, commitments for the forecast, quotas."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from levy.domain.accounts import Actor
from levy.domain.cohorts import StatusTransitionError
from levy.extensions import db as _db
from levy.models import Apprentice, Standard
from levy.services import cohorts as service
from tests import factories
from tests.factories import setup_reference

CENSUS = date(2021, 3, 31)


def test_demo_reproduces_the_scrutiny_figures(runner: Any) -> None:
    result = runner.invoke(args=["levy", "seed-demo"])
    assert result.exit_code == 0, result.output
    data = json.loads(
        runner.invoke(args=["levy", "cohorts", "--as-of", "2021-03-31", "--format", "json"]).output
    )
    assert data["on_programme"] == 146
    assert data["future"] == 35
    assert data["by_directorate"]["Schools"] == 48
    assert data["on_programme"] - data["by_directorate"]["Schools"] == 98
    assert all(data["by_level"][level] > 0 for level in "234567")
    assert all(count > 0 for count in data["by_age_band"].values())
    assert set(data["by_route"]) == {"employer-provider", "external provider"}
    records = {r.reference: r for r in service.records()}
    people = _db.session.execute(_db.select(Apprentice)).scalars().all()
    new_entrants = [
        a
        for a in people
        if a.new_hire and records.get(a.reference) and records[a.reference].on_programme(CENSUS)
    ]
    assert len(new_entrants) == 25
    trainees = [a for a in people if a.programme_type == "traineeship"]
    assert len(trainees) == 5
    assert not any(a.care_leaver for a in trainees)
    future_2021 = [r for r in records.values() if r.future(CENSUS)]
    assert all(r.start.year == 2021 for r in future_2021)
    assert all(s.demo_data for s in _db.session.execute(_db.select(Standard)).scalars())
    # running it again changes nothing
    again = runner.invoke(args=["levy", "seed-demo"])
    assert "212 rows: 0 new, 0 changed, 212 unchanged" in again.output


@pytest.fixture
def ref(db: Any) -> dict[str, Any]:
    return setup_reference()


def test_change_status_keeps_breaks_and_history(ref: dict[str, Any]) -> None:
    a = factories.create_apprentice(
        ref["people"],
        ref["standard"],
        ref["college"],
        status="future",
        planned_start=date(2021, 1, 4),
    )
    actor = Actor("test")
    service.change_status(a, "on programme", date(2021, 1, 11), "started a week late", actor)
    assert a.actual_start == date(2021, 1, 11)
    service.change_status(a, "break", date(2021, 2, 1), "illness", actor)
    service.change_status(a, "on programme", date(2021, 4, 1), "back", actor)
    service.change_status(a, "withdrawn", date(2021, 6, 30), "left the council", actor)
    assert [(b.start, b.end) for b in a.breaks] == [(date(2021, 2, 1), date(2021, 4, 1))]
    assert a.status_date == date(2021, 6, 30)
    assert [c.to_status for c in a.status_history] == [
        "on programme",
        "break",
        "on programme",
        "withdrawn",
    ]
    with pytest.raises(StatusTransitionError, match="withdrawn is a final status"):
        service.change_status(a, "on programme", date(2021, 7, 1), "came back", actor)


def test_a_move_before_the_start_is_refused(ref: dict[str, Any]) -> None:
    a = factories.create_apprentice(
        ref["people"], ref["standard"], ref["college"], planned_start=date(2021, 1, 4)
    )
    with pytest.raises(StatusTransitionError, match="before the start"):
        service.change_status(a, "break", date(2021, 1, 1), "ill", Actor("test"))


def test_commitments_for_the_forecast(ref: dict[str, Any]) -> None:
    # on programme: £6,000 against a £5,000 band, 18 month-ends Sep 2020 - Feb 2022
    factories.create_apprentice(
        ref["people"],
        ref["standard"],
        ref["college"],
        reference="ON",
        agreed_price=Decimal(6000),
        planned_start=date(2020, 9, 1),
        planned_end=date(2022, 2, 28),
    )
    factories.create_apprentice(
        ref["people"],
        ref["standard"],
        ref["college"],
        reference="FUTURE",
        status="future",
        planned_start=date(2021, 5, 4),
        planned_end=date(2022, 11, 3),
    )
    factories.create_apprentice(
        ref["people"],
        ref["standard"],
        ref["college"],
        reference="GONE",
        status="completed",
        status_date=date(2021, 1, 5),
        planned_start=date(2019, 9, 1),
        planned_end=date(2021, 1, 31),
    )
    found = dict(service.commitments(CENSUS))
    assert set(found) == {"ON", "FUTURE"}
    on = found["ON"]
    assert on.capped_price == Decimal(5000)
    assert on.excess == Decimal(1000)
    schedules = dict(service.commitment_schedules(CENSUS))
    payments = schedules["ON"]
    # 80% of £5,000 = £4,000 over 18 month-ends = £222.22 (last £222.26); 20% = £1,000
    assert payments[0].amount == Decimal("222.22")
    assert payments[-1].kind == "completion"
    assert payments[-1].amount == Decimal(1000)
    assert sum(p.amount for p in payments) == Decimal(5000)


def test_target_report(ref: dict[str, Any]) -> None:
    for start in (date(2020, 4, 1), date(2021, 3, 31), date(2021, 4, 1)):
        factories.create_apprentice(
            ref["people"],
            ref["standard"],
            ref["college"],
            planned_start=start,
            planned_end=date(2023, 1, 1),
        )
    [line] = service.target_report(2020)
    # 2 starts in 2020-21 ÷ 1,500 headcount = 0.0013 against 2.3%
    assert (line.headcount, line.starts, line.rate) == (1500, 2, Decimal("0.0013"))
    assert line.target_starts == Decimal("34.50")
    assert not line.met


def test_save_apprentice_refuses_with_every_problem_and_writes_nothing(db: Any) -> None:
    from levy.models import AuditEvent

    existing = factories.create_apprentice(reference="APP-1")
    values = dict.fromkeys(service.FORM_FIELDS) | {
        "reference": "app-1",  # already used, whatever the case
        "first_name": "Ava",
        "last_name": "Jones",
        "date_of_birth": date(2000, 6, 30),
        "planned_end": date(2022, 2, 28),
        "left_employment_on": date(2020, 8, 31),  # before the start
        "new_hire": False,
        "care_leaver": False,
        "ehc_plan": False,
        "directorate_id": existing.directorate_id,
        "standard_id": existing.standard_id,
        "provider_id": existing.provider_id,
        "agreed_price": Decimal("4500"),
        "start": date(2020, 9, 1),
    }
    events = db.session.execute(db.select(db.func.count(AuditEvent.id))).scalar_one()
    with pytest.raises(service.ApprenticeProblems) as refused:
        service.save_apprentice(None, values, Actor("ld@example.org"), date(2021, 3, 31))
    assert dict(refused.value.problems) == {
        "reference": "That reference is already used",
        "left_employment_on": "Left employment on must be the same as or after the start date",
    }
    assert db.session.execute(db.select(db.func.count(Apprentice.id))).scalar_one() == 1
    assert db.session.execute(db.select(db.func.count(AuditEvent.id))).scalar_one() == events
    saved = service.save_apprentice(
        None, values | {"reference": "APP-2", "left_employment_on": None},
        Actor("ld@example.org"), date(2021, 3, 31),
    )  # fmt: skip
    assert (saved.status, saved.actual_start) == ("on programme", date(2020, 9, 1))
    assert saved.organisation_id == existing.organisation_id
