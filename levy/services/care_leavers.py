"""Care leavers: young people, placements, follow-ups, vacancies and interviews.

Rules come from ``levy.domain.placements``; this module writes rows, audits every
change and every read of a young person's record, and redacts exports for users
without the care leavers role. It never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError, ImportFailed, RowError
from levy.domain.import_rows import (
    APP_SHEET,
    FU_SHEET,
    PL_SHEET,
    VAC_SHEET,
    PlacementsWorkbook,
)
from levy.extensions import db
from levy.models import Apprentice, Directorate, Organisation
from levy.models.care_leavers import (
    Placement,
    PlacementFollowUp,
    Vacancy,
    VacancyApplicant,
    YoungPerson,
)
from levy.services.audit import record, record_change, snapshot
from levy.services.locks import is_unique_violation

ROLE = "care_leavers"
YP_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "care_status",
    "personal_adviser",
    "adviser_contact",
    "consent_hosts_on",
    "consent_employer_on",
    "support_needs",
)
PLACEMENT_FIELDS = (
    "reference",
    "young_person_id",
    "host_organisation",
    "directorate_id",
    "service",
    "supervisor",
    "type",
    "planned_start",
    "planned_end",
    "planned_hours",
    "actual_start",
    "actual_end",
    "actual_hours",
    "paid",
    "pay_reason",
    "risk_assessed_on",
    "risk_assessed_by",
    "outcome",
    "feedback_young_person",
    "feedback_host",
)
FOLLOW_UP_FIELDS = ("months", "recorded_on", "progression", "apprentice_id", "note")
VACANCY_FIELDS = (
    "reference",
    "title",
    "directorate_id",
    "shared_on",
    "closing_on",
    "minimum_criteria",
    "apprenticeship",
)
APPLICANT_FIELDS = (
    "applied_on",
    "met_minimum_criteria",
    "interview_on",
    "interview_declined",
    "outcome",
)


class CareLeaverError(DomainError):
    """A care-leaver record that cannot be saved; the message says why."""


def can_see_names(user: Any) -> bool:
    """Only the care leavers team sees names in exports (L&D sees them on screen)."""
    return bool(user is not None and getattr(user, "role", None) == ROLE)


# --- young people -------------------------------------------------------------------


def young_people() -> list[YoungPerson]:
    return list(
        db.session.execute(
            db.select(YoungPerson).order_by(YoungPerson.last_name, YoungPerson.first_name)
        ).scalars()
    )


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


def young_person_by_id(person_id: int) -> YoungPerson | None:
    return db.session.get(YoungPerson, person_id)


def placement_by_id(placement_id: int) -> Placement | None:
    return db.session.get(Placement, placement_id)


def vacancy_by_id(vacancy_id: int) -> Vacancy | None:
    return db.session.get(Vacancy, vacancy_id)


def placement_count() -> int:
    return db.session.execute(db.select(db.func.count(Placement.id))).scalar_one()


def record_export(actor: Actor, named: bool, as_of: date) -> None:
    """Audit a download of the placements export (with or without names)."""
    record(actor, "care_leavers.exported", "Placement", None, None,
           {"named": named, "as_of": as_of})  # fmt: skip


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
    creating = person is None
    if person is None:
        person = YoungPerson()
        before: dict[str, Any] = {}
    else:
        before = snapshot(person, YP_FIELDS)
    for name in YP_FIELDS:
        if name in values:
            setattr(person, name, values[name])
    problems = rules.young_person_errors(_domain_person(person), today)
    if problems:
        raise rules.PlacementError(problems)
    return _save(person, "young_person", YP_FIELDS, creating, before, actor)


def _save(
    obj: Any,
    action: str,
    fields: tuple[str, ...],
    creating: bool,
    before: dict[str, Any] | None,
    actor: Actor,
) -> Any:
    """Refuse a reference another record already has, then write and audit ``obj``."""
    model = type(obj)
    with db.session.no_autoflush:
        clash = db.session.execute(
            db.select(model.id).where(model.reference == obj.reference, model.id != (obj.id or 0))
        ).first()
    if clash:
        raise CareLeaverError(f"the reference {obj.reference} is already used")
    db.session.add(obj)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same reference saved by another request a moment ago
        if not is_unique_violation(exc):
            raise
        raise CareLeaverError(f"the reference {obj.reference} is already used") from None
    if creating:
        record(actor, f"{action}.created", model.__name__, obj.id, None, snapshot(obj, fields))
    else:
        record_change(actor, f"{action}.updated", obj, fields, before or {})
    return obj


# --- placements ---------------------------------------------------------------------


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


def domain_follow_up(f: PlacementFollowUp) -> rules.FollowUp:
    return rules.FollowUp(
        f.months,
        f.recorded_on,
        f.progression,
        f.apprentice.reference if f.apprentice else None,
        f.note or "",
    )


def save_placement(placement: Placement | None, values: dict[str, Any], actor: Actor) -> Placement:
    """Create or update a placement; the type's limit and the other rules are enforced."""
    creating = placement is None
    if placement is None:
        placement = Placement()
        before: dict[str, Any] = {}
    else:
        before = snapshot(placement, PLACEMENT_FIELDS)
    for name in PLACEMENT_FIELDS:
        if name in values:
            setattr(placement, name, values[name])
    if "directorate_id" in values:
        placement.directorate = (
            db.session.get(Directorate, values["directorate_id"])
            if values["directorate_id"]
            else None
        )
    _check_host(placement)
    rules.check_placement(domain_placement(placement))
    return _save(placement, "placement", PLACEMENT_FIELDS, creating, before, actor)


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


def next_reference(model: Any, prefix: str) -> str:
    count = db.session.execute(db.select(db.func.count(model.id))).scalar_one()
    n = count + 1
    while db.session.execute(
        db.select(model.id).where(model.reference == f"{prefix}-{n:03d}")
    ).first():
        n += 1
    return f"{prefix}-{n:03d}"


def find_apprentice(reference: str) -> Apprentice:
    found = db.session.execute(
        db.select(Apprentice).where(Apprentice.reference == reference.strip())
    ).scalar_one_or_none()
    if found is None:
        raise CareLeaverError(f"no apprentice with the reference '{reference}'")
    return found


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
    row = next((f for f in placement.follow_ups if f.months == months), None)
    creating = row is None
    if row is None:
        row = PlacementFollowUp(placement=placement, months=months)
        db.session.add(row)
        before: dict[str, Any] = {}
    else:
        before = snapshot(row, FOLLOW_UP_FIELDS)
    row.recorded_on = recorded_on
    row.progression = progression
    row.apprentice = apprentice
    row.apprentice_id = apprentice.id if apprentice else None
    row.note = note
    db.session.flush()
    if creating:
        record(
            actor,
            "placement.follow_up",
            "PlacementFollowUp",
            row.id,
            None,
            snapshot(row, FOLLOW_UP_FIELDS),
        )
    else:
        record_change(actor, "placement.follow_up_updated", row, FOLLOW_UP_FIELDS, before)
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


def placements(options: bool = True) -> list[Placement]:
    query = db.select(Placement).order_by(Placement.planned_start, Placement.reference)
    if options:
        query = query.options(
            selectinload(Placement.young_person),
            selectinload(Placement.directorate),
            selectinload(Placement.follow_ups).selectinload(PlacementFollowUp.apprentice),
        )
    return list(db.session.execute(query).scalars())


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


# --- vacancies and interviews -------------------------------------------------------


def vacancies() -> list[Vacancy]:
    return list(
        db.session.execute(
            db.select(Vacancy)
            .options(selectinload(Vacancy.applicants).selectinload(VacancyApplicant.young_person))
            .order_by(Vacancy.shared_on.desc(), Vacancy.reference)
        ).scalars()
    )


def save_vacancy(vacancy: Vacancy | None, values: dict[str, Any], actor: Actor) -> Vacancy:
    creating = vacancy is None
    if vacancy is None:
        vacancy = Vacancy()
        db.session.add(vacancy)
        before: dict[str, Any] = {}
    else:
        before = snapshot(vacancy, VACANCY_FIELDS)
    for name in VACANCY_FIELDS:
        if name in values:
            setattr(vacancy, name, values[name])
    if vacancy.closing_on and vacancy.closing_on < vacancy.shared_on:
        raise CareLeaverError("the closing date is before the date the vacancy was shared")
    db.session.flush()
    if creating:
        record(
            actor, "vacancy.created", "Vacancy", vacancy.id, None, snapshot(vacancy, VACANCY_FIELDS)
        )
    else:
        record_change(actor, "vacancy.updated", vacancy, VACANCY_FIELDS, before)
    return vacancy


def save_applicant(
    vacancy: Vacancy, person: YoungPerson, values: dict[str, Any], actor: Actor
) -> VacancyApplicant:
    row = db.session.execute(
        db.select(VacancyApplicant).where(
            VacancyApplicant.vacancy_id == vacancy.id,
            VacancyApplicant.young_person_id == person.id,
        )
    ).scalar_one_or_none()
    creating = row is None
    if row is None:
        row = VacancyApplicant(vacancy=vacancy, young_person=person)
        db.session.add(row)
        before: dict[str, Any] = {}
    else:
        before = snapshot(row, APPLICANT_FIELDS)
    for name in APPLICANT_FIELDS:
        if name in values:
            setattr(row, name, values[name])
    if row.interview_on and row.applied_on and row.interview_on < row.applied_on:
        raise CareLeaverError("the interview date is before the application")
    if row.interview_on and row.met_minimum_criteria is None:
        row.met_minimum_criteria = True
    db.session.flush()
    if creating:
        record(
            actor,
            "vacancy.applicant",
            "VacancyApplicant",
            row.id,
            None,
            snapshot(row, APPLICANT_FIELDS),
        )
    else:
        record_change(actor, "vacancy.applicant_updated", row, APPLICANT_FIELDS, before)
    return row


def domain_applicant(a: VacancyApplicant) -> rules.VacancyApplication:
    return rules.VacancyApplication(a.met_minimum_criteria, a.interview_on, a.interview_declined)


def interview_warnings(
    items: Iterable[Vacancy] | None = None,
) -> list[tuple[VacancyApplicant, str]]:
    out = []
    for v in items if items is not None else vacancies():
        for a in v.applicants:
            text = rules.interview_warning(domain_applicant(a), a.young_person.reference, v.title)
            if text:
                out.append((a, text))
    return out


# --- reports ------------------------------------------------------------------------


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


# --- the import ---------------------------------------------------------------------


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


def _by_reference(model: Any, reference: str) -> Any:
    return db.session.execute(
        db.select(model).where(model.reference == reference)
    ).scalar_one_or_none()


def _changed(event: Any) -> int:
    return 1 if event is not None else 0


def import_placements(parsed: PlacementsWorkbook, actor: Actor, today: date) -> ImportSummary:
    """Write the workbook: every cross-reference is checked first, then all is saved."""
    errors: list[RowError] = []
    people_in_book = {r.reference.lower() for r in parsed.young_people}
    placements_in_book = {r.reference.lower(): r for r in parsed.placements}
    vacancies_in_book = {r.reference.lower() for r in parsed.vacancies}

    def person_known(reference: str) -> bool:
        return (
            reference.lower() in people_in_book or _by_reference(YoungPerson, reference) is not None
        )

    hosts: dict[int, Directorate | None] = {}
    for pl in parsed.placements:
        if not person_known(pl.young_person):
            errors.append(
                RowError(PL_SHEET, pl.row, "Young person", f"no young person '{pl.young_person}'")
            )
        found, problem = _host(pl.host_organisation, pl.directorate)
        if problem:
            errors.append(RowError(PL_SHEET, pl.row, "Directorate", problem))
        hosts[pl.row] = found
    vacancy_hosts: dict[int, Directorate | None] = {}
    for vac in parsed.vacancies:
        found, problem = _host(vac.host_organisation, vac.directorate)
        if problem:
            errors.append(RowError(VAC_SHEET, vac.row, "Directorate", problem))
        vacancy_hosts[vac.row] = found
    for fu in parsed.follow_ups:
        known = placements_in_book.get(fu.placement.lower())
        if known is None and _by_reference(Placement, fu.placement) is None:
            errors.append(RowError(FU_SHEET, fu.row, "Placement", f"no placement '{fu.placement}'"))
            continue
        if known is not None:
            for name, message in rules.follow_up_errors(fu.follow_up, known.placement):
                column = {
                    "months": "Months",
                    "progression": "Progression",
                    "apprentice_reference": "Apprentice",
                }.get(name, "Recorded on")
                errors.append(RowError(FU_SHEET, fu.row, column, message))
        if fu.follow_up.apprentice_reference:
            try:
                find_apprentice(fu.follow_up.apprentice_reference)
            except CareLeaverError as exc:
                errors.append(RowError(FU_SHEET, fu.row, "Apprentice", str(exc)))
    for ap in parsed.applicants:
        if (
            ap.vacancy.lower() not in vacancies_in_book
            and _by_reference(Vacancy, ap.vacancy) is None
        ):
            errors.append(RowError(APP_SHEET, ap.row, "Vacancy", f"no vacancy '{ap.vacancy}'"))
        if not person_known(ap.young_person):
            errors.append(
                RowError(APP_SHEET, ap.row, "Young person", f"no young person '{ap.young_person}'")
            )
    if errors:
        raise ImportFailed(errors)

    summary = ImportSummary()
    for yp in parsed.young_people:
        values = {
            "reference": yp.reference,
            "first_name": yp.first_name,
            "last_name": yp.last_name,
            "date_of_birth": yp.date_of_birth,
            "care_status": yp.care_status,
            "personal_adviser": yp.personal_adviser,
            "adviser_contact": yp.adviser_contact,
            "consent_hosts_on": yp.consent_hosts_on,
            "consent_employer_on": yp.consent_employer_on,
            "support_needs": yp.support_needs,
        }
        existing = _by_reference(YoungPerson, yp.reference)
        if existing is None or snapshot(existing, YP_FIELDS) != _plain_values(values, YP_FIELDS):
            save_young_person(existing, values, actor, today)
            summary.changed += 1
        summary.young_people += 1
    for pl in parsed.placements:
        person = _by_reference(YoungPerson, pl.young_person)
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
        existing = _by_reference(Placement, pl.reference)
        if existing is None or snapshot(existing, PLACEMENT_FIELDS) != _plain_values(
            values, PLACEMENT_FIELDS
        ):
            row = save_placement(existing, values, actor)
            row.young_person = person
            summary.changed += 1
        summary.placements += 1
    for fu in parsed.follow_ups:
        placement = _by_reference(Placement, fu.placement)
        f = fu.follow_up
        current = next((x for x in placement.follow_ups if x.months == f.months), None)
        same = current is not None and (
            current.recorded_on,
            current.progression,
            current.apprentice.reference if current.apprentice else None,
            current.note or "",
        ) == (f.recorded_on, f.progression, f.apprentice_reference, f.note)
        if not same:
            record_follow_up(
                placement,
                f.months,
                f.recorded_on,
                f.progression,
                f.apprentice_reference,
                f.note,
                actor,
            )
            summary.changed += 1
        summary.follow_ups += 1
    for vac in parsed.vacancies:
        directorate = vacancy_hosts[vac.row]
        values = {
            "reference": vac.reference,
            "title": vac.title,
            "directorate_id": directorate.id if directorate else None,
            "shared_on": vac.shared_on,
            "closing_on": vac.closing_on,
            "minimum_criteria": vac.minimum_criteria,
            "apprenticeship": vac.apprenticeship,
        }
        existing = _by_reference(Vacancy, vac.reference)
        if existing is None or snapshot(existing, VACANCY_FIELDS) != _plain_values(
            values, VACANCY_FIELDS
        ):
            save_vacancy(existing, values, actor)
            summary.changed += 1
        summary.vacancies += 1
    for ap in parsed.applicants:
        vacancy = _by_reference(Vacancy, ap.vacancy)
        person = _by_reference(YoungPerson, ap.young_person)
        values = {
            "applied_on": ap.applied_on,
            "met_minimum_criteria": ap.met_minimum_criteria,
            "interview_on": ap.interview_on,
            "interview_declined": ap.interview_declined,
            "outcome": ap.outcome,
        }
        existing = db.session.execute(
            db.select(VacancyApplicant).where(
                VacancyApplicant.vacancy_id == vacancy.id,
                VacancyApplicant.young_person_id == person.id,
            )
        ).scalar_one_or_none()
        if existing is None or snapshot(existing, APPLICANT_FIELDS) != _plain_values(
            values, APPLICANT_FIELDS
        ):
            save_applicant(vacancy, person, values, actor)
            summary.changed += 1
        summary.applicants += 1
    return summary


def _plain_values(values: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    from levy.services.audit import _plain

    return {name: _plain(values.get(name)) for name in fields}


def hours_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"
