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
from levy.domain.money import ZERO
from levy.domain.months import financial_year
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
    """The figures an "Are you sure?" page shows before ``action`` (approve, accept, decline
    or withdraw): the money and the dates. Its words are in ``transfers/confirm.html``."""
    reserved = app.reserved or ZERO
    facts: dict[str, Any] = {
        "action": action,
        "reserved": reserved,
        "offered": app.cost_total or ZERO,
    }
    if action == "approve":
        facts["cost"] = svc.application_rules(app).cost()
        facts["year"] = svc.year_allowance(financial_year(app.planned_start).start.year)
        facts["failed"] = svc.failed_rules(app)
    elif action == "accept":
        expires = dom.funds_expire_on(app.planned_start, app.accepted_on)
        facts["last_day"] = expires - timedelta(days=1)
    elif action == "withdraw":
        facts["releases"] = app.status in dom.RESERVING and bool(reserved)
    return facts


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
