"""Follow-ups at 3 and 6 months: recording one (and flagging the apprentice it led to) and
the list of those due or overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.extensions import db
from levy.models import Apprentice
from levy.models.care_leavers import Placement, PlacementFollowUp, YoungPerson
from levy.services.audit import record_change, snapshot, upsert_audited
from levy.services.care_leavers.common import FOLLOW_UP_FIELDS, find_apprentice
from levy.services.care_leavers.placements import domain_placement, placements


def domain_follow_up(f: PlacementFollowUp) -> rules.FollowUp:
    return rules.FollowUp(
        f.months,
        f.recorded_on,
        f.progression,
        f.apprentice.reference if f.apprentice else None,
        f.note or "",
    )


def record_follow_up(
    placement: Placement,
    months: int,
    recorded_on: date,
    progression: str,
    apprentice_reference: str | None,
    note: str,
    actor: Actor,
) -> PlacementFollowUp:
    """Record (or correct) the 3- or 6-month follow-up.

    Progression into an apprenticeship links the apprentice record and flags it as a
    care leaver (with the employer-consent date), so the £1,000 employer payment and
    the bursary show up in the incentive claims.
    """
    follow_up = rules.FollowUp(months, recorded_on, progression, apprentice_reference or None, note)
    rules.check_follow_up(follow_up, domain_placement(placement))
    apprentice = find_apprentice(apprentice_reference) if apprentice_reference else None
    row, _ = upsert_audited(
        actor,
        next((f for f in placement.follow_ups if f.months == months), None),
        lambda: PlacementFollowUp(placement=placement, months=months),
        {
            "recorded_on": recorded_on,
            "progression": progression,
            "apprentice": apprentice,
            "apprentice_id": apprentice.id if apprentice else None,
            "note": note,
        },
        FOLLOW_UP_FIELDS,
        ("placement.follow_up", "placement.follow_up_updated"),
    )
    db.session.flush()
    if apprentice is not None:
        flag_care_leaver(apprentice, placement.young_person, actor)
    return row


def flag_care_leaver(apprentice: Apprentice, person: YoungPerson, actor: Actor) -> None:
    """Mark the linked apprentice as a care leaver (and the consent date), audited."""
    fields = ("care_leaver", "care_leaver_consent_on")
    before = snapshot(apprentice, fields)
    apprentice.care_leaver = person.care_status == "care leaver"
    if apprentice.care_leaver_consent_on is None:
        apprentice.care_leaver_consent_on = person.consent_employer_on
    db.session.flush()
    record_change(actor, "apprentice.care_leaver_flagged", apprentice, fields, before)


@dataclass(frozen=True)
class FollowUpTodo:
    placement: Placement
    item: rules.FollowUpDue


def follow_up_todo(as_of: date) -> list[FollowUpTodo]:
    """Follow-ups due (within 14 days) or overdue, most overdue first."""
    out = []
    for p in placements():
        recorded = [domain_follow_up(f) for f in p.follow_ups]
        for item in rules.follow_ups(domain_placement(p), recorded, as_of):
            if item.status in (rules.FOLLOW_UP_DUE, rules.FOLLOW_UP_OVERDUE):
                out.append(FollowUpTodo(p, item))
    out.sort(key=lambda t: (t.item.due_on, t.placement.reference))
    return out
