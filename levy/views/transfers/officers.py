"""Officers' pages: the ranked queue, approval, rejection, requests for information,
recording the apprentices taken on, and a business's district."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.clock import today
from levy.domain import transfers as dom
from levy.domain.money import format_money
from levy.forms.transfers import ApprenticesForm, ConfirmForm, DistrictForm, TextForm
from levy.services import transfers as svc
from levy.transaction import serialised, transaction
from levy.views.transfers.common import (
    OFFICERS,
    actor,
    back_to,
    bp,
    confirmation,
    get_application,
)


@bp.route("/queue")
@roles(*OFFICERS)
def queue() -> str:
    rows = svc.queue()
    decided = svc.all_applications(
        [s for s in dom.STATUSES if s not in (dom.DRAFT, dom.SUBMITTED)], limit=50
    )
    return render_template("transfers/queue.html", rows=rows, decided=decided, form=ConfirmForm())


@bp.route("/applications/<int:app_id>/approve", methods=["GET", "POST"])
@roles(*OFFICERS)
def approve(app_id: int) -> str | Response:
    """GET: "Are you sure?" with the money it reserves; POST: approve and reserve."""
    app = get_application(app_id)
    if request.method == "GET":
        try:
            dom.transition(app.status, "approve", dom.OFFICER)
        except dom.TransitionNotAllowed as refused:
            flash(str(refused), "error")
            return redirect(url_for("transfers.view_application", app_id=app.id))
        return render_template(
            "transfers/confirm.html", app=app, form=ConfirmForm(), **confirmation(app, "approve")
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with serialised(), transaction(catch=True) as tx:
        svc.approve(app_id, actor(), today())
    return back_to(
        app,
        tx,
        lambda: f"Application {app.reference} approved: {format_money(app.reserved)} reserved",
    )


def _officer_text(
    app_id: int,
    title: str,
    button: str,
    call: Callable[..., Any],
    done: str,
    label: str,
    consequence: str = "",
) -> str | Response | tuple[str, int]:
    app = get_application(app_id)
    form = TextForm()
    form.text.label.text = label
    form.submit.label.text = button
    if form.validate_on_submit():
        with transaction(catch=True) as tx:
            call(app, form.text.data or "", actor(), today())
        return back_to(app, tx, lambda: done.format(ref=app.reference))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "transfers/text_form.html",
        form=form,
        app=app,
        title=title.format(ref=app.reference),
        question=None,
        button=button,
        consequence=consequence,
    ), status


@bp.route("/applications/<int:app_id>/reject", methods=["GET", "POST"])
@roles(*OFFICERS)
def reject(app_id: int) -> str | Response | tuple[str, int]:
    return _officer_text(
        app_id,
        "Are you sure you want to reject {ref}?",
        "Yes, reject it",
        svc.reject,
        "Application {ref} rejected. The business has been told why.",
        "Reason (the business will see it)",
        "The business will be told by email, with your reason. Nothing has been reserved "
        "for it, so the allowance does not change. A rejection is final: the business "
        "would have to apply again.",
    )


@bp.route("/applications/<int:app_id>/request-info", methods=["GET", "POST"])
@roles(*OFFICERS)
def request_info(app_id: int) -> str | Response | tuple[str, int]:
    return _officer_text(
        app_id,
        "Ask for more information",
        "Send request",
        svc.request_info,
        "Request sent for {ref}",
        "What do you need to know?",
    )


@bp.route("/applications/<int:app_id>/apprentices", methods=["GET", "POST"])
@roles(*OFFICERS)
def record_apprentices(app_id: int) -> str | Response | tuple[str, int]:
    app = get_application(app_id)
    form = ApprenticesForm()
    if not form.is_submitted():
        form.count.data = app.apprentices
        form.start.data = app.planned_start
    if form.validate_on_submit():
        with transaction(catch=True) as tx:
            svc.record_apprentices(
                app, form.count.data or 0, form.start.data or today(), actor(), today()
            )
        return back_to(app, tx, lambda: f"Apprentices recorded for {app.reference}")
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/apprentices.html", form=form, app=app), status


@bp.route("/businesses/<int:org_id>/district", methods=["GET", "POST"])
@roles(*OFFICERS)
def override_district(org_id: int) -> str | Response | tuple[str, int]:
    found = svc.find_business(org_id)
    if found is None:
        abort(404)
    org, profile = found
    form = DistrictForm()
    if not form.is_submitted():
        form.district.data = profile.district or ""
    if form.validate_on_submit():
        with transaction(form, field="reason") as tx:
            svc.override_district(
                profile, form.district.data or None, form.reason.data or "", actor()
            )
        if tx.ok:
            flash(f"District for {org.name} changed", "success")
            return redirect(url_for("transfers.queue"))
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/district.html", form=form, org=org, profile=profile), status
