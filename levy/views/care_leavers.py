"""Care leavers (issue 7, 6-10): young people, placements, follow-ups, vacancies, reports.

Records are visible only to the care leavers team and L&D; every view of a young
person's record is audited; exports carry names only for the care leavers team.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy import clock
from levy.auth import CARE_LEAVER_REPORT_READERS, CARE_LEAVER_TEAM, roles
from levy.domain import placements as rules
from levy.domain.accounts import Actor
from levy.exports import xlsx_response
from levy.forms.care_leavers import (
    ApplicantForm,
    FollowUpForm,
    PlacementForm,
    VacancyForm,
    YoungPersonForm,
)
from levy.models import User
from levy.models.care_leavers import Placement, Vacancy, YoungPerson
from levy.services import care_leavers as service
from levy.services.organisations import directorates_for
from levy.transaction import transaction
from levy.views import Card, as_of_date, home_card, nav

bp = Blueprint("care_leavers", __name__, url_prefix="/care-leavers")
nav("Care leavers", "care_leavers.index", order=45)

TEAM = CARE_LEAVER_TEAM
REPORT_READERS = CARE_LEAVER_REPORT_READERS
T = TypeVar("T")


def _directorate_choices(none: str = "None: an outside host") -> list[tuple[int, str]]:
    rows = directorates_for(current_user)
    return [(0, none), *[(d.id, d.label) for d in rows]]


#: A placement's directorate starts unchosen; an outside host leaves it so.
NO_DIRECTORATE = "Not chosen (an outside host)"


def _form_page(form: Any, title: str, back: str, back_text: str, **extra: Any) -> str:
    return render_template(
        "care_leavers/form.html", form=form, title=title, back=back, back_text=back_text, **extra
    )


def _found(record: T | None) -> T:
    if record is None:
        abort(404)
    return record


# --- young people -------------------------------------------------------------------


@bp.route("/")
@roles(*TEAM)
def index() -> str:
    as_of = as_of_date()
    people = service.young_people()
    todo = service.follow_up_todo(as_of)
    warnings = service.interview_warnings()
    return render_template(
        "care_leavers/index.html",
        people=people,
        todo=todo,
        warnings=warnings,
        as_of=as_of,
    )


@bp.route("/young-people/new", methods=["GET", "POST"])
@roles(*TEAM)
def new_young_person() -> str | Response:
    form = YoungPersonForm()
    if not form.is_submitted():
        form.reference.data = service.next_reference(YoungPerson, "YP")
    if form.validate_on_submit():
        with transaction(form, field="reference") as tx:
            person = service.save_young_person(
                None, _person_values(form), Actor.of(current_user), clock.today()
            )
        if tx.ok:
            flash(f"{person.name} added", "success")
            return redirect(url_for("care_leavers.young_person", person_id=person.id))
    return _form_page(
        form, "Add a young person", url_for("care_leavers.index"), "Back to care leavers"
    )


def _person_values(form: YoungPersonForm) -> dict[str, Any]:
    return {
        name: (getattr(form, name).data or "") if name not in _DATES else getattr(form, name).data
        for name in service.YP_FIELDS
    }


_DATES = {"date_of_birth", "consent_hosts_on", "consent_employer_on"}


@bp.route("/young-people/<int:person_id>")
@roles(*TEAM)
def young_person(person_id: int) -> str:
    person = _found(service.young_person_by_id(person_id))
    with transaction():
        service.view_young_person(person, Actor.of(current_user))
    as_of = as_of_date()
    rows = []
    for p in person.placements:
        dp = service.domain_placement(p)
        rows.append(
            (
                p,
                rules.follow_ups(dp, [service.domain_follow_up(f) for f in p.follow_ups], as_of),
                rules.placement_warnings(dp, as_of),
            )
        )
    return render_template(
        "care_leavers/young_person.html",
        person=person,
        rows=rows,
        as_of=as_of,
        age=rules.YoungPerson(
            person.reference, person.name, person.date_of_birth, person.care_status
        ).age_on(as_of),
    )


@bp.route("/young-people/<int:person_id>/edit", methods=["GET", "POST"])
@roles(*TEAM)
def edit_young_person(person_id: int) -> str | Response:
    person = _found(service.young_person_by_id(person_id))
    form = YoungPersonForm(obj=person)
    if form.validate_on_submit():
        with transaction(form, field="reference") as tx:
            service.save_young_person(
                person, _person_values(form), Actor.of(current_user), clock.today()
            )
        if tx.ok:
            flash(f"{person.name} saved", "success")
            return redirect(url_for("care_leavers.young_person", person_id=person.id))
    return _form_page(
        form,
        f"Edit {person.name}",
        url_for("care_leavers.young_person", person_id=person.id),
        f"Back to {person.name}",
    )


# --- placements ---------------------------------------------------------------------


def _placement_values(form: PlacementForm, person: YoungPerson) -> dict[str, Any]:
    return {
        "reference": form.reference.data,
        "young_person_id": person.id,
        "host_organisation": form.host_organisation.data,
        "directorate_id": form.directorate_id.data or None,
        "service": form.service.data or "",
        "supervisor": form.supervisor.data or "",
        "type": form.type.data,
        "planned_start": form.planned_start.data,
        "planned_end": form.planned_end.data,
        "planned_hours": form.planned_hours.data,
        "actual_start": form.actual_start.data,
        "actual_end": form.actual_end.data,
        "actual_hours": form.actual_hours.data,
        "paid": form.paid.data == "yes",
        "pay_reason": form.pay_reason.data or "",
        "risk_assessed_on": form.risk_assessed_on.data,
        "risk_assessed_by": form.risk_assessed_by.data or "",
        "outcome": form.outcome.data or None,
        "feedback_young_person": form.feedback_young_person.data or "",
        "feedback_host": form.feedback_host.data or "",
    }


@bp.route("/young-people/<int:person_id>/placements/new", methods=["GET", "POST"])
@roles(*TEAM)
def new_placement(person_id: int) -> str | Response:
    person = _found(service.young_person_by_id(person_id))
    form = PlacementForm()
    form.directorate_id.choices = _directorate_choices(NO_DIRECTORATE)
    if not form.is_submitted():
        form.reference.data = service.next_reference(Placement, "PL")
    if form.validate_on_submit():
        with transaction(form, field="reference") as tx:
            placement = service.save_placement(
                None, _placement_values(form, person), Actor.of(current_user)
            )
        if tx.ok:
            flash(f"Placement {placement.reference} saved", "success")
            return redirect(url_for("care_leavers.placement", placement_id=placement.id))
    return _form_page(
        form,
        f"Add a placement for {person.name}",
        url_for("care_leavers.young_person", person_id=person.id),
        f"Back to {person.name}",
    )


@bp.route("/placements/<int:placement_id>")
@roles(*TEAM)
def placement(placement_id: int) -> str:
    """The placement's summary: details, follow-ups with a link to record each."""
    p = _found(service.placement_by_id(placement_id))
    with transaction():
        service.view_placement(p, Actor.of(current_user))
    as_of = as_of_date()
    dp = service.domain_placement(p)
    return render_template(
        "care_leavers/placement.html",
        p=p,
        items=rules.follow_ups(dp, [service.domain_follow_up(f) for f in p.follow_ups], as_of),
        warnings=rules.placement_warnings(dp, as_of),
        as_of=as_of,
    )


@bp.route("/placements/<int:placement_id>/edit", methods=["GET", "POST"])
@roles(*TEAM)
def edit_placement(placement_id: int) -> str | Response:
    p = _found(service.placement_by_id(placement_id))
    form = PlacementForm(obj=p)
    form.directorate_id.choices = _directorate_choices(NO_DIRECTORATE)
    if not form.is_submitted():
        form.paid.data = "yes" if p.paid else "no"
        form.outcome.data = p.outcome or ""
        form.directorate_id.data = p.directorate_id or 0
        if p.directorate_id:  # the host is the directorate's organisation
            form.host_organisation.data = ""
    if form.validate_on_submit():
        with transaction(form, field="reference") as tx:
            service.save_placement(
                p, _placement_values(form, p.young_person), Actor.of(current_user)
            )
        if tx.ok:
            flash(f"Placement {p.reference} saved", "success")
            return redirect(url_for("care_leavers.placement", placement_id=p.id))
    return _form_page(
        form,
        f"Edit placement {p.reference}",
        url_for("care_leavers.placement", placement_id=p.id),
        f"Back to placement {p.reference}",
        caption=f"{p.young_person.name} ({p.young_person.reference})",
    )


def _milestone(form: FollowUpForm) -> int | None:
    """The follow-up chosen by the link (``?months=3``) or posted with the form."""
    months = request.args.get("months", type=int)
    if months is None and form.is_submitted() and form.months.data in rules.FOLLOW_UP_MONTHS:
        months = form.months.data
    if months is not None and months not in rules.FOLLOW_UP_MONTHS:
        abort(404)
    return months


@bp.route("/placements/<int:placement_id>/follow-up", methods=["GET", "POST"])
@roles(*TEAM)
def follow_up(placement_id: int) -> str | Response:
    """Record the 3- or 6-month follow-up; the link names the milestone, so it is not
    asked again."""
    p = _found(service.placement_by_id(placement_id))
    form = FollowUpForm(prefix="fu")
    months = _milestone(form)
    if months is not None and not form.is_submitted():
        form.months.data = months
    if form.validate_on_submit():
        with transaction(form, field="recorded_on") as tx:
            service.record_follow_up(
                p,
                form.months.data,
                form.recorded_on.data,  # type: ignore[arg-type]  # required: validated above
                form.progression.data,
                (form.apprentice_reference.data or "").strip() or None,
                form.note.data or "",
                Actor.of(current_user),
            )
        if tx.ok:
            flash(f"{form.months.data}-month follow-up recorded", "success")
            return redirect(url_for("care_leavers.placement", placement_id=p.id))
    title = f"Record the {months}-month follow-up" if months else "Record a follow-up"
    return render_template(
        "care_leavers/follow_up.html",
        form=form,
        p=p,
        months=months,
        title=title,
        back=url_for("care_leavers.placement", placement_id=p.id),
    )


@bp.route("/follow-ups")
@roles(*TEAM)
def follow_ups() -> str:
    as_of = as_of_date()
    return render_template(
        "care_leavers/follow_ups.html", todo=service.follow_up_todo(as_of), as_of=as_of
    )


# --- vacancies ----------------------------------------------------------------------


@bp.route("/vacancies")
@roles(*TEAM)
def vacancies() -> str:
    items = service.vacancies()
    return render_template(
        "care_leavers/vacancies.html",
        vacancies=items,
        warnings=service.interview_warnings(items),
        status=lambda a: rules.interview_status(service.domain_applicant(a)),
    )


def _vacancy_values(form: VacancyForm) -> dict[str, Any]:
    return {
        "reference": form.reference.data,
        "title": form.title.data,
        "directorate_id": form.directorate_id.data or None,
        "shared_on": form.shared_on.data,
        "closing_on": form.closing_on.data,
        "minimum_criteria": form.minimum_criteria.data or "",
        "apprenticeship": form.apprenticeship.data == "yes",
    }


@bp.route("/vacancies/new", methods=["GET", "POST"])
@roles(*TEAM)
def new_vacancy() -> str | Response:
    form = VacancyForm()
    form.directorate_id.choices = _directorate_choices()
    if not form.is_submitted():
        form.reference.data = service.next_reference(Vacancy, "VAC")
    if form.validate_on_submit():
        with transaction(form, field="reference") as tx:
            vacancy = service.save_vacancy(None, _vacancy_values(form), Actor.of(current_user))
        if tx.ok:
            flash(f"Vacancy {vacancy.reference} saved", "success")
            return redirect(url_for("care_leavers.vacancy", vacancy_id=vacancy.id))
    return _form_page(form, "Add a vacancy", url_for("care_leavers.vacancies"), "Back to vacancies")


@bp.route("/vacancies/<int:vacancy_id>", methods=["GET", "POST"])
@roles(*TEAM)
def vacancy(vacancy_id: int) -> str | Response:
    v = _found(service.vacancy_by_id(vacancy_id))
    form = ApplicantForm()
    form.young_person_id.choices = [
        (p.id, f"{p.name} ({p.reference})") for p in service.young_people()
    ]
    if form.validate_on_submit():
        person = _found(service.young_person_by_id(form.young_person_id.data))
        met = {"yes": True, "no": False}.get(form.met_minimum_criteria.data or "")
        with transaction(form, field="applied_on") as tx:
            service.save_applicant(
                v,
                person,
                {
                    "applied_on": form.applied_on.data,
                    "met_minimum_criteria": met,
                    "interview_on": form.interview_on.data,
                    "interview_declined": form.interview_declined.data == "yes",
                    "outcome": form.outcome.data or "",
                },
                Actor.of(current_user),
            )
        if tx.ok:
            flash(f"{person.name}'s application saved", "success")
            return redirect(url_for("care_leavers.vacancy", vacancy_id=v.id))
    return render_template(
        "care_leavers/vacancy.html",
        v=v,
        form=form,
        warnings=service.interview_warnings([v]),
        status=lambda a: rules.interview_status(service.domain_applicant(a)),
    )


# --- reports and exports ------------------------------------------------------------


@bp.route("/reports")
@roles(*REPORT_READERS)
def reports() -> str:
    as_of = as_of_date()
    return render_template(
        "care_leavers/reports.html",
        report=service.report(as_of),
        as_of=as_of,
        named=service.can_see_names(current_user),
        types=rules.TYPES,
        outcomes=rules.OUTCOMES,
    )


@bp.route("/reports.xlsx")
@roles(*REPORT_READERS)
def export() -> Response:
    """Placements (names only for the care leavers team) and the report tables."""
    as_of = as_of_date()
    named = service.can_see_names(current_user)
    result = service.report(as_of)
    with transaction():
        service.record_export(Actor.of(current_user), named, as_of)
    pr = result.placements
    summary = [
        *[("Placements by type", k, v) for k, v in sorted(pr.by_type.items())],
        *[("Placements by outcome", k, v) for k, v in sorted(pr.by_outcome.items())],
        *[("Placements by directorate", k, v) for k, v in sorted(pr.by_directorate.items())],
        *[
            (f"Progression at {m} months", "due / recorded / progressed",
             f"{r.due} / {r.recorded} / {r.progressed}")
            for m, r in pr.progression.items()
        ],
        *[("Guaranteed interviews", k, v) for k, v in sorted(result.interviews.items())],
    ]  # fmt: skip
    return xlsx_response(
        f"care-leaver-placements-{as_of.isoformat()}.xlsx",
        {
            "Placements": (service.PLACEMENT_EXPORT_HEADER, service.placement_export_rows(named)),
            "Summary": (("Measure", "Group", "Value"), summary),
        },
    )


@home_card(40, *CARE_LEAVER_TEAM)
def care_leaver_cards(user: User) -> list[Card]:
    as_of = as_of_date() if _in_request() else clock.today()
    todo = service.follow_up_todo(as_of)
    overdue = [t for t in todo if t.item.status == rules.FOLLOW_UP_OVERDUE]
    owed = service.interview_warnings()
    count = service.placement_count()
    return [
        Card(
            "Care-leaver placements",
            str(count),
            f"{len(todo)} follow-ups to do, {len(overdue)} overdue",
            url_for("care_leavers.follow_ups"),
            "See follow-ups",
            warning=bool(overdue),
        ),
        Card(
            "Guaranteed interviews owed",
            str(len(owed)),
            "Care leavers who met the criteria with no interview recorded",
            url_for("care_leavers.vacancies"),
            "See vacancies",
            warning=bool(owed),
        ),
    ]


def _in_request() -> bool:
    from flask import has_request_context

    return has_request_context() and request is not None
