"""The transfers blueprint, its navigation entries and the helpers its pages share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user
from govuk_frontend_wtf.main import wtforms_errors
from werkzeug.wrappers import Response
from wtforms import DateField, FieldList

from levy.auth import require_organisation
from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.money import ZERO, format_money
from levy.domain.months import financial_year, format_day
from levy.models.transfers import TransferApplication
from levy.services import transfers as svc
from levy.transaction import transaction
from levy.views import nav

bp = Blueprint("transfers", __name__, url_prefix="/transfers")
OFFICERS = ("finance", "ld_team", "admin")
nav("Transfer applications", "transfers.queue", order=40)
nav("Your applications", "transfers.my_applications", order=20)
nav("Transfer allowance", "transfers.allowance", order=41)
nav("Outbox", "transfers.outbox", order=95)


def actor() -> Actor:
    return Actor.of(current_user)


def get_application(app_id: int) -> TransferApplication:
    """The application, 404 if missing or another organisation's (for a business)."""
    app = svc.find_application(app_id)
    if app is None:
        abort(404)
    require_organisation(app.organisation_id)
    return app


def back_to(app: TransferApplication, tx: transaction, done: Callable[[], str]) -> Response:
    """Back to the application's page, with ``done()`` if the block went through, else why not."""
    if tx.error is not None:
        flash(str(tx.error), "error")
    else:
        flash(done(), "success")
    return redirect(url_for("transfers.view_application", app_id=app.id))


def confirmation(app: TransferApplication, action: str) -> dict[str, Any]:
    """What an "Are you sure?" page shows before ``action``: the money and the consequence."""
    ref, who = app.reference, app.organisation.name
    reserved = app.reserved or ZERO
    course = f"{app.apprentices} apprentice(s) on {app.standard_title}"
    rows = [("Application", f"{ref}, {who}"), ("For", course)]
    if action == "approve":
        cost = svc.application_rules(app).cost()
        year = svc.year_allowance(financial_year(app.planned_start).start.year)
        failed = svc.failed_rules(app)
        rows += [
            ("Reserved now", f"{format_money(cost.reserved)} of {format_money(cost.total)}"),
            (
                f"Allowance {year.year.label}",
                f"{format_money(year.remaining)} left now; "
                f"{format_money(year.remaining - cost.reserved)} left after approval",
            ),
        ]
        text = [
            f"{format_money(cost.reserved)} will be reserved from the {year.year.label} "
            "allowance and cannot be offered to anyone else unless the business declines, "
            "withdraws or lets the offer lapse.",
            "The business will be told by email and has 42 days to accept.",
        ]
        if failed:
            text.append(
                "This application does not meet the local rules: "
                + "; ".join(f"{f.title} ({f.reason})" for f in failed)
            )
        return {
            "title": f"Are you sure you want to approve {ref}?",
            "rows": rows,
            "text": text,
            "button": "Yes, approve and reserve",
            "warning": False,
        }
    if action == "accept":
        last_day = dom.funds_expire_on(app.planned_start, app.accepted_on) - timedelta(days=1)
        rows += [
            ("Funding", f"Up to {format_money(app.cost_total or ZERO)} in all"),
            ("Planned start", format_day(app.planned_start)),
        ]
        return {
            "title": f"Are you sure you want to accept the offer for {ref}?",
            "rows": rows,
            "text": [
                f"The council will pay up to {format_money(app.cost_total or ZERO)} towards "
                f"{course}, in monthly transfer payments from the month they start.",
                f"You must tell us your apprentices have started by {format_day(last_day)} "
                "(3 months after the planned start), or the money is released to other "
                "businesses.",
            ],
            "button": "Yes, accept the offer",
            "warning": False,
        }
    if action == "decline":
        rows.append(("Offered", f"Up to {format_money(app.cost_total or ZERO)}"))
        return {
            "title": f"Are you sure you want to decline the offer for {ref}?",
            "rows": rows,
            "text": [
                f"The {format_money(reserved)} reserved for you will be released to other "
                "businesses. You cannot take the offer back afterwards; you would need to "
                "apply again.",
            ],
            "button": "Yes, decline the offer",
            "warning": True,
        }
    # withdraw
    if app.status in dom.RESERVING and reserved:
        money = (
            f"The {format_money(reserved)} reserved for you will be released to other businesses."
        )
    else:
        money = "No money has been reserved for it yet."
    return {
        "title": f"Are you sure you want to withdraw {ref}?",
        "rows": [*rows, ("Status now", app.status.capitalize())],
        "text": [
            f"The application will stop and cannot be restarted. {money}",
            "You can start a new application at any time.",
        ],
        "button": "Yes, withdraw it",
        "warning": True,
    }


_DATE_FIELDS = (DateField,)


def error_summary(form: Any, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """GOV.UK error summary for ``form``: each message links to the field's first input
    (a date's day box: ``#planned_start-day``, a row's ``#starts-0-start-day``)."""
    summary = wtforms_errors(form, params or {})
    dates = set()

    def walk(fields: Any) -> None:
        for f in fields:
            if isinstance(f, _DATE_FIELDS):
                dates.add(f.id)
            elif isinstance(f, FieldList):
                for entry in f.entries:
                    walk(entry.form if hasattr(entry, "form") else [entry])

    walk(form)
    for item in summary.get("errorList", []):
        if item.get("href", "").lstrip("#") in dates:
            item["href"] += "-day"
    if form.form_errors:
        summary["errorList"] = [
            i for i in summary["errorList"] if i.get("href") not in ("#", "#None")
        ] + [{"text": m, "href": "#main-content"} for m in form.form_errors]
    return summary


@bp.context_processor
def _transfers_errors() -> dict[str, Any]:
    """The transfers pages' error summary (``base.html`` calls ``wtforms_errors``)."""
    return {"wtforms_errors": error_summary}
