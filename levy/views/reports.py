"""Insight pages (issue 15): expiry traced to directorates, the reconciliation with the
apprenticeship service's download, and the quarterly report with its commentary."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from levy import clock
from levy.auth import roles
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError, ImportFailed
from levy.domain.insight.expiry_share import DirectorateExpiry
from levy.domain.insight.reconcile import KIND_TITLES, KINDS
from levy.domain.months import MonthError, Quarter, financial_year, parse_quarter, quarter_of
from levy.exports import XLSX_MIME
from levy.forms.reports import CommentaryForm, ReconcileForm
from levy.importers.service_download import read_service_download
from levy.services import insight as service
from levy.services import insight_files as files
from levy.services import uploads
from levy.transaction import transaction
from levy.views import nav

bp = Blueprint("reports", __name__, url_prefix="/reports")
EXPIRY_READERS = ("finance", "ld_team", "admin", "directorate_manager")
REPORT_READERS = ("finance", "ld_team", "admin")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
nav("Quarterly report", "reports.quarterly", order=80)
nav("Expiry by directorate", "reports.expiry", order=81)


def _send(payload: bytes, name: str, mimetype: str) -> Response:
    return send_file(io.BytesIO(payload), as_attachment=True, download_name=name, mimetype=mimetype)


# --- §1 expiry traced to directorates -------------------------------------------------------


def _year() -> int:
    default = financial_year(clock.today()).start.year
    text = request.args.get("year", "").strip()
    if not text:
        return default
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        flash(f"'{text}' is not a year: give the financial year's start year, like 2020.", "error")
        return default
    return int(text)


def _own_directorates() -> list[int] | None:
    if current_user.role == "directorate_manager":
        return [d.id for d in current_user.directorates]
    return None


def expiry_chart(rows: Sequence[DirectorateExpiry]) -> Markup:
    """Generated (dark) against used (light) per directorate, as horizontal bars; the
    expired share written at the end of each row. Server-rendered SVG."""
    if not rows:
        return Markup("")
    top = max([max(r.generated, r.used) for r in rows] + [Decimal(1)])
    label_w, bar_w, row_h, width = 260, 380, 34, 780
    height = row_h * len(rows) + 30
    parts = [
        f'<svg class="levy-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        'aria-labelledby="expiry-chart-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="expiry-chart-title">Levy generated against used per directorate</title>',
    ]
    for i, r in enumerate(rows):
        y = 10 + i * row_h
        g = float(r.generated / top) * bar_w
        u = float(r.used / top) * bar_w
        name = escape(f"{r.directorate} ({r.organisation})")
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{name}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{g:.1f}" height="11" fill="#1d70b8">'
            f"<title>Generated £{r.generated:,.2f}</title></rect>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 13}" width="{u:.1f}" height="11" fill="#85994b">'
            f"<title>Used £{r.used:,.2f}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + bar_w + 10}" y="{y + 18}" font-size="12">'
            f"expired share £{r.expired_share:,.2f}</text>"
        )
    legend_y = height - 6
    parts.append(
        f'<rect x="{label_w}" y="{legend_y - 9}" width="10" height="10" fill="#1d70b8"/>'
        f'<text x="{label_w + 14}" y="{legend_y}" font-size="12">generated</text>'
        f'<rect x="{label_w + 100}" y="{legend_y - 9}" width="10" height="10" fill="#85994b"/>'
        f'<text x="{label_w + 114}" y="{legend_y}" font-size="12">used</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part is escaped above


@bp.route("/expiry")
@roles(*EXPIRY_READERS)
def expiry() -> str:
    year = _year()
    report = service.expiry_by_directorate(year)
    rows = report.visible(_own_directorates())
    return render_template(
        "reports/expiry.html", report=report, rows=rows, chart=expiry_chart(rows), year=year
    )


@bp.route("/expiry.xlsx")
@roles(*EXPIRY_READERS)
def expiry_xlsx() -> Response:
    report = service.expiry_by_directorate(_year())
    payload = files.expiry_xlsx(report, report.visible(_own_directorates()))
    return _send(payload, f"expiry-by-directorate-{report.year}.xlsx", XLSX_MIME)


# --- §2 reconciliation ----------------------------------------------------------------------

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _stored(token: str) -> tuple[str, bytes]:
    """The kept download (in the database, so any app server can answer), or 404."""
    kept = uploads.peek(token, "reconcile") if _TOKEN.match(token) else None
    if kept is None:
        abort(404)
    return kept


def _reconcile(data: bytes, name: str) -> service.Reconciliation:
    parsed = read_service_download(data, name)
    return service.reconcile(parsed, service.payment_lag(current_app.config))


@bp.route("/reconcile", methods=["GET", "POST"])
@roles("finance", "admin")
def reconcile() -> str:
    form = ReconcileForm()
    errors: list[str] = []
    result = None
    token = None
    if form.validate_on_submit():
        upload = form.file.data
        name = Path(upload.filename or "download.csv").name
        data = upload.read()
        try:
            result = _reconcile(data, name)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        except DomainError as exc:
            errors = [str(exc)]
        else:
            with transaction():  # kept in the database for the xlsx download, for a day
                token = uploads.keep("reconcile", name, data)
    return render_template(
        "reports/reconcile.html",
        form=form,
        errors=errors,
        result=result,
        token=token,
        kinds=KINDS,
        titles=KIND_TITLES,
    )


@bp.route("/reconcile/<token>.xlsx")
@roles("finance", "admin")
def reconcile_xlsx(token: str) -> Response:
    name, data = _stored(token)
    try:
        result = _reconcile(data, name)
    except (ImportFailed, DomainError):
        abort(404)
    return _send(files.reconcile_xlsx(result), "reconciliation.xlsx", XLSX_MIME)


# --- §3 the quarterly report ----------------------------------------------------------------


def _quarter() -> Quarter:
    text = request.args.get("quarter", "").strip()
    today = clock.today()
    default = quarter_of(today)  # the latest quarter that has ended by today
    if today < default.end:
        default = default.previous()
    if not text:
        return default
    try:
        quarter = parse_quarter(text)
    except MonthError as exc:
        flash(f"{exc}. Showing {default.label} instead.", "error")
        return default
    if not 2000 <= quarter.year <= 2100:
        flash(f"{quarter.key} is outside the years this service reports on.", "error")
        return default
    return quarter


@bp.route("/quarterly", methods=["GET", "POST"])
@roles(*REPORT_READERS)
def quarterly() -> Response | str:
    quarter = _quarter()
    note = service.commentary(quarter)
    form = CommentaryForm(data={"text": note.text if note else ""})
    if request.method == "POST" and form.validate_on_submit():
        with transaction(form, field="text") as tx:
            service.save_commentary(quarter, form.text.data or "", Actor.of(current_user))
        if tx.ok:
            flash(f"Commentary for {quarter.label} saved", "success")
            return redirect(url_for("reports.quarterly", quarter=quarter.key))
    report = service.quarterly_report(quarter, clock.today())
    return render_template(
        "reports/quarterly.html",
        report=report,
        form=form,
        quarter=quarter,
        previous=quarter.previous(),
        following=Quarter(quarter.year + (quarter.number == 4), quarter.number % 4 + 1),
    )


@bp.route("/quarterly.xlsx")
@roles(*REPORT_READERS)
def quarterly_xlsx() -> Response:
    report = service.quarterly_report(_quarter(), clock.today())
    return _send(files.quarterly_xlsx(report), f"quarterly-{report.quarter.key}.xlsx", XLSX_MIME)


@bp.route("/quarterly.docx")
@roles(*REPORT_READERS)
def quarterly_docx() -> Response:
    report = service.quarterly_report(_quarter(), clock.today())
    config = current_app.config
    payload = files.quarterly_docx(report, config["COUNCIL_NAME"], config["SERVICE_NAME"])
    return _send(payload, f"quarterly-{report.quarter.key}.docx", DOCX_MIME)
