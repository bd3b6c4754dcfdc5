"""A business's transfer applications: drafts, the check-and-submit page, the application
page, and its answers to an offer or a request for information."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.clock import today
from levy.domain import transfers as dom
from levy.domain.months import financial_year
from levy.forms.transfers import ApplicationForm, ConfirmForm, TextForm, yes
from levy.models.transfers import TransferApplication
from levy.services import transfers as svc
from levy.transaction import transaction
from levy.views.transfers.common import OFFICERS, actor, back_to, bp, get_application


def _application_form(app: TransferApplication | None = None) -> ApplicationForm:
    form = ApplicationForm(obj=app) if app else ApplicationForm()
    form.standard.choices = [(0, "Choose a standard")] + [(s.id, s.label) for s in svc.standards()]
    if app is not None and not form.is_submitted():
        form.standard.data = app.standard_id or 0
        form.provider_in_county.data = "yes" if app.provider_in_county else "no"
        form.new_start.data = "yes" if app.new_start else "no"
        form.target_groups.data = list(app.target_groups or [])
    if app is None and not form.is_submitted():
        form.contact_name.data = current_user.name
        form.contact_email.data = current_user.email
    return form


def _data(form: ApplicationForm) -> svc.ApplicationData | None:
    standard = svc.find_standard(form.standard.data)
    if standard is None:
        form.standard.errors = [*form.standard.errors, "Select the apprenticeship standard"]
        return None
    return svc.ApplicationData(
        standard=standard,
        apprentices=form.apprentices.data or 0,
        planned_start=form.planned_start.data or today(),
        provider_name=form.provider_name.data or "",
        provider_in_county=yes(form.provider_in_county.data),
        new_start=yes(form.new_start.data),
        target_groups=list(form.target_groups.data or []),
        social_value=form.social_value.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
    )


@bp.route("/my")
@roles("employer")
def my_applications() -> str:
    org = current_user.organisation
    apps = svc.applications_for(org.id) if org else []
    return render_template("transfers/my_applications.html", apps=apps, org=org)


@bp.route("/applications/new", methods=["GET", "POST"])
@roles("employer")
def new_application() -> str | Response | tuple[str, int]:
    org = current_user.organisation
    if org is None or svc.get_profile(org) is None:
        flash("Your organisation has not registered its details for transfers", "error")
        return redirect(url_for("transfers.my_applications"))
    form = _application_form()
    if form.validate_on_submit():
        data = _data(form)
        if data is not None:
            with transaction(form, field="standard") as tx:
                app = svc.create_draft(org, current_user, data, actor(), today())
            if tx.ok:
                flash(f"Draft {app.reference} saved", "success")
                return redirect(url_for("transfers.check_application", app_id=app.id))
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/application_form.html", form=form, app=None), status


@bp.route("/applications/<int:app_id>/edit", methods=["GET", "POST"])
@roles("employer")
def edit_application(app_id: int) -> str | Response | tuple[str, int]:
    app = get_application(app_id)
    if app.status != dom.DRAFT:
        flash(f"You cannot change an application that is {app.status}.", "error")
        return redirect(url_for("transfers.view_application", app_id=app.id))
    form = _application_form(app)
    if form.validate_on_submit():
        data = _data(form)
        if data is not None:
            with transaction(form, field="standard") as tx:
                svc.update_draft(app, data, actor(), today())
            if tx.ok:
                flash("Draft saved", "success")
                return redirect(url_for("transfers.check_application", app_id=app.id))
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/application_form.html", form=form, app=app), status


@bp.route("/applications/<int:app_id>/check", methods=["GET", "POST"])
@roles("employer")
def check_application(app_id: int) -> str | Response:
    app = get_application(app_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with transaction(catch=True) as tx:
            screening = svc.submit(app, actor(), today())

        def done() -> str:
            message = f"Application {app.reference} submitted"
            if not screening.eligible:
                message += ": it does not meet every rule yet, so an officer will look at why"
            return message

        return back_to(app, tx, done)
    cost = svc.application_rules(app).cost()
    return render_template(
        "transfers/check.html",
        app=app,
        form=form,
        cost=cost,
        words=dom.word_count(app.social_value),
        target_groups=dom.TARGET_GROUPS,
    )


@bp.route("/applications/<int:app_id>")
@roles("employer", *OFFICERS)
def view_application(app_id: int) -> str:
    app = get_application(app_id)
    officer = current_user.role in OFFICERS
    allowance = svc.year_allowance(financial_year(app.planned_start).start.year)
    profile = svc.get_profile(app.organisation)
    deadline = None
    if app.status == dom.APPROVED and app.approved_on:
        deadline = ("Accept the offer by", dom.auto_decline_on(app.approved_on) - timedelta(days=1))
    elif app.status == dom.ACCEPTED and app.accepted_on:
        deadline = (
            "Tell us your apprentices have started by",
            dom.funds_expire_on(app.accepted_on) - timedelta(days=1),
        )
    elif app.status == dom.SUBMITTED and app.submitted_on:
        deadline = ("We will decide by", dom.auto_reject_on(app.submitted_on) - timedelta(days=1))
    return render_template(
        "transfers/application.html",
        deadline=deadline,
        app=app,
        officer=officer,
        allowance=allowance,
        profile=profile,
        form=ConfirmForm(),
        target_groups=dom.TARGET_GROUPS,
        actions=dom.allowed_actions(app.status, dom.OFFICER if officer else dom.APPLICANT),
    )


def _applicant_action(app_id: int, action: str, done: str) -> Response:
    app = get_application(app_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with transaction(catch=True) as tx:
        getattr(svc, action)(app, actor(), today())
    return back_to(app, tx, lambda: done.format(ref=app.reference))


@bp.route("/applications/<int:app_id>/accept", methods=["POST"])
@roles("employer")
def accept(app_id: int) -> Response:
    return _applicant_action(app_id, "accept", "You accepted the offer for {ref}")


@bp.route("/applications/<int:app_id>/decline", methods=["POST"])
@roles("employer")
def decline(app_id: int) -> Response:
    return _applicant_action(app_id, "decline", "You declined the offer for {ref}")


@bp.route("/applications/<int:app_id>/withdraw", methods=["POST"])
@roles("employer")
def withdraw(app_id: int) -> Response:
    return _applicant_action(app_id, "withdraw", "Application {ref} withdrawn")


@bp.route("/applications/<int:app_id>/respond", methods=["GET", "POST"])
@roles("employer")
def respond(app_id: int) -> str | Response | tuple[str, int]:
    app = get_application(app_id)
    form = TextForm()
    if form.validate_on_submit():
        with transaction(catch=True) as tx:
            svc.respond_info(app, form.text.data or "", actor(), today())
        return back_to(app, tx, lambda: "Your answer has been sent")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "transfers/text_form.html",
        form=form,
        app=app,
        title="Answer the request for information",
        question=app.info_request,
        button="Send answer",
    ), status
