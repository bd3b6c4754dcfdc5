"""Service rules that need the database: one incentive per person, the demo claims."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from levy.demo.incentives import load_claims
from levy.domain.accounts import Actor
from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from levy.services import incentives as service
from tests import factories

ACTOR = Actor("test")


def test_one_new_hire_incentive_per_person(db: Any) -> None:
    first = factories.create_apprentice(
        reference="APP-1", first_name="Ali", last_name="Stone", date_of_birth=date(2000, 1, 1),
        employment_start=date(2020, 9, 1), new_hire=True, status="withdrawn",
        status_date=date(2020, 9, 30),
    )  # fmt: skip
    second = factories.create_apprentice(
        reference="APP-2", first_name="Ali", last_name="Stone", date_of_birth=date(2000, 1, 1),
        employment_start=date(2020, 9, 1), planned_start=date(2020, 11, 2), new_hire=True,
    )  # fmt: skip
    service.record_application(
        first, "new-hire-1", date(2021, 1, 11), "R1", ACTOR, date(2021, 2, 1)
    )
    (item,) = service.schemes_for([second], date(2021, 2, 1))
    record = next(r for r in item.records if r.scheme == "new-hire-1")
    assert not record.eligibility.eligible
    assert record.eligibility.reason == "one incentive per apprentice: new-hire-1 already claimed"


def test_demo_claims_six_of_the_new_entrants(db: Any) -> None:
    directorate = factories.create_directorate()
    for n in range(25):
        start = date(2020, 9, 1) + timedelta(days=7 * n)
        factories.create_apprentice(
            directorate=directorate, reference=f"NE-{n:02d}", planned_start=start,
            employment_start=start, new_hire=True, date_of_birth=date(1996 - n % 10, 3, 1),
        )  # fmt: skip
    message = load_claims(ACTOR)
    assert "25 new-hire apprentices; 6 claimed" in message
    assert db.session.execute(db.select(db.func.count(IncentiveApplication.id))).scalar_one() == 6
    # the earliest starts (1 Sep - 6 Oct 2020) reached day 90 in time for a payment by March 2021
    paid = db.session.execute(db.select(db.func.count(IncentiveInstalment.id))).scalar_one()
    assert paid == 6
    assert "6 claimed" in load_claims(ACTOR)  # running it again changes nothing
    assert db.session.execute(db.select(db.func.count(IncentiveApplication.id))).scalar_one() == 6
