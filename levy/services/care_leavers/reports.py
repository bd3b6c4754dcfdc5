"""The care-leaver report and the placements export (names only for the care leavers team)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.services.audit import record
from levy.services.care_leavers.follow_ups import domain_follow_up
from levy.services.care_leavers.placements import domain_placement, placements
from levy.services.care_leavers.vacancies import domain_applicant, vacancies


@dataclass
class CareLeaverReport:
    placements: rules.PlacementReport
    interviews: dict[str, int] = field(default_factory=dict)
    by_directorate_outcome: dict[str, dict[str, int]] = field(default_factory=dict)


def report(as_of: date) -> CareLeaverReport:
    rows = placements()
    facts = [
        rules.PlacementFacts(domain_placement(p), tuple(domain_follow_up(f) for f in p.follow_ups))
        for p in rows
    ]
    by_dir: dict[str, dict[str, int]] = {}
    for p in rows:
        name = p.directorate.name if p.directorate else f"{p.host_organisation} (outside host)"
        by_dir.setdefault(name, {}).setdefault(p.outcome or "not recorded", 0)
        by_dir[name][p.outcome or "not recorded"] += 1
    interviews = rules.interview_report(
        domain_applicant(a) for v in vacancies() for a in v.applicants
    )
    return CareLeaverReport(
        rules.placement_report(facts, as_of), dict(interviews), dict(sorted(by_dir.items()))
    )


def record_export(actor: Actor, named: bool, as_of: date) -> None:
    """Audit a download of the placements export (with or without names)."""
    record(actor, "care_leavers.exported", "Placement", None, None,
           {"named": named, "as_of": as_of})  # fmt: skip


PLACEMENT_EXPORT_HEADER = (
    "Placement",
    "Young person",
    "Name",
    "Age at start",
    "Care status",
    "Host organisation",
    "Directorate",
    "Service",
    "Type",
    "Planned start",
    "Planned end",
    "Actual start",
    "Actual end",
    "Hours",
    "Paid",
    "Outcome",
    "Progression at 3 months",
    "Progression at 6 months",
)
REDACTED = "(redacted)"


def placement_export_rows(named: bool) -> list[list[Any]]:
    """Placements for xlsx; without the role, names and ages are redacted."""
    out: list[list[Any]] = []
    for p in placements():
        yp = p.young_person
        by_months = {f.months: f.progression for f in p.follow_ups}
        start = p.actual_start or p.planned_start
        out.append(
            [
                p.reference,
                yp.reference,
                yp.name if named else REDACTED,
                rules.YoungPerson(yp.reference, yp.name, yp.date_of_birth, yp.care_status).age_on(
                    start
                )
                if named
                else None,
                yp.care_status,
                p.host_organisation,
                p.directorate.name if p.directorate else "",
                p.service,
                p.type,
                p.planned_start,
                p.planned_end,
                p.actual_start,
                p.actual_end,
                p.actual_hours if p.actual_hours is not None else p.planned_hours,
                "yes" if p.paid else "no",
                p.outcome or "",
                by_months.get(3, ""),
                by_months.get(6, ""),
            ]
        )
    return out
