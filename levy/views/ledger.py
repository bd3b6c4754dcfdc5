"""Levy pot screens: dashboard, ledger, import, what-if (issue 4 rules 10-11).

Finance works here; admin and the L&D team can read. The chart is server-rendered
SVG, so it works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import LEDGER_IMPORTERS, LEDGER_READERS, roles
from levy.clock import today
from levy.domain.accounts import Actor
from levy.domain.chart import balance_chart, points
from levy.domain.errors import ImportFailed
from levy.domain.forecast import ForecastError, Scenario
from levy.domain.import_rows import DasDownload
from levy.domain.ledger import LedgerMonth
from levy.domain.money import ZERO, format_money
from levy.domain.months import (
    MonthError,
    add_months,
    format_month,
    format_month_name,
    month_of,
    parse_month,
)
from levy.exports import Month, csv_response, xlsx_response
from levy.forms.ledger import (
    ConfirmImportForm,
    ImportForm,
    ScenarioForm,
    WhatIfForm,
    money_value,
    month_value,
)
from levy.importers import ledger as ledger_workbook
from levy.services import ledger as service
from levy.services import uploads
from levy.services.locks import import_lock
from levy.transaction import transaction
from levy.views import Card, home_card, nav
from levy.views.args import check_date

bp = Blueprint("ledger", __name__, url_prefix="/levy")
READERS = LEDGER_READERS
nav("Levy pot", "ledger.dashboard", order=20)

COLUMNS = ("Month", "Funds in", "Payments", "Transfers", "Expired", "Balance")


# --- dashboard --------------------------------------------------------------------------


def _as_of() -> date | None:
    """The latest month with transactions, or ``?as_of=YYYY-MM``."""
    text = request.args.get("as_of", "").strip()
    if text:
        try:
            month = parse_month(text)
        except MonthError:
            flash(f"'{text}' is not a month: showing the latest month instead")
        else:
            return check_date("as_of", month)
    return service.last_month()


def _from_pay_bill() -> bool:
    """``?funds_in=pay_bill``: forecast funds in from the pay bill where imported."""
    return request.args.get("funds_in", "") == "pay_bill"


@bp.route("/")
@roles(*READERS)
def dashboard() -> str:
    as_of = _as_of()
    if as_of is None:
        return render_template("ledger/dashboard.html", s=None)
    from_pay_bill = _from_pay_bill()
    s = service.pot_summary(as_of, from_pay_bill=from_pay_bill)
    download_args = {"as_of": format_month(as_of)}
    if from_pay_bill:
        download_args["funds_in"] = "pay_bill"
    return render_template(
        "ledger/dashboard.html",
        s=s,
        chart=balance_chart(points(s.actual[-24:], s.forecast)),
        from_pay_bill=from_pay_bill,
        download_args=download_args,
    )


FORECAST_COLUMNS = (
    *COLUMNS,
    "Own payments due",
    "Co-investment",
    "Employer co-investment",
    "Government co-investment",
    "Unfunded transfers",
)


def _forecast_table() -> list[list[Any]]:
    """The dashboard's forecast (same ``as_of`` and ``funds_in`` arguments)."""
    as_of = _as_of()
    if as_of is None:
        return []
    s = service.pot_summary(as_of, from_pay_bill=_from_pay_bill())
    return [[Month.of(r.month), *r.amounts] for r in s.forecast]


@bp.route("/forecast.xlsx")
@roles(*READERS)
def forecast_xlsx() -> Response:
    return xlsx_response("levy-forecast.xlsx", {"Forecast": (FORECAST_COLUMNS, _forecast_table())})


@bp.route("/forecast.csv")
@roles(*READERS)
def forecast_csv() -> Response:
    table = [[format_month(r[0]), *r[1:]] for r in _forecast_table()]
    return csv_response("levy-forecast.csv", FORECAST_COLUMNS, table)


@home_card(20, *LEDGER_READERS)
def pot_cards(user: Any) -> list[Card]:
    as_of = service.last_month()
    if as_of is None:
        return [
            Card(
                "Levy pot",
                "No transactions yet",
                "Import the levy transactions workbook.",
                url_for("ledger.import_file"),
                "Import transactions",
            )
        ]
    s = service.pot_summary(as_of)
    cards = [
        Card(
            f"Levy balance at end of {format_month_name(as_of)}",
            format_money(s.balance, pence=False),
            "",
            url_for("ledger.dashboard"),
            "Levy pot",
        )
    ]
    if s.expiring[12] > 0:
        cards.append(
            Card(
                "Forecast to expire in the next 12 months",
                format_money(s.expiring[12], pence=False),
                "Find out how many extra starts would stop it.",
                url_for("ledger.what_if"),
                "What if",
                warning=True,
            )
        )
    return cards


# --- ledger -----------------------------------------------------------------------------


def _ledger_rows() -> tuple[list[LedgerMonth], dict[str, str], list[str]]:
    args = {k: request.args.get(k, "").strip() for k in ("from", "to")}
    problems = []
    bounds: dict[str, date | None] = {"from": None, "to": None}
    for key, label in (("from", "From"), ("to", "To")):
        if args[key]:
            try:
                bounds[key] = check_date(key, parse_month(args[key]))
            except MonthError as exc:
                problems.append(f"{label} month: {exc}")
    rows = service.ledger_months(bounds["from"], bounds["to"])
    return rows, args, problems


@bp.route("/ledger")
@roles(*READERS)
def ledger() -> str:
    rows, args, problems = _ledger_rows()
    totals = {
        k: sum((getattr(r, k) for r in rows), ZERO)
        for k in ("funds_in", "payments", "transfers", "expired")
    }
    return render_template(
        "ledger/ledger.html",
        rows=rows,
        args=args,
        problems=problems,
        totals=totals,
        checks=service.declaration_checks(last=12),
        last_month=service.last_month(),
    )


def _table(rows: Sequence[LedgerMonth]) -> list[list[Any]]:
    return [
        [Month.of(r.month), r.funds_in, r.payments, r.transfers, r.expired, r.balance] for r in rows
    ]


@bp.route("/ledger.xlsx")
@roles(*READERS)
def ledger_xlsx() -> Response:
    rows, _args, _problems = _ledger_rows()
    return xlsx_response("levy-ledger.xlsx", {"Ledger": (COLUMNS, _table(rows))})


@bp.route("/ledger.csv")
@roles(*READERS)
def ledger_csv() -> Response:
    rows, _args, _problems = _ledger_rows()
    table = [[format_month(r[0]), *r[1:]] for r in _table(rows)]
    return csv_response("levy-ledger.csv", COLUMNS, table)


# --- import -----------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@roles(*LEDGER_IMPORTERS)
def import_file() -> str:
    form = ImportForm()
    errors: list[str] = []
    preview = None
    confirm = None
    if form.validate_on_submit():
        upload = form.file.data
        name = Path(upload.filename or "upload.xlsx").name
        data = upload.read()
        try:
            parsed = ledger_workbook.read_levy_file(data, name)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            if isinstance(parsed, DasDownload):
                preview = service.preview_transactions(parsed.transactions)
                preview.recognised = parsed.description
                preview.expiries = len(parsed.expiries)
            else:
                preview = service.preview_transactions(parsed)
            with transaction():  # kept in the database: any server can confirm it
                token = uploads.keep("levy-transactions", name, data)
            confirm = ConfirmImportForm(token=token)
    return render_template(
        "ledger/import.html", form=form, errors=errors, preview=preview, confirm=confirm
    )


@bp.route("/import/confirm", methods=["POST"])
@roles(*LEDGER_IMPORTERS)
def confirm_import() -> Response:
    form = ConfirmImportForm()
    token = form.token.data or ""
    if not form.validate_on_submit() or not token.isalnum():
        flash("That import has expired: upload the file again")
        return redirect(url_for("ledger.import_file"))
    actor = Actor.of(current_user)
    result = None
    try:
        with transaction():
            import_lock("levy-transactions")  # the same file confirmed twice at once: once
            kept = uploads.take(token, "levy-transactions")  # kept in the database
            if kept is not None:
                name, data = kept
                parsed = ledger_workbook.read_levy_file(data, name)
                if isinstance(parsed, DasDownload):
                    result = service.import_das_download(parsed, actor)
                else:
                    result = service.import_transactions(parsed, actor, f"xlsx:{name}")
    except ImportFailed:
        flash("The file could not be imported: upload it again to see the problems")
        return redirect(url_for("ledger.import_file"))
    if kept is None:  # expired (and cleared), or already imported by another request
        flash("That import has expired: upload the file again")
        return redirect(url_for("ledger.import_file"))
    flash(f"Imported {name}: {result}", "success")
    return redirect(url_for("ledger.dashboard"))


# --- what-if ----------------------------------------------------------------------------


def _default_start() -> str:
    last = service.last_month()
    return format_month(add_months(last, 1)) if last else ""


@bp.route("/what-if", methods=["GET", "POST"])
@roles(*READERS)
def what_if() -> str:
    form = WhatIfForm(
        data={"start": _default_start(), "months": 12, "duration": 12, "price": "6000"}
        if request.method == "GET"
        else None
    )
    start = month_value(form.start)  # None if blank or bad: the form says which
    standards = service.what_if_standards(start or month_of(today()))
    form.standard.choices = [("", "None: I will enter the price and duration")] + [
        (str(s.id), s.label) for s in standards
    ]
    result = None
    result_chart = None
    assumptions = None
    if form.validate_on_submit():
        assert start is not None
        chosen = next((s for s in standards if str(s.id) == form.standard.data), None)
        price = money_value(form.price)
        duration = form.duration.data
        if price is None:
            if chosen is None:
                form.price.errors = [
                    "Enter the price of each start, like 6000, or choose a standard"
                ]
            elif chosen.band_maximum is None:
                form.price.errors = [
                    f"{chosen.label} has no funding band in {format_month_name(start)}: "
                    "enter the price"
                ]
            else:
                price = chosen.band_maximum
        if duration is None:
            if chosen is None:
                form.duration.errors = [
                    "Enter the planned duration in months, like 12, or choose a standard"
                ]
            else:
                duration = chosen.duration_months
        if price is not None and duration is not None:
            assumptions = {
                "start": start,
                "price": price,
                "duration": duration,
                "months": form.months.data or 12,
                "standard": chosen.label if chosen else None,
                "from_pay_bill": form.funds_in_source.data == "pay_bill",
                "funds_in": money_value(form.funds_in),
            }
            try:
                result = service.get_what_if(
                    start,
                    assumptions["months"],
                    price,
                    duration,
                    assumptions["funds_in"],
                    assumptions["from_pay_bill"],
                )
            except ForecastError as exc:
                form.price.errors = [*form.price.errors, str(exc)]
            else:
                result_chart = (
                    balance_chart(
                        points([], result.before.months), "Forecast without extra starts", "before"
                    ),
                    balance_chart(
                        points([], result.after.months), "Forecast with the extra starts", "after"
                    ),
                )
    return render_template(
        "ledger/what_if.html",
        form=form,
        result=result,
        charts=result_chart,
        a=assumptions,
        standards=standards,
    )


@bp.route("/scenario", methods=["GET", "POST"])
@roles(*READERS)
def scenario() -> str:
    form = ScenarioForm(
        data={"start": _default_start(), "months": 24, "duration": 12}
        if request.method == "GET"
        else None
    )
    baseline = changed = None
    charts = None
    if form.validate_on_submit():
        start = month_value(form.start)
        assert start is not None
        plan = Scenario(
            starts=form.parsed_starts(),
            price=money_value(form.price) or ZERO,
            duration=form.duration.data or 12,
            funds_in_per_month=money_value(form.funds_in),
            pledge_per_month=money_value(form.pledge) or ZERO,
            pledge_months=form.pledge_months.data or 0,
        )
        baseline, changed = service.get_scenario(
            start,
            form.months.data or 12,
            plan,
            from_pay_bill=form.funds_in_source.data == "pay_bill",
        )
        charts = (
            balance_chart(points([], baseline.months), "Forecast as it stands", "baseline"),
            balance_chart(points([], changed.months), "Forecast with your changes", "changed"),
        )
    return render_template(
        "ledger/scenario.html", form=form, baseline=baseline, changed=changed, charts=charts
    )


@bp.app_template_filter("ym")
def ym(value: date) -> str:
    return format_month(month_of(value))


@bp.route("/levy_transactions.xlsx")
@roles(*READERS)
def template_xlsx() -> Response:
    import io

    from flask import send_file

    from levy.exports import XLSX_MIME

    buffer = io.BytesIO()
    ledger_workbook.template().save(buffer)
    buffer.seek(0)
    return send_file(
        buffer, as_attachment=True, download_name="levy_transactions.xlsx", mimetype=XLSX_MIME
    )
