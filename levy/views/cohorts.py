"""Apprentices, cohorts, quotas and request-to-recruit screening (issue 5).

The L&D team edits; directorate managers read their own directorates (another's
page gives 404); finance reads everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from levy import clock
from levy.auth import require_directorate, roles
from levy.domain import incentives as inc
from levy.domain.cohorts import (
    AGE_BANDS,
    LEVELS,
    Status,
    age_at_start,
    age_band,
    allowed_moves,
    count_cohort,
    future_cohort,
    starts_by_month,
)
from levy.domain.commitments import ScheduledPayment
from levy.domain.commitments import schedule as payment_schedule
from levy.domain.errors import DomainError
from levy.domain.money import format_money
from levy.domain.months import (
    academic_year,
    add_months,
    financial_year,
    month_end,
    month_of,
    year_label,
)
from levy.domain.quotas import QuotaMethod
from levy.exports import xlsx_response
from levy.extensions import db
from levy.forms.cohorts import (
    ApprenticeForm,
    ConfirmImportForm,
    QuotaMethodForm,
    ScreeningForm,
    StatusForm,
    UploadForm,
)
from levy.importers import cohorts as workbook
from levy.importers.workbook import ImportFailed
from levy.models import (
    Apprentice,
    Directorate,
    DirectorateYear,
    Organisation,
    Provider,
    Standard,
)
from levy.models.cohorts import RecruitRequest
from levy.services import cohorts as service
from levy.services import incentives as incentive_service
from levy.services import uploads
from levy.services.audit import Actor
from levy.transaction import transaction
from levy.views import Card, as_of_date, home_card, nav
from levy.views.incentives import READERS as INCENTIVE_READERS

bp = Blueprint("cohorts", __name__)
nav("Apprentices", "cohorts.apprentices", order=20)
nav("Cohorts", "cohorts.cohorts", order=22)
nav("Quotas", "cohorts.quotas", order=24)
nav("Recruitment screening", "cohorts.screening", order=26)


@home_card(20, "admin", "finance", "ld_team", "directorate_manager")
def cohort_cards(user: Any) -> list[Card]:
    scope = [d.id for d in user.directorates] if user.role == "directorate_manager" else None
    count = count_cohort(service.records(scope), clock.today())
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


READERS = ("admin", "ld_team", "finance", "directorate_manager")
EDITORS = ("admin", "ld_team")
PAGE_SIZE = 50
FILTERS = ("q", "status", "directorate", "standard", "level", "provider", "intake", "warnings")


def _today() -> date:
    return clock.today()


def _scope() -> list[int] | None:
    """The directorate ids the user may see, or None for all."""
    if current_user.role == "directorate_manager":
        return [d.id for d in current_user.directorates]
    return None


def _apprentice_or_404(apprentice_id: int) -> Apprentice:
    apprentice = db.get_or_404(Apprentice, apprentice_id)
    require_directorate(apprentice.directorate_id)
    return apprentice


def _directorate_or_404(directorate_id: int) -> Directorate:
    directorate = db.get_or_404(Directorate, directorate_id)
    require_directorate(directorate.id)
    return directorate


# --- list ------------------------------------------------------------------------


def _filtered_query(args: dict[str, str]) -> tuple[Any, list[str]]:
    problems: list[str] = []
    query = service._base_query().where(Apprentice.programme_type == "apprenticeship")
    scope = _scope()
    if scope is not None:
        query = query.where(Apprentice.directorate_id.in_(scope))
    if args["q"]:
        like = f"%{args['q']}%"
        query = query.where(
            Apprentice.reference.ilike(like)
            | Apprentice.first_name.ilike(like)
            | Apprentice.last_name.ilike(like)
            | (Apprentice.first_name + " " + Apprentice.last_name).ilike(like)
        )
    if args["status"]:
        query = query.where(Apprentice.status == args["status"])
    for key, column in (
        ("directorate", Apprentice.directorate_id),
        ("standard", Apprentice.standard_id),
        ("provider", Apprentice.provider_id),
    ):
        if args[key]:
            if args[key].isdigit():
                query = query.where(column == int(args[key]))
            else:
                problems.append(f"Choose a {key} from the list")
    if args["level"]:
        query = query.where(
            Standard.level == int(args["level"])
            if args["level"].isdigit()
            else Standard.level == -1
        )
    if args["intake"]:
        try:
            year = academic_year(date(int(args["intake"][:4]), 8, 1))
        except ValueError:
            problems.append("Intake: choose an academic year like 2020-21")
        else:
            start = db.func.coalesce(Apprentice.actual_start, Apprentice.planned_start)
            query = query.where(start >= year.start, start <= year.end)
    return query.order_by(Apprentice.reference), problems


def _args() -> dict[str, str]:
    return {k: request.args.get(k, "").strip() for k in FILTERS}


def _choices() -> dict[str, Any]:
    directorates = db.session.execute(
        db.select(Directorate.id, Organisation.name, Directorate.name)
        .join(Organisation, Directorate.organisation_id == Organisation.id)
        .order_by(Organisation.name, Directorate.name)
    ).all()
    scope = _scope()
    return {
        "directorates": [
            (i, f"{o}: {n}") for i, o, n in directorates if scope is None or i in scope
        ],
        "standards": db.session.execute(
            db.select(Standard.id, Standard.reference, Standard.title).order_by(Standard.reference)
        ).all(),
        "providers": db.session.execute(
            db.select(Provider.id, Provider.name).order_by(Provider.name)
        ).all(),
        "statuses": [s.value for s in Status],
        "levels": LEVELS,
        "intakes": [academic_year(date(y, 8, 1)).label for y in range(_today().year + 1, 2016, -1)],
    }


@bp.route("/apprentices")
@roles(*READERS)
def apprentices() -> str:
    args = _args()
    query, problems = _filtered_query(args)
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    if args["warnings"]:
        rows = [r for r in service.load_rows(query) if r.warnings]
        total = len(rows)
        rows = rows[(page_number - 1) * PAGE_SIZE : page_number * PAGE_SIZE]
    else:
        total = db.session.execute(
            db.select(db.func.count()).select_from(query.order_by(None).subquery())
        ).scalar_one()
        rows = service.load_rows(query.limit(PAGE_SIZE).offset((page_number - 1) * PAGE_SIZE))
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template(
        "cohorts/apprentices.html",
        rows=rows,
        total=total,
        page=page_number,
        pages=pages,
        args=args,
        problems=problems,
        choices=_choices(),
        can_edit=current_user.role in EDITORS,
    )


@bp.route("/apprentices/export.<fmt>")
@roles(*READERS)
def export(fmt: str) -> Response:
    query, _ = _filtered_query(_args())
    if fmt == "csv":
        return Response(
            service.export_csv(query),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=apprentices.csv"},
        )
    if fmt != "xlsx":
        abort(404)
    import io

    buffer = io.BytesIO()
    service.export_workbook(query).save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=apprentices.xlsx"},
    )


@bp.route("/apprentices/template.xlsx")
@roles(*READERS)
def template() -> Response:
    import io

    buffer = io.BytesIO()
    workbook.apprentices_template().save(buffer)  # type: ignore[attr-defined]
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=apprentices.xlsx"},
    )


# --- one record ----------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One dated, labelled line of the record's timeline."""

    on: date
    kind: str  # "status", "break", "levy payment" or "incentive"
    title: str
    text: str = ""
    by: str = ""


KIND_ORDER = {"status": 0, "break": 1, "levy payment": 2, "incentive": 3}
PAYMENT_KINDS = {
    "instalment": "monthly instalment",
    "completion": "completion payment",
    "balancing": "balancing payment",
}


def _incentive_events(
    apprentice: Apprentice, records: Sequence[inc.SchemeRecord], today: date
) -> list[Event]:
    """Instalments that fell due, were paid or were forfeited, up to ``today``."""
    events: list[Event] = []
    ended = incentive_service.as_domain(apprentice).ended_on
    for r in records:
        name = inc.SCHEME_NAMES[r.scheme]
        for i in r.instalments:
            what = f"{name}, instalment {i.number}"
            if i.due_date is not None and i.due_date <= today and i.status != inc.FORFEITED:
                events.append(
                    Event(
                        i.due_date,
                        "incentive",
                        f"Incentive due: {what}",
                        f"{format_money(i.amount)} after {i.days} days in learning",
                    )
                )
            if i.payment is not None:
                events.append(
                    Event(
                        i.payment.paid_on,
                        "incentive",
                        f"Incentive paid: {what}",
                        f"{format_money(i.payment.amount)} received",
                    )
                )
            elif i.status == inc.FORFEITED and ended is not None:
                events.append(
                    Event(
                        ended,
                        "incentive",
                        f"Incentive forfeited: {what}",
                        f"{format_money(i.amount)}: {i.forfeit_reason}",
                    )
                )
    return events


def _timeline(
    apprentice: Apprentice,
    schedule: Sequence[ScheduledPayment],
    incentives: Sequence[inc.SchemeRecord],
    today: date,
) -> list[Event]:
    """Status changes, breaks (start and end), levy payments up to ``today`` (each at its
    month-end) and incentive instalments (due, paid, forfeited), oldest first."""
    events: list[Event] = []
    for change in apprentice.status_history:
        events.append(
            Event(
                change.on,
                "status",
                (
                    f"Status: {change.from_status} → {change.to_status}"
                    if change.from_status
                    else f"Recorded as {change.to_status}"
                ),
                change.reason,
                change.recorded_by,
            )
        )
    for brk in apprentice.breaks:
        events.append(Event(brk.start, "break", "Break in learning started"))
        if brk.end is not None:
            events.append(Event(brk.end, "break", "Break in learning ended"))
    for payment in schedule:
        paid_on = month_end(payment.month)
        if paid_on <= today:
            events.append(
                Event(
                    paid_on,
                    "levy payment",
                    f"Levy payment: {PAYMENT_KINDS.get(payment.kind, payment.kind)}",
                    f"{format_money(payment.amount)} for {payment.month:%B %Y}",
                )
            )
    events.extend(_incentive_events(apprentice, incentives, today))
    events.sort(key=lambda e: (e.on, KIND_ORDER[e.kind]))
    return events


def can_read_incentives() -> bool:
    """The incentives area decides who reads incentives (its READERS)."""
    return current_user.role in INCENTIVE_READERS


@bp.route("/apprentices/<int:apprentice_id>")
@roles(*READERS)
def apprentice(apprentice_id: int) -> str:
    a = _apprentice_or_404(apprentice_id)
    today = _today()
    start = a.actual_start or a.planned_start
    form = StatusForm()
    form.status.choices = [(s.value, s.value) for s in allowed_moves(Status(a.status))]
    commitment = service.commitment_of(a)
    schedule = payment_schedule(commitment) if commitment else []
    incentives: tuple[inc.SchemeRecord, ...] | None = None
    if can_read_incentives():
        (item,) = incentive_service.schemes_for([a], today)
        incentives = item.records
    return render_template(
        "cohorts/apprentice.html",
        a=a,
        start=start,
        today=today,
        warnings=service.warnings_for(a),
        timeline=_timeline(a, schedule, incentives or (), today),
        form=None,
        status_form=form,
        commitment=commitment,
        schedule=schedule,
        incentives=incentives,
        scheme_names=inc.SCHEME_NAMES,
        days_left=inc.days_left_to_apply,
        age=age_at_start(a.date_of_birth, start),
        can_edit=current_user.role in EDITORS,
    )


@bp.route("/apprentices/<int:apprentice_id>/status", methods=["POST"])
@roles(*EDITORS)
def change_status(apprentice_id: int) -> Response | str:
    a = _apprentice_or_404(apprentice_id)
    form = StatusForm()
    form.status.choices = [(s.value, s.value) for s in allowed_moves(Status(a.status))]
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():  # a refused move undoes only this attempt
                service.change_status(
                    a,
                    form.status.data or "",
                    form.on.data,  # type: ignore[arg-type]
                    form.reason.data or "",
                    Actor.of(current_user),
                )
        except DomainError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"{a.reference} is now {a.status}", "success")
        return redirect(url_for("cohorts.apprentice", apprentice_id=a.id))
    for field, errors in form.errors.items():
        for error in errors:
            flash(f"{getattr(form, field).label.text}: {error}", "error")
    return redirect(url_for("cohorts.apprentice", apprentice_id=a.id))


def _form_choices(form: ApprenticeForm) -> None:
    choices = _choices()
    form.directorate_id.choices = [(0, "Choose…"), *choices["directorates"]]
    form.standard_id.choices = [(0, "Choose…")] + [
        (i, f"{r} {t}") for i, r, t in choices["standards"]
    ]
    form.provider_id.choices = [(0, "Choose…")] + [(i, n) for i, n in choices["providers"]]


def _save(form: ApprenticeForm, a: Apprentice | None) -> Apprentice | None:
    """Validate the form, let the service check and write, commit; None with the
    problems set on the form's fields."""
    if not form.validate_on_submit():
        return None
    for name in ("directorate_id", "standard_id", "provider_id"):
        field = getattr(form, name)
        if not field.data:
            field.errors = [*field.errors, f"Select the {field.label.text.lower()}"]
    if any(f.errors for f in form):
        return None
    require_directorate(form.directorate_id.data)
    values = {name: getattr(form, name).data for name in service.FORM_FIELDS} | {
        "directorate_id": form.directorate_id.data,
        "standard_id": form.standard_id.data,
        "provider_id": form.provider_id.data,
        "agreed_price": form.price,  # type: ignore[attr-defined]
        "start": form.start.data,
    }
    try:
        saved = service.save_apprentice(a, values, Actor.of(current_user), _today())
    except service.ApprenticeProblems as exc:
        for name, message in exc.problems:
            field = getattr(form, name)
            field.errors = [*field.errors, message]
        return None
    db.session.commit()
    return saved


@bp.route("/apprentices/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_apprentice() -> Response | str:
    form = ApprenticeForm()
    _form_choices(form)
    saved = _save(form, None)
    if saved is not None:
        flash(f"Apprentice {saved.reference} added", "success")
        return redirect(url_for("cohorts.apprentice", apprentice_id=saved.id))
    return render_template("cohorts/apprentice_form.html", form=form, a=None)


@bp.route("/apprentices/<int:apprentice_id>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_apprentice(apprentice_id: int) -> Response | str:
    a = _apprentice_or_404(apprentice_id)
    form = ApprenticeForm(obj=a)
    _form_choices(form)
    if not form.is_submitted():
        form.start.data = a.actual_start or a.planned_start
        form.agreed_price.data = f"{a.agreed_price:.2f}"
    saved = _save(form, a)
    if saved is not None:
        flash(f"Apprentice {saved.reference} saved", "success")
        return redirect(url_for("cohorts.apprentice", apprentice_id=saved.id))
    return render_template("cohorts/apprentice_form.html", form=form, a=a)


# --- bulk import with preview ------------------------------------------------------------


@bp.route("/apprentices/import", methods=["GET", "POST"])
@roles(*EDITORS)
def import_apprentices() -> Response | str:
    form = UploadForm()
    confirm = ConfirmImportForm()
    errors: list[str] = []
    preview = None
    if request.form.get("token") and confirm.validate_on_submit():
        token = confirm.token.data or ""
        if not token.isalnum():
            abort(400)
        kept = uploads.take(token, "apprentices")
        if kept is None:
            db.session.commit()  # an expired upload is cleared
            flash("That upload has expired: upload the workbook again", "error")
            return redirect(url_for("cohorts.import_apprentices"))
        try:
            summary = service.import_apprentices(
                workbook.read_apprentices(kept[1]), Actor.of(current_user)
            )
        except ImportFailed as exc:
            db.session.rollback()
            errors = [str(e) for e in exc.errors]
        else:
            db.session.commit()
            flash(f"Imported apprentices: {summary}", "success")
            return redirect(url_for("cohorts.apprentices"))
    elif form.validate_on_submit():
        data = form.workbook.data.read()
        try:
            rows = workbook.read_apprentices(data)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            trial = db.session.begin_nested()  # a dry run: see what it would change, keep nothing
            try:
                preview = service.import_apprentices(rows, Actor.of(current_user))
            except ImportFailed as exc:
                errors = [str(e) for e in exc.errors]
            finally:
                trial.rollback()
        if preview is not None:
            with transaction():  # kept in the database: any server can confirm it
                confirm.token.data = uploads.keep("apprentices", "apprentices.xlsx", data)
    return render_template(
        "cohorts/import.html", form=form, confirm=confirm, errors=errors, preview=preview
    )


# --- cohorts -------------------------------------------------------------------------------


@bp.route("/cohorts")
@roles(*READERS)
def cohorts() -> str:
    as_of = as_of_date()
    records = service.records(_scope())
    count = count_cohort(records, as_of)
    directorates = (
        db.session.execute(
            db.select(Directorate).join(Organisation).order_by(Organisation.name, Directorate.name)
        )
        .scalars()
        .all()
    )
    scope = _scope()
    directorates = [d for d in directorates if scope is None or d.id in scope]
    profiles = service.workforce_profiles(as_of, _scope())
    return render_template(
        "cohorts/cohorts.html",
        profiles=profiles,
        count=count,
        as_of=as_of,
        directorates=directorates,
        levels=LEVELS,
        bands=AGE_BANDS,
    )


@bp.route("/cohorts/<int:directorate_id>")
@roles(*READERS)
def directorate_cohort(directorate_id: int) -> str:
    directorate = _directorate_or_404(directorate_id)
    as_of = as_of_date()
    records = service.records([directorate.id])
    count = count_cohort(records, as_of)
    first = add_months(month_of(as_of), -11)
    months = starts_by_month(records, first, as_of)
    peak = max(months.values()) if months else 0
    future = future_cohort(records, as_of)
    year = db.session.execute(
        db.select(DirectorateYear)
        .where(
            DirectorateYear.directorate_id == directorate.id,
            DirectorateYear.year <= financial_year(as_of).start.year,
        )
        .order_by(DirectorateYear.year.desc())
        .limit(1)
    ).scalar_one_or_none()
    profile = None
    if year is not None and year.headcount and year.aged_50_plus is not None:
        profile = {
            "under_30": year.aged_under_30,
            "aged_50_plus": year.aged_50_plus,
            "aged_55_plus": year.aged_55_plus,
            "headcount": year.headcount,
            "label": year.year_label,
        }
    on_programme = [r for r in records if r.on_programme(as_of)]
    apprentice_ages = {
        "under_30": sum(1 for r in on_programme if age_at_start(r.date_of_birth, as_of) < 30),
        "aged_50_plus": sum(1 for r in on_programme if age_at_start(r.date_of_birth, as_of) >= 50),
        "total": len(on_programme),
    }
    return render_template(
        "cohorts/directorate.html",
        directorate=directorate,
        count=count,
        as_of=as_of,
        months=months,
        peak=peak,
        future=future,
        levels=LEVELS,
        bands=AGE_BANDS,
        profile=profile,
        apprentice_ages=apprentice_ages,
        age_band=age_band,
    )


# --- quotas -----------------------------------------------------------------------------


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2017 <= year <= 2100 else financial_year(_today()).start.year


@bp.route("/quotas", methods=["GET", "POST"])
@roles(*READERS)
def quotas() -> Response | str:
    year = _year()
    form = QuotaMethodForm()
    can_choose = current_user.role in ("finance", "admin")
    if request.method == "POST":
        if not can_choose:
            abort(403)
        if form.validate_on_submit():
            service.set_quota_method(year, form.method.data or "", Actor.of(current_user))
            db.session.commit()
            flash(
                f"Quotas for {year_label(year)} now use the {form.method.data} method",
                "success",
            )
            return redirect(url_for("cohorts.quotas", year=year))
    method = service.quota_method(year)
    if not form.is_submitted():
        form.method.data = method.value
    lines = service.quotas(year, _today(), _scope())
    return render_template(
        "cohorts/quotas.html",
        lines=lines,
        year=year,
        method=method,
        form=form if can_choose else None,
        methods=QuotaMethod,
    )


@bp.route("/quotas/<int:directorate_id>")
@roles(*READERS)
def directorate_quota(directorate_id: int) -> str:
    directorate = _directorate_or_404(directorate_id)
    year = _year()
    [line] = service.quotas(year, _today(), [directorate.id])
    people = {
        a.reference: a
        for a in db.session.execute(
            db.select(Apprentice).where(Apprentice.directorate_id == directorate.id)
        ).scalars()
    }
    return render_template(
        "cohorts/quota.html", directorate=directorate, line=line, year=year, people=people
    )


@bp.route("/quotas/export.xlsx")
@roles(*READERS)
def export_quotas() -> Response:
    year = _year()
    lines = service.quotas(year, _today(), _scope())
    rows = [
        (
            line.organisation,
            line.directorate,
            line.headcount,
            str(line.target_starts),
            len(line.starts),
            len(line.on_programme),
            line.rag.value,
            ", ".join(line.starts),
        )
        for line in lines
    ]
    header = (
        "Organisation",
        "Directorate",
        "Headcount",
        "Target starts",
        "Starts",
        "On programme",
        "RAG",
        "Apprentices who started",
    )
    return xlsx_response(f"quotas-{year}.xlsx", {"Quotas": (header, rows)})


@bp.route("/quotas/target-report.xlsx")
@roles("admin", "finance", "ld_team")
def target_report() -> Response:
    year = _year()
    lines = service.target_report(year)
    rows = [
        (
            line.organisation,
            line.headcount,
            line.starts,
            f"{line.rate * 100:.2f}%" if line.rate is not None else "",
            f"{line.target_rate * 100:.1f}%",
            str(line.target_starts),
            "yes" if line.met else "no",
        )
        for line in lines
    ]
    return xlsx_response(
        f"public-sector-target-{year}.xlsx",
        {
            "Public sector target": (
                (
                    "Organisation",
                    "Headcount at 1 April",
                    "Starts in the year",
                    "Starts ÷ headcount",
                    "Target",
                    "Target starts",
                    "Target met",
                ),
                rows,
            )
        },
    )


# --- screening -----------------------------------------------------------------------------


@bp.route("/screening", methods=["GET", "POST"])
@roles(*READERS)
def screening() -> Response | str:
    form = ScreeningForm()
    scope = _scope()
    directorates = (
        db.session.execute(
            db.select(Directorate).join(Organisation).order_by(Organisation.name, Directorate.name)
        )
        .scalars()
        .all()
    )
    form.directorate_id.choices = [(0, "Choose…")] + [
        (d.id, d.label) for d in directorates if scope is None or d.id in scope
    ]
    can_log = current_user.role in EDITORS
    if request.method == "POST":
        if not can_log:
            abort(403)
        if form.validate_on_submit():
            directorate = db.session.get(Directorate, form.directorate_id.data or 0)
            if directorate is None:
                form.directorate_id.errors = ["Select the directorate"]
            else:
                try:
                    with db.session.begin_nested():  # a refusal undoes only this attempt
                        service.log_screening(
                            directorate,
                            form.job_title.data or "",
                            form.received_on.data,  # type: ignore[arg-type]
                            form.outcome.data or "",
                            form.reason.data or "",
                            Actor.of(current_user),
                            social_worker=bool(form.social_worker.data),
                        )
                except DomainError as exc:
                    field = form.social_worker if form.social_worker.data else form.reason
                    field.errors = [*field.errors, str(exc)]
                else:
                    db.session.commit()
                    flash("Request to recruit logged", "success")
                    return redirect(url_for("cohorts.screening"))
    query = db.select(RecruitRequest).order_by(RecruitRequest.received_on.desc()).limit(100)
    if scope is not None:
        query = query.where(RecruitRequest.directorate_id.in_(scope))
    recent = db.session.execute(query).scalars().all()
    return render_template(
        "cohorts/screening.html",
        form=form if can_log else None,
        counts=service.screening_counts(scope),
        recent=recent,
    )
