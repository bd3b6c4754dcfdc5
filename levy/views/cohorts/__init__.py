"""Apprentices, cohorts, quotas and request-to-recruit screening (issue 5): one blueprint
``bp``, its routes in ``apprentices``, ``cohorts``, ``quotas`` and ``screening``.

The L&D team edits; directorate managers read their own directorates (another's
page gives 404); finance reads everything. Reads and writes go through
``levy.services.cohorts``; each write is one service call inside ``transaction()``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, url_for
from flask_login import current_user

from levy import clock
from levy.auth import require_directorate
from levy.models import Apprentice, Directorate
from levy.services import cohorts as service
from levy.views import Card, home_card, nav

bp = Blueprint("cohorts", __name__)
nav("Apprentices", "cohorts.apprentices", order=20)
nav("Cohorts", "cohorts.cohorts", order=22)
nav("Quotas", "cohorts.quotas", order=24)
nav("Recruitment screening", "cohorts.screening", order=26)

READERS = ("admin", "ld_team", "finance", "directorate_manager")
EDITORS = ("admin", "ld_team")


@home_card(20, "admin", "finance", "ld_team", "directorate_manager")
def cohort_cards(user: Any) -> list[Card]:
    scope = [d.id for d in user.directorates] if user.role == "directorate_manager" else None
    count = service.cohort(clock.today(), scope)
    where = " in your directorates" if scope is not None else ""
    return [
        Card(
            "Apprentices on programme",
            str(count.on_programme),
            f"{count.on_break} on a break in learning{where}",
            url_for("cohorts.apprentices"),
            "See the apprentices",
        ),
        Card(
            "Future cohort",
            str(count.future),
            f"signed up to start later{where}",
            url_for("cohorts.cohorts"),
            "See the cohorts",
        ),
    ]


def today() -> date:
    return clock.today()


def scope() -> list[int] | None:
    """The directorate ids the user may see, or None for all."""
    if current_user.role == "directorate_manager":
        return [d.id for d in current_user.directorates]
    return None


def apprentice_or_404(apprentice_id: int) -> Apprentice:
    apprentice = service.get_apprentice(apprentice_id)
    if apprentice is None:
        abort(404)
    require_directorate(apprentice.directorate_id)
    return apprentice


def directorate_or_404(directorate_id: int) -> Directorate:
    directorate = service.get_directorate(directorate_id)
    if directorate is None:
        abort(404)
    require_directorate(directorate.id)
    return directorate


# the routes attach themselves to ``bp``
from levy.views.cohorts import apprentices, cohorts, quotas, screening  # noqa: E402

__all__ = ["EDITORS", "READERS", "apprentices", "bp", "cohorts", "quotas", "screening"]
