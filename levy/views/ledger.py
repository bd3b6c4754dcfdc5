"""Levy pot screens: dashboard, ledger, import, what-if (issue 4 rules 10-11).

Finance works here; admin and the L&D team can read. The chart is server-rendered
SVG, so it works without JavaScript.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.domain.forecast import ForecastError, Scenario, run_forecast
from levy.domain.ledger import LedgerMonth
from levy.domain.money import ZERO, format_money
from levy.domain.months import MonthError, add_months, format_month, month_of, parse_month
from levy.exports import csv_response, xlsx_response
from levy.extensions import db
from levy.forms.ledger import (
    ConfirmImportForm,
    ImportForm,
    ScenarioForm,
    WhatIfForm,
    money_value,
    month_value,
)
from levy.importers import ledger as ledger_workbook
from levy.importers.workbook import ImportFailed
from levy.services import ledger as service
from levy.services.audit import Actor
from levy.views import Card, home_card, nav

bp = Blueprint("ledger", __name__, url_prefix="/levy")
READERS = ("finance", "admin", "ld_team")
nav("Levy pot", "ledger.dashboard", order=20)

COLUMNS = ("Month", "Funds in", "Payments", "Transfers", "Expired", "Balance")


# --- chart ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    month: date
    balance: Decimal
    expired: Decimal
    forecast: bool


def nice_ceiling(value: Decimal) -> Decimal:
    """The next round figure at or above ``value`` (1, 2, 2.5 or 5 times a power of 10)."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= power * step:
            return power * step
    return power * 10  # pragma: no cover - the loop always returns


def chart(points: Sequence[Point], title: str = "Monthly balance and expiry") -> Markup:
    """Two panels on one time axis: balance at month end as a line (top) and funds
    expired in the month as bars (bottom), each with its own scale; forecast months
    dashed and paler."""
    if not points:
        return Markup("")
    width, left, right = 760, 80, 10
    top_y, top_h, gap, bottom_h, axis = 14, 170, 34, 110, 40
    plot_w = width - left - right
    height = top_y + top_h + gap + bottom_h + axis
    step = plot_w / len(points)
    balance_max = nice_ceiling(max(*(p.balance for p in points), ZERO))
    expiry_max = nice_ceiling(max(*(p.expired for p in points), ZERO))
    bars_top = top_y + top_h + gap

    def y_balance(value: Decimal) -> float:
        return top_y + top_h - float(max(value, ZERO) / balance_max) * top_h

    def y_expiry(value: Decimal) -> float:
        return bars_top + bottom_h - float(max(value, ZERO) / expiry_max) * bottom_h

    key = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())
    parts = [  # ids from the title: what-if and scenario pages show two charts
        f'<svg class="levy-chart" role="img" aria-labelledby="{key}-title {key}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">Top: balance at each month end. Bottom: funds expired in the '
        "month. Forecast months are dashed and paler. The same figures are in the table."
        "</desc>",
        f'<text x="{left}" y="{top_y - 2}" font-size="12" font-weight="bold">Balance</text>',
        f'<text x="{left}" y="{bars_top - 4}" font-size="12" font-weight="bold">Expired</text>',
    ]
    for fraction in (0, Decimal("0.5"), 1):
        for value, y in (
            (balance_max * fraction, y_balance(balance_max * fraction)),
            (expiry_max * fraction, y_expiry(expiry_max * fraction)),
        ):
            parts.append(
                f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                'stroke="#b1b4b6" stroke-width="0.5"/>'
                f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                f"{escape(format_money(value, pence=False))}</text>"
            )
    for i, p in enumerate(points):
        x = left + i * step
        if p.expired > 0:
            colour = "#f499be" if p.forecast else "#d4351c"
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{y_expiry(p.expired):.1f}" '
                f'width="{step * 0.7:.1f}" '
                f'height="{bars_top + bottom_h - y_expiry(p.expired):.1f}" '
                f'fill="{colour}"><title>{format_month(p.month)} expired '
                f"{escape(format_money(p.expired))}</title></rect>"
            )
        if p.month.month == 4 or i == 0:
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_y}" y2="{bars_top + bottom_h}" '
                'stroke="#dddddd" stroke-width="0.5"/>'
                f'<text x="{x:.1f}" y="{bars_top + bottom_h + 14}" font-size="11">'
                f"{p.month.strftime('%b %Y')}</text>"
            )
    coords = [(left + i * step + step / 2, y_balance(p.balance)) for i, p in enumerate(points)]
    actual = [c for c, p in zip(coords, points, strict=True) if not p.forecast]
    ahead = [c for c, p in zip(coords, points, strict=True) if p.forecast]
    if actual and ahead:
        ahead = [actual[-1], *ahead]  # the forecast line starts where the actuals end
    for line, colour, dash in (
        (actual, "#1d70b8", ""),
        (ahead, "#5694ca", ' stroke-dasharray="6 4"'),
    ):
        if len(line) > 1:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in line)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f"{dash}/>"
            )
    legend_y = height - 8
    parts.append(
        f'<g font-size="12"><rect x="{left}" y="{legend_y - 5}" width="12" height="4" '
        'fill="#1d70b8"/>'
        f'<text x="{left + 16}" y="{legend_y}">Balance (actual)</text>'
        f'<rect x="{left + 130}" y="{legend_y - 5}" width="12" height="4" fill="#5694ca"/>'
        f'<text x="{left + 146}" y="{legend_y}">Balance (forecast)</text>'
        f'<rect x="{left + 270}" y="{legend_y - 9}" width="10" height="10" fill="#d4351c"/>'
        f'<text x="{left + 284}" y="{legend_y}">Expired (actual)</text>'
        f'<rect x="{left + 400}" y="{legend_y - 9}" width="10" height="10" fill="#f499be"/>'
        f'<text x="{left + 414}" y="{legend_y}">Expiring (forecast)</text></g>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped above


# --- dashboard --------------------------------------------------------------------------


def _as_of() -> date | None:
    """The latest month with transactions, or ``?as_of=YYYY-MM``."""
    text = request.args.get("as_of", "").strip()
    if text:
        try:
            return parse_month(text)
        except MonthError:
            flash(f"'{text}' is not a month: showing the latest month instead")
    return service.last_month()


@dataclass
class Summary:
    as_of: date
    balance: Decimal
    funds_in_12: Decimal
    out_12: Decimal
    expired_12: Decimal
    expiring: dict[int, Decimal]
    actual: list[LedgerMonth]
    forecast: list[Any]
    pay_bill_months: tuple[date, ...] = ()


def _from_pay_bill() -> bool:
    """``?funds_in=pay_bill``: forecast funds in from the pay bill where imported."""
    return request.args.get("funds_in", "") == "pay_bill"


def summary(as_of: date, horizon: int = 12, from_pay_bill: bool = False) -> Summary:
    ledger = service.get_ledger(as_of)
    last_12 = [r for r in ledger.months if r.month > add_months(as_of, -12)]
    inputs = service.forecast_inputs(
        add_months(as_of, 1), horizon, actual=ledger, from_pay_bill=from_pay_bill
    )
    forecast = run_forecast(inputs.opening, inputs.start, horizon, inputs.funds_in, inputs.payments)
    expiring = {n: sum((r.expired for r in forecast.months[:n]), ZERO) for n in (3, 6, 12)}
    return Summary(
        as_of,
        ledger.balance,
        sum((r.funds_in for r in last_12), ZERO),
        sum((r.payments + r.transfers for r in last_12), ZERO),
        sum((r.expired for r in last_12), ZERO),
        expiring,
        list(ledger.months),
        list(forecast.months),
        inputs.pay_bill_months,
    )


@bp.route("/")
@roles(*READERS)
def dashboard() -> str:
    as_of = _as_of()
    if as_of is None:
        return render_template("ledger/dashboard.html", s=None)
    from_pay_bill = _from_pay_bill()
    s = summary(as_of, from_pay_bill=from_pay_bill)
    points = [Point(r.month, r.balance, r.expired, False) for r in s.actual[-24:]]
    points += [Point(r.month, r.balance, r.expired, True) for r in s.forecast]
    download_args = {"as_of": format_month(as_of)}
    if from_pay_bill:
        download_args["funds_in"] = "pay_bill"
    return render_template(
        "ledger/dashboard.html",
        s=s,
        chart=chart(points),
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
    s = summary(as_of, from_pay_bill=_from_pay_bill())
    return [
        [
            r.month,
            r.funds_in,
            r.payments,
            r.transfers,
            r.expired,
            r.balance,
            r.due,
            r.shortfall,
            r.employer_coinvestment,
            r.government_coinvestment,
            r.unfunded_transfers,
        ]
        for r in s.forecast
    ]


@bp.route("/forecast.xlsx")
@roles(*READERS)
def forecast_xlsx() -> Response:
    return xlsx_response("levy-forecast.xlsx", {"Forecast": (FORECAST_COLUMNS, _forecast_table())})


@bp.route("/forecast.csv")
@roles(*READERS)
def forecast_csv() -> Response:
    table = [[format_month(r[0]), *r[1:]] for r in _forecast_table()]
    return csv_response("levy-forecast.csv", FORECAST_COLUMNS, table)


@home_card(20, "finance", "admin", "ld_team")
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
    s = summary(as_of)
    cards = [
        Card(
            f"Levy balance at end of {as_of.strftime('%B %Y')}",
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
                bounds[key] = parse_month(args[key])
            except MonthError as exc:
                problems.append(f"{label} month: {exc}")
    ledger = service.get_ledger(bounds["to"] or service.last_month())
    rows = [r for r in ledger.months if bounds["from"] is None or r.month >= bounds["from"]]
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
        checks=service.declaration_checks()[-12:],
        last_month=service.last_month(),
    )


def _table(rows: Sequence[LedgerMonth]) -> list[list[Any]]:
    return [[r.month, r.funds_in, r.payments, r.transfers, r.expired, r.balance] for r in rows]


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


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _parse(path: Path, name: str) -> Any:
    if ledger_workbook.looks_like_das(path, name):
        return ledger_workbook.read_das_download(path, name)
    return ledger_workbook.read_transactions(path)


@bp.route("/import", methods=["GET", "POST"])
@roles("finance")
def import_file() -> str:
    form = ImportForm()
    errors: list[str] = []
    preview = None
    confirm = None
    if form.validate_on_submit():
        upload = form.file.data
        name = Path(upload.filename or "upload.xlsx").name
        token = secrets.token_hex(16)
        suffix = ".csv" if name.lower().endswith(".csv") else ".xlsx"
        path = _upload_dir() / f"{token}{suffix}"
        upload.save(path)
        (_upload_dir() / f"{token}.name").write_text(name)
        try:
            parsed = _parse(path, name)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
            path.unlink(missing_ok=True)
        else:
            if isinstance(parsed, ledger_workbook.DasDownload):
                preview = service.preview_transactions(parsed.transactions)
                preview.recognised = parsed.description
                preview.expiries = len(parsed.expiries)
            else:
                preview = service.preview_transactions(parsed)
            confirm = ConfirmImportForm(token=token)
    return render_template(
        "ledger/import.html", form=form, errors=errors, preview=preview, confirm=confirm
    )


@bp.route("/import/confirm", methods=["POST"])
@roles("finance")
def confirm_import() -> Response:
    form = ConfirmImportForm()
    token = form.token.data or ""
    if not form.validate_on_submit() or not token.isalnum():
        flash("That import has expired: upload the file again")
        return redirect(url_for("ledger.import_file"))
    folder = _upload_dir()
    matches = [p for p in (folder / f"{token}.xlsx", folder / f"{token}.csv") if p.exists()]
    if not matches:
        flash("That import has expired: upload the file again")
        return redirect(url_for("ledger.import_file"))
    path = matches[0]
    name_file = folder / f"{token}.name"
    name = name_file.read_text() if name_file.exists() else path.name
    actor = Actor.of(current_user)
    try:
        parsed = _parse(path, name)
        if isinstance(parsed, ledger_workbook.DasDownload):
            result = service.import_das_download(parsed, actor)
        else:
            result = service.import_transactions(parsed, actor, f"xlsx:{name}")
    except ImportFailed:
        db.session.rollback()
        flash("The file could not be imported: upload it again to see the problems")
        return redirect(url_for("ledger.import_file"))
    db.session.commit()
    path.unlink(missing_ok=True)
    name_file.unlink(missing_ok=True)
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
    result = None
    result_chart = None
    if form.validate_on_submit():
        start = month_value(form.start)
        price = money_value(form.price)
        assert start is not None
        assert price is not None
        try:
            result = service.get_what_if(
                start,
                form.months.data or 12,
                price,
                form.duration.data or 12,
                money_value(form.funds_in),
                form.funds_in_source.data == "pay_bill",
            )
        except ForecastError as exc:
            form.price.errors = [*form.price.errors, str(exc)]
        else:
            before = [Point(r.month, r.balance, r.expired, True) for r in result.before.months]
            after = [Point(r.month, r.balance, r.expired, True) for r in result.after.months]
            result_chart = (
                chart(before, "Forecast without extra starts"),
                chart(after, "Forecast with the extra starts"),
            )
    return render_template("ledger/what_if.html", form=form, result=result, charts=result_chart)


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
            chart(
                [Point(r.month, r.balance, r.expired, True) for r in baseline.months],
                "Forecast as it stands",
            ),
            chart(
                [Point(r.month, r.balance, r.expired, True) for r in changed.months],
                "Forecast with your changes",
            ),
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
