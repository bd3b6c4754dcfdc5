"""Demo: care-leaver placements and vacancies, and the incentive claims of March 2021.

docs/rules.md §1: 28 care-leaver placements from one-hour tasters to six-week placements,
vacancies shared with the care leavers team with guaranteed interviews, and new-hire
incentive instalments for the brand-new entrants, of which 6 were claimed.

The apprentices themselves come from the cohorts demo: this step claims for the
apprentices flagged ``new_hire`` and links two placement progressions to apprentices
who started after the placement, when such apprentices are loaded.
"""

from __future__ import annotations

from datetime import date, timedelta

from levy.demo import DEMO_DIR, demo_step
from levy.domain import incentives as inc
from levy.domain.accounts import Actor
from levy.domain.months import age_on
from levy.extensions import db
from levy.importers import placements as placement_workbook
from levy.models import Apprentice
from levy.models.care_leavers import Placement, PlacementFollowUp
from levy.models.incentives import IncentiveApplication
from levy.services import care_leavers as care
from levy.services import incentives as claims

AS_OF = date(2021, 3, 31)  # the scrutiny report (docs/rules.md §1)
CLAIMED = 6
FIRST_CLAIM = date(2021, 1, 11)
# placement, months, recorded on: progressions into an apprenticeship
APPRENTICESHIP_PROGRESSIONS = (("PL-013", 3, date(2020, 12, 21)), ("PL-015", 3, date(2021, 2, 3)))


@demo_step(70, "Care leavers and placements", "placements")
def load_placements(actor: Actor) -> str:
    parsed = placement_workbook.read(DEMO_DIR / "placements.xlsx", AS_OF)
    summary = care.import_placements(parsed, actor, AS_OF)
    linked = 0
    used = {
        f.apprentice_id
        for f in db.session.execute(db.select(PlacementFollowUp)).scalars()
        if f.apprentice_id
    }
    for reference, months, on in APPRENTICESHIP_PROGRESSIONS:
        placement = db.session.execute(
            db.select(Placement).where(Placement.reference == reference)
        ).scalar_one()
        if any(f.months == months for f in placement.follow_ups):
            linked += 1
            continue
        apprentice = _apprentice_after(placement, on, used)
        if apprentice is None:
            continue
        used.add(apprentice.id)
        care.record_follow_up(
            placement, months, on, "apprenticeship", apprentice.reference,
            "Started an apprenticeship with the council", actor,
        )  # fmt: skip
        linked += 1
    return f"{summary}; {linked} progressions into apprenticeships linked"


def _apprentice_after(placement: Placement, on: date, used: set[int]) -> Apprentice | None:
    """A young apprentice who started between the placement's end and the follow-up."""
    ended = placement.actual_end or placement.planned_end
    candidates = db.session.execute(
        db.select(Apprentice)
        .where(Apprentice.programme_type == "apprenticeship")
        .order_by(Apprentice.reference)
    ).scalars()
    for a in candidates:
        if a.id in used or not ended < a.start_date <= on:
            continue
        if 16 <= age_on(a.date_of_birth, a.start_date) <= 24:
            return a
    return None


@demo_step(75, "Incentive claims")
def load_claims(actor: Actor) -> str:
    applied = db.session.execute(db.select(db.func.count(IncentiveApplication.id))).scalar_one()
    entrants = [
        item
        for item in claims.schemes_for(claims.all_apprentices(), AS_OF, only_eligible=True)
        if item.apprentice.new_hire and any(r.scheme in inc.NEW_HIRE_SCHEMES for r in item.records)
    ]
    if not entrants:
        return "no new-hire apprentices loaded yet: nothing to claim"
    entrants.sort(key=lambda i: (i.apprentice.start_date, i.apprentice.reference))
    paid = 0
    for item in entrants:
        if applied >= CLAIMED:
            break
        record = next(r for r in item.records if r.scheme in inc.NEW_HIRE_SCHEMES)
        on = max(FIRST_CLAIM, item.apprentice.start_date + timedelta(days=7))
        if record.application_status != inc.NOT_APPLIED or on > AS_OF:
            continue
        applied += 1
        claims.record_application(
            item.apprentice, record.scheme, on, f"INC-{item.apprentice.reference}", actor, AS_OF
        )
        # the first half arrives about a fortnight after day 90, if that is by March 2021
        first = record.instalments[0]
        if first.due_date is not None:
            received = max(first.due_date, on) + timedelta(days=14)
            if received <= AS_OF:
                claims.record_payment(
                    item.apprentice, record.scheme, 1, received, first.amount, actor, AS_OF
                )
                paid += 1
    total = db.session.execute(db.select(db.func.count(IncentiveApplication.id))).scalar_one()
    return f"{len(entrants)} new-hire apprentices; {total} claimed; {paid} instalments received"
