"""The placements workbook: every cross-reference is checked first, then every sheet is
written through the same saves as the forms; a row already as the workbook has it is left."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.domain.errors import ImportFailed, RowError
from levy.domain.import_rows import (
    APP_SHEET,
    FU_SHEET,
    PL_SHEET,
    VAC_SHEET,
    PlacementsWorkbook,
)
from levy.extensions import db
from levy.models import Directorate, Organisation
from levy.models.care_leavers import Placement, Vacancy, YoungPerson
from levy.services.audit import _plain, snapshot
from levy.services.care_leavers.common import (
    APPLICANT_FIELDS,
    PLACEMENT_FIELDS,
    VACANCY_FIELDS,
    YP_FIELDS,
    CareLeaverError,
    by_reference,
    find_apprentice,
)
from levy.services.care_leavers.follow_ups import record_follow_up
from levy.services.care_leavers.placements import save_placement
from levy.services.care_leavers.vacancies import applicant, save_applicant, save_vacancy
from levy.services.care_leavers.young_people import save_young_person


@dataclass
class ImportSummary:
    young_people: int = 0
    placements: int = 0
    follow_ups: int = 0
    vacancies: int = 0
    applicants: int = 0
    changed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.young_people} young people, {self.placements} placements, "
            f"{self.follow_ups} follow-ups, {self.vacancies} vacancies, "
            f"{self.applicants} applicants; {self.changed} new or changed"
        )


# a host's directorate (or None for an outside host) by the workbook row naming it
Hosts = dict[int, Directorate | None]

_FOLLOW_UP_COLUMN = {"months": "Months", "progression": "Progression",
                     "apprentice_reference": "Apprentice"}  # fmt: skip


def import_placements(parsed: PlacementsWorkbook, actor: Actor, today: date) -> ImportSummary:
    """Write the workbook: every cross-reference is checked first, then all is saved."""
    placement_hosts, vacancy_hosts = _check_workbook(parsed)
    summary = ImportSummary(
        young_people=len(parsed.young_people),
        placements=len(parsed.placements),
        follow_ups=len(parsed.follow_ups),
        vacancies=len(parsed.vacancies),
        applicants=len(parsed.applicants),
    )
    summary.changed = (
        _write_young_people(parsed, actor, today)
        + _write_placements(parsed, placement_hosts, actor)
        + _write_follow_ups(parsed, actor)
        + _write_vacancies(parsed, vacancy_hosts, actor)
        + _write_applicants(parsed, actor)
    )
    return summary


# --- validate: every problem in the workbook, or the hosts its rows name ----------------


def _check_workbook(parsed: PlacementsWorkbook) -> tuple[Hosts, Hosts]:
    """Every cross-reference of the workbook, against itself and what is stored: raises
    ``ImportFailed`` with every problem, else returns the placements' and vacancies' hosts."""
    errors: list[RowError] = []
    people_in_book = {r.reference.lower() for r in parsed.young_people}
    vacancies_in_book = {r.reference.lower() for r in parsed.vacancies}

    def person_known(reference: str) -> bool:
        return (
            reference.lower() in people_in_book or by_reference(YoungPerson, reference) is not None
        )

    placement_hosts: Hosts = {}
    for pl in parsed.placements:
        if not person_known(pl.young_person):
            errors.append(
                RowError(PL_SHEET, pl.row, "Young person", f"no young person '{pl.young_person}'")
            )
        placement_hosts[pl.row] = _host_of(PL_SHEET, pl.row, pl.host_organisation,
                                           pl.directorate, errors)  # fmt: skip
    vacancy_hosts: Hosts = {}
    for vac in parsed.vacancies:
        vacancy_hosts[vac.row] = _host_of(VAC_SHEET, vac.row, vac.host_organisation,
                                          vac.directorate, errors)  # fmt: skip
    errors += _follow_up_errors(parsed)
    for ap in parsed.applicants:
        if (
            ap.vacancy.lower() not in vacancies_in_book
            and by_reference(Vacancy, ap.vacancy) is None
        ):
            errors.append(RowError(APP_SHEET, ap.row, "Vacancy", f"no vacancy '{ap.vacancy}'"))
        if not person_known(ap.young_person):
            errors.append(
                RowError(APP_SHEET, ap.row, "Young person", f"no young person '{ap.young_person}'")
            )
    if errors:
        raise ImportFailed(errors)
    return placement_hosts, vacancy_hosts


def _follow_up_errors(parsed: PlacementsWorkbook) -> list[RowError]:
    errors: list[RowError] = []
    placements_in_book = {r.reference.lower(): r for r in parsed.placements}
    for fu in parsed.follow_ups:
        known = placements_in_book.get(fu.placement.lower())
        if known is None and by_reference(Placement, fu.placement) is None:
            errors.append(RowError(FU_SHEET, fu.row, "Placement", f"no placement '{fu.placement}'"))
            continue
        if known is not None:
            for name, message in rules.follow_up_errors(fu.follow_up, known.placement):
                column = _FOLLOW_UP_COLUMN.get(name, "Recorded on")
                errors.append(RowError(FU_SHEET, fu.row, column, message))
        if fu.follow_up.apprentice_reference:
            try:
                find_apprentice(fu.follow_up.apprentice_reference)
            except CareLeaverError as exc:
                errors.append(RowError(FU_SHEET, fu.row, "Apprentice", str(exc)))
    return errors


def _host_of(
    sheet: str, row: int, name: str, directorate: str, errors: list[RowError]
) -> Directorate | None:
    found, problem = _host(name, directorate)
    if problem:
        errors.append(RowError(sheet, row, "Directorate", problem))
    return found


def _host(name: str, directorate: str) -> tuple[Directorate | None, str | None]:
    org = db.session.execute(
        db.select(Organisation).where(db.func.lower(Organisation.name) == name.strip().lower())
    ).scalar_one_or_none()
    if org is None:
        if directorate:
            return None, (
                f"'{name}' is not a known organisation: leave Directorate blank for an outside host"
            )
        return None, None
    if not directorate:
        return None, None
    found = db.session.execute(
        db.select(Directorate).where(
            Directorate.organisation_id == org.id,
            db.func.lower(Directorate.name) == directorate.strip().lower(),
        )
    ).scalar_one_or_none()
    if found is None:
        return None, f"{org.name} has no directorate called '{directorate}'"
    return found, None


# --- match and write: each sheet's rows, saved where they differ from what is stored ----


def _differs(existing: Any, values: dict[str, Any], fields: tuple[str, ...]) -> bool:
    """True for a row that is new, or whose stored ``fields`` differ from ``values``."""
    return existing is None or snapshot(existing, fields) != _plain_values(values, fields)


def _write_young_people(parsed: PlacementsWorkbook, actor: Actor, today: date) -> int:
    changed = 0
    for yp in parsed.young_people:
        values = {name: getattr(yp, name) for name in YP_FIELDS}
        existing = by_reference(YoungPerson, yp.reference)
        if _differs(existing, values, YP_FIELDS):
            save_young_person(existing, values, actor, today)
            changed += 1
    return changed


def _write_placements(parsed: PlacementsWorkbook, hosts: Hosts, actor: Actor) -> int:
    changed = 0
    for pl in parsed.placements:
        person = by_reference(YoungPerson, pl.young_person)
        directorate = hosts[pl.row]
        p = pl.placement
        values = {
            "reference": pl.reference,
            "young_person_id": person.id,
            "host_organisation": pl.host_organisation,
            "directorate_id": directorate.id if directorate else None,
            "service": pl.service,
            "supervisor": pl.supervisor,
            "type": p.type,
            "planned_start": p.planned_start,
            "planned_end": p.planned_end,
            "planned_hours": p.planned_hours,
            "actual_start": p.actual_start,
            "actual_end": p.actual_end,
            "actual_hours": p.actual_hours,
            "paid": p.paid,
            "pay_reason": p.pay_reason,
            "risk_assessed_on": p.risk_assessed_on,
            "risk_assessed_by": p.risk_assessed_by,
            "outcome": p.outcome,
            "feedback_young_person": pl.feedback_young_person,
            "feedback_host": pl.feedback_host,
        }
        existing = by_reference(Placement, pl.reference)
        if _differs(existing, values, PLACEMENT_FIELDS):
            save_placement(existing, values, actor).young_person = person
            changed += 1
    return changed


def _write_follow_ups(parsed: PlacementsWorkbook, actor: Actor) -> int:
    changed = 0
    for fu in parsed.follow_ups:
        placement = by_reference(Placement, fu.placement)
        f = fu.follow_up
        current = next((x for x in placement.follow_ups if x.months == f.months), None)
        same = current is not None and (
            current.recorded_on,
            current.progression,
            current.apprentice.reference if current.apprentice else None,
            current.note or "",
        ) == (f.recorded_on, f.progression, f.apprentice_reference, f.note)
        if not same:
            record_follow_up(placement, f.months, f.recorded_on, f.progression,
                             f.apprentice_reference, f.note, actor)  # fmt: skip
            changed += 1
    return changed


def _write_vacancies(parsed: PlacementsWorkbook, hosts: Hosts, actor: Actor) -> int:
    changed = 0
    for vac in parsed.vacancies:
        directorate = hosts[vac.row]
        values = {
            "reference": vac.reference,
            "title": vac.title,
            "directorate_id": directorate.id if directorate else None,
            "shared_on": vac.shared_on,
            "closing_on": vac.closing_on,
            "minimum_criteria": vac.minimum_criteria,
            "apprenticeship": vac.apprenticeship,
        }
        existing = by_reference(Vacancy, vac.reference)
        if _differs(existing, values, VACANCY_FIELDS):
            save_vacancy(existing, values, actor)
            changed += 1
    return changed


def _write_applicants(parsed: PlacementsWorkbook, actor: Actor) -> int:
    changed = 0
    for ap in parsed.applicants:
        vacancy = by_reference(Vacancy, ap.vacancy)
        person = by_reference(YoungPerson, ap.young_person)
        values = {
            "applied_on": ap.applied_on,
            "met_minimum_criteria": ap.met_minimum_criteria,
            "interview_on": ap.interview_on,
            "interview_declined": ap.interview_declined,
            "outcome": ap.outcome,
        }
        if _differs(applicant(vacancy, person), values, APPLICANT_FIELDS):
            save_applicant(vacancy, person, values, actor)
            changed += 1
    return changed


def _plain_values(values: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(values.get(name)) for name in fields}
