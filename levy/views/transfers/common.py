"""The transfers blueprint, its navigation entries and the helpers its pages share."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import require_organisation
from levy.models.transfers import TransferApplication
from levy.services import transfers as svc
from levy.services.audit import Actor
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
