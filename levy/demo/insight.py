"""Demo insight data (issue 15): ULNs for the demo apprentices (two left without, for the
reconciliation to point out), and the officers' commentary for 2020-21 Q4. The demo
download to reconcile is ``imports/demo/esfa_transactions.csv`` (built by
``imports/build_demo_insight.py``; ``docs/insight.md`` lists what it plants)."""

from __future__ import annotations

import hashlib

from levy.demo import demo_step
from levy.domain.accounts import Actor
from levy.domain.months import parse_quarter
from levy.extensions import db
from levy.models import Apprentice
from levy.services.insight import assign_ulns, commentary, save_commentary

NO_ULN = ("APP-0003", "APP-0004")  # the provider has not told us these yet
DEMO_QUARTER = "2020-Q4"
COMMENTARY = """Starts in the quarter are behind the target shared out from 2.3% of headcount: \
January lockdown paused recruitment in Schools and in Economy and Infrastructure, and \
six requests to recruit were screened into apprenticeships that start in April.

Levy used over the year has risen but is still short of funds in, and levy from 2019 \
continued to expire. Transfers to local employers are ahead of a quarter of the year's cap, \
which is where most of the expiry is being avoided.

Actions: finance to reconcile the service's February download (two learners lack a ULN); \
L&D to confirm the April intake with directorates whose generated levy is mostly unused."""


def demo_uln(reference: str) -> str:
    """A stable 10-digit ULN for a demo reference (starts with 9: not a real learner's)."""
    digest = hashlib.sha256(f"levy-demo-uln:{reference}".encode()).hexdigest()
    return f"9{int(digest, 16) % 10**9:09d}"


@demo_step(45, "ULNs")
def load_ulns(actor: Actor) -> str:
    references = db.session.execute(
        db.select(Apprentice.reference)
        .where(Apprentice.programme_type == "apprenticeship", Apprentice.status != "future")
        .order_by(Apprentice.reference)
    ).scalars()
    wanted = {ref: demo_uln(ref) for ref in references if ref not in NO_ULN}
    changed = assign_ulns(wanted, actor)
    return f"{changed} ULNs set; {', '.join(NO_ULN)} left without one"


@demo_step(97, "Quarterly report commentary")
def load_commentary(actor: Actor) -> str:
    quarter = parse_quarter(DEMO_QUARTER)
    if commentary(quarter) is None:
        save_commentary(quarter, COMMENTARY, actor)
        return f"commentary written for {quarter.label}"
    return f"commentary for {quarter.label} already there"
