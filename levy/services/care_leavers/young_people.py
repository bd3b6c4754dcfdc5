"""Young people: the list, an audited read of one record, and the add and edit form."""

from __future__ import annotations

from datetime import date
from typing import Any

from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.extensions import db
from levy.models.care_leavers import YoungPerson
from levy.services.audit import record
from levy.services.care_leavers.common import YP_FIELDS, save_referenced


def young_people() -> list[YoungPerson]:
    return list(
        db.session.execute(
            db.select(YoungPerson).order_by(YoungPerson.last_name, YoungPerson.first_name)
        ).scalars()
    )


def young_person_by_id(person_id: int) -> YoungPerson | None:
    return db.session.get(YoungPerson, person_id)


def view_young_person(person: YoungPerson, actor: Actor) -> YoungPerson:
    """Audit a read of the record (issue 7, 6: every view of a record is audited)."""
    record(
        actor,
        "young_person.viewed",
        "YoungPerson",
        person.id,
        None,
        {"reference": person.reference},
    )
    return person


def _domain_person(person: YoungPerson) -> rules.YoungPerson:
    return rules.YoungPerson(
        person.reference,
        person.name,
        person.date_of_birth,
        person.care_status,
        person.consent_hosts_on,
        person.consent_employer_on,
    )


def save_young_person(
    person: YoungPerson | None, values: dict[str, Any], actor: Actor, today: date
) -> YoungPerson:
    """Create or update a young person; refuses what breaks a rule."""

    def check(row: YoungPerson) -> None:
        problems = rules.young_person_errors(_domain_person(row), today)
        if problems:
            raise rules.PlacementError(problems)

    saved: YoungPerson = save_referenced(
        person, YoungPerson, values, YP_FIELDS, "young_person", actor, check
    )
    return saved
