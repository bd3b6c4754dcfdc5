"""Vacancies shared with care leavers and their guaranteed interviews."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import selectinload

from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.extensions import db
from levy.models.care_leavers import Vacancy, VacancyApplicant, YoungPerson
from levy.services.audit import upsert_audited
from levy.services.care_leavers.common import (
    APPLICANT_FIELDS,
    VACANCY_FIELDS,
    CareLeaverError,
    only,
)


def vacancies() -> list[Vacancy]:
    return list(
        db.session.execute(
            db.select(Vacancy)
            .options(selectinload(Vacancy.applicants).selectinload(VacancyApplicant.young_person))
            .order_by(Vacancy.shared_on.desc(), Vacancy.reference)
        ).scalars()
    )


def vacancy_by_id(vacancy_id: int) -> Vacancy | None:
    return db.session.get(Vacancy, vacancy_id)


def _check_vacancy(vacancy: Vacancy) -> None:
    if vacancy.closing_on and vacancy.closing_on < vacancy.shared_on:
        raise CareLeaverError("the closing date is before the date the vacancy was shared")


def save_vacancy(vacancy: Vacancy | None, values: dict[str, Any], actor: Actor) -> Vacancy:
    saved, _ = upsert_audited(
        actor,
        vacancy,
        Vacancy,
        only(values, VACANCY_FIELDS),
        VACANCY_FIELDS,
        ("vacancy.created", "vacancy.updated"),
        check=_check_vacancy,
    )
    db.session.flush()
    return saved


def applicant(vacancy: Vacancy, person: YoungPerson) -> VacancyApplicant | None:
    """The young person's application to the vacancy, if there is one."""
    return db.session.execute(
        db.select(VacancyApplicant).where(
            VacancyApplicant.vacancy_id == vacancy.id,
            VacancyApplicant.young_person_id == person.id,
        )
    ).scalar_one_or_none()


def _check_applicant(row: VacancyApplicant) -> None:
    if row.interview_on and row.applied_on and row.interview_on < row.applied_on:
        raise CareLeaverError("the interview date is before the application")
    if row.interview_on and row.met_minimum_criteria is None:
        row.met_minimum_criteria = True


def save_applicant(
    vacancy: Vacancy, person: YoungPerson, values: dict[str, Any], actor: Actor
) -> VacancyApplicant:
    row, _ = upsert_audited(
        actor,
        applicant(vacancy, person),
        lambda: VacancyApplicant(vacancy=vacancy, young_person=person),
        only(values, APPLICANT_FIELDS),
        APPLICANT_FIELDS,
        ("vacancy.applicant", "vacancy.applicant_updated"),
        check=_check_applicant,
    )
    db.session.flush()
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
