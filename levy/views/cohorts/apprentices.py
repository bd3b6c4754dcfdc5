"""The apprentices list and its downloads, one apprentice's record, status changes, the
add and edit forms, and the bulk import with its preview."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import require_directorate, roles
from levy.domain import incentives as inc
from levy.domain.cohorts import Status, allowed_moves
from levy.domain.errors import ImportFailed
from levy.exports import XLSX_MIME, csv_response, xlsx_response
from levy.forms.cohorts import ApprenticeForm, ConfirmImportForm, StatusForm, UploadForm
from levy.importers import cohorts as workbook
from levy.models import Apprentice
from levy.services import cohorts as service
from levy.services import uploads
from levy.services.audit import Actor
from levy.services.locks import import_lock
from levy.transaction import transaction
from levy.views.args import arg_id, arg_int
from levy.views.cohorts import EDITORS, READERS, apprentice_or_404, bp, scope, today
from levy.views.incentives import READERS as INCENTIVE_READERS

# --- list ------------------------------------------------------------------------


def _args() -> dict[str, str]:
    """The list's filters; an id or level out of range is a 400 naming it, never a 500."""
    for key in ("directorate", "standard", "provider"):
        arg_id(key)
    arg_int("level", minimum=1, maximum=8)
    return {k: request.args.get(k, "").strip() for k in service.FILTERS}


@bp.route("/apprentices")
@roles(*READERS)
def apprentices() -> str:
    args = _args()
    page, problems = service.apprentice_page(
        args, scope(), arg_int("page", 1, minimum=1, maximum=1_000_000)
    )
    return render_template(
        "cohorts/apprentices.html",
        page=page,
        args=args,
        problems=problems,
        choices=service.list_choices(current_user, today()),
        can_edit=current_user.role in EDITORS,
    )


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


def _xlsx(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@bp.route("/apprentices/export.<fmt>")
@roles(*READERS)
def export(fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    query, _ = service.apprentice_select(_args(), scope())
    people, breaks = service.export_rows(query)
    sheets = workbook.export_sheets(people, breaks)
    if fmt == "csv":
        return csv_response("apprentices.csv", *sheets[workbook.APPRENTICES_SHEET])
    return xlsx_response("apprentices.xlsx", sheets)


@bp.route("/apprentices/template.xlsx")
@roles(*READERS)
def template() -> Response:
    return _download(_xlsx(workbook.apprentices_template()), XLSX_MIME, "apprentices.xlsx")


# --- one record ----------------------------------------------------------------------


def can_read_incentives() -> bool:
    """The incentives area decides who reads incentives (its READERS)."""
    return current_user.role in INCENTIVE_READERS


def _status_form(a: Apprentice) -> StatusForm:
    form = StatusForm()
    form.status.choices = [(s.value, s.value) for s in allowed_moves(Status(a.status))]
    return form


@bp.route("/apprentices/<int:apprentice_id>")
@roles(*READERS)
def apprentice(apprentice_id: int) -> str:
    a = apprentice_or_404(apprentice_id)
    on = today()
    record = service.record_page(a, on, with_incentives=can_read_incentives())
    return render_template(
        "cohorts/apprentice.html",
        a=a,
        start=record.start,
        today=on,
        warnings=record.warnings,
        timeline=record.timeline,
        form=None,
        status_form=_status_form(a),
        commitment=record.commitment,
        schedule=record.schedule,
        incentives=record.incentives,
        scheme_names=inc.SCHEME_NAMES,
        days_left=inc.days_left_to_apply,
        age=record.age,
        can_edit=current_user.role in EDITORS,
    )


@bp.route("/apprentices/<int:apprentice_id>/status", methods=["POST"])
@roles(*EDITORS)
def change_status(apprentice_id: int) -> Response | str:
    a = apprentice_or_404(apprentice_id)
    back = redirect(url_for("cohorts.apprentice", apprentice_id=apprentice_id))
    form = _status_form(a)
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            for error in errors:
                flash(f"{getattr(form, field).label.text}: {error}", "error")
        return back
    with transaction(catch=True) as tx:
        service.change_status(
            a,
            form.status.data or "",
            form.on.data,  # type: ignore[arg-type]
            form.reason.data or "",
            Actor.of(current_user),
        )
    if tx.ok:
        flash(f"{a.reference} is now {a.status}", "success")
    else:
        flash(str(tx.error), "error")
    return back


def _form_choices(form: ApprenticeForm) -> None:
    choices = service.list_choices(current_user, today())
    form.directorate_id.choices = [(0, "Choose…"), *choices["directorates"]]
    form.standard_id.choices = [(0, "Choose…")] + [
        (i, f"{r} {t}") for i, r, t in choices["standards"]
    ]
    form.provider_id.choices = [(0, "Choose…")] + [(i, n) for i, n in choices["providers"]]


def _save(form: ApprenticeForm, a: Apprentice | None) -> Apprentice | None:
    """Validate the form and save through the service in one transaction; None with the
    problems on the form's fields."""
    if not form.validate_on_submit():
        return None
    require_directorate(form.directorate_id.data)
    values = {name: getattr(form, name).data for name in service.FORM_FIELDS} | {
        "directorate_id": form.directorate_id.data,
        "standard_id": form.standard_id.data,
        "provider_id": form.provider_id.data,
        "agreed_price": form.price,  # type: ignore[attr-defined]
        "start": form.start.data,
    }
    with transaction(form, field="start") as tx:
        saved = service.save_apprentice(a, values, Actor.of(current_user), today())
    return saved if tx.ok else None


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
    a = apprentice_or_404(apprentice_id)
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
        summary = None
        try:
            with transaction():
                import_lock("apprentices")  # the same workbook confirmed twice at once: once
                kept = uploads.take(token, "apprentices")  # kept in the database
                if kept is not None:
                    rows = workbook.read_apprentices(kept[1])
                    summary = service.import_apprentices(rows, Actor.of(current_user))
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            if summary is None:  # expired (and cleared), or imported by another request
                flash("That upload has expired: upload the workbook again", "error")
                return redirect(url_for("cohorts.import_apprentices"))
            flash(f"Imported apprentices: {summary}", "success")
            return redirect(url_for("cohorts.apprentices"))
    elif form.validate_on_submit():
        data = form.workbook.data.read()
        try:  # a dry run: what the import would change, keeping nothing
            preview = service.preview_import(
                workbook.read_apprentices(data), Actor.of(current_user)
            )
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        if preview is not None:
            with transaction():  # kept in the database: any server can confirm it
                confirm.token.data = uploads.keep("apprentices", "apprentices.xlsx", data)
    return render_template(
        "cohorts/import.html", form=form, confirm=confirm, errors=errors, preview=preview
    )
