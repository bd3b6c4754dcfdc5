"""Placements: the list, an audited read through one, and the add and edit form (the type's
limit, the host and the other rules are enforced)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.extensions import db
from levy.models import Directorate
from levy.models.care_leavers import Placement, PlacementFollowUp
from levy.services.audit import record
from levy.services.care_leavers.common import PLACEMENT_FIELDS, CareLeaverError, save_referenced


def placements(options: bool = True) -> list[Placement]:
    query = db.select(Placement).order_by(Placement.planned_start, Placement.reference)
    if options:
        query = query.options(
            selectinload(Placement.young_person),
            selectinload(Placement.directorate),
            selectinload(Placement.follow_ups).selectinload(PlacementFollowUp.apprentice),
        )
    return list(db.session.execute(query).scalars())


def placement_by_id(placement_id: int) -> Placement | None:
    return db.session.get(Placement, placement_id)


def placement_count() -> int:
    return db.session.execute(db.select(db.func.count(Placement.id))).scalar_one()


def view_placement(placement: Placement, actor: Actor) -> Placement:
    """Audit a read of the young person's record through one of their placements."""
    record(
        actor,
        "young_person.viewed",
        "YoungPerson",
        placement.young_person_id,
        None,
        {"reference": placement.young_person.reference, "via": placement.reference},
    )
    return placement


def domain_placement(p: Placement) -> rules.Placement:
    return rules.Placement(
        type=p.type,
        planned_start=p.planned_start,
        planned_end=p.planned_end,
        planned_hours=p.planned_hours,
        actual_start=p.actual_start,
        actual_end=p.actual_end,
        actual_hours=p.actual_hours,
        paid=p.paid,
        pay_reason=p.pay_reason or "",
        risk_assessed_on=p.risk_assessed_on,
        risk_assessed_by=p.risk_assessed_by or "",
        outcome=p.outcome,
        directorate=p.directorate.name if p.directorate else "",
        service=p.service or "",
    )


def save_placement(placement: Placement | None, values: dict[str, Any], actor: Actor) -> Placement:
    """Create or update a placement; the type's limit and the other rules are enforced."""

    def check(row: Placement) -> None:
        if "directorate_id" in values:
            row.directorate = (
                db.session.get(Directorate, values["directorate_id"])
                if values["directorate_id"]
                else None
            )
        _check_host(row)
        rules.check_placement(domain_placement(row))

    saved: Placement = save_referenced(
        placement, Placement, values, PLACEMENT_FIELDS, "placement", actor, check
    )
    return saved


def _check_host(placement: Placement) -> None:
    """A council directorate or an outside host, never both: a directorate's host is its
    organisation (filled in when left blank)."""
    host = (placement.host_organisation or "").strip()
    if placement.directorate is None:
        if not host:
            raise CareLeaverError(
                "Choose the council directorate, or enter the outside host organisation",
                field="directorate_id",
            )
        return
    org = placement.directorate.organisation.name
    if not host:
        placement.host_organisation = org
    elif host.lower() != org.lower():
        raise CareLeaverError(
            f"'{host}' is an outside host: leave the council directorate unchosen, or clear "
            f"the outside host to place them in {placement.directorate.name}",
            field="directorate_id",
        )
