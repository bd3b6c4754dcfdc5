"""Levy transfers: businesses register and apply; officers screen, rank and decide."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import public, require_organisation, roles
from levy.clock import today
from levy.domain import transfers as dom
from levy.domain.errors import DomainError
from levy.domain.money import format_money, parse_money
from levy.domain.months import financial_year
from levy.domain.rules import RULES
from levy.exports import xlsx_response
from levy.extensions import db
from levy.forms.transfers import (
    ApplicationForm,
    ApprenticesForm,
    ConfirmForm,
    DistrictForm,
    LocalShareForm,
    PolicyForm,
    RegistrationForm,
    TextForm,
    parse_windows,
    yes,
)
from levy.models import Organisation, Standard
from levy.models.transfers import OutboxMessage, TransferApplication
from levy.services import transfers as svc
from levy.services.audit import Actor
from levy.views import Card, home_card, nav

bp = Blueprint("transfers", __name__, url_prefix="/transfers")
OFFICERS = ("finance", "ld_team", "admin")
nav("Transfer applications", "transfers.queue", order=40)
nav("Your applications", "transfers.my_applications", order=20)
nav("Transfer allowance", "transfers.allowance", order=41)
nav("Outbox", "transfers.outbox", order=95)


def _actor() -> Actor:
    return Actor.of(current_user)


def get_application(app_id: int) -> TransferApplication:
    """The application, 404 if missing or another organisation's (for a business)."""
    app = db.get_or_404(TransferApplication, app_id)
    require_organisation(app.organisation_id)
    return app


def _done(message: str, app: TransferApplication) -> Response:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("transfers.view_application", app_id=app.id))


def _refused(exc: DomainError, app: TransferApplication) -> Response:
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(url_for("transfers.view_application", app_id=app.id))


# ------------------------------------------------------------------------------------------
# Public pages and registration
# ------------------------------------------------------------------------------------------


@bp.route("/")
@public
def about() -> str:
    """What the council funds and how to apply (no personal data)."""
    years = svc.years_with_transfers()
    summaries = [svc.report(y) for y in years[:3]]
    return render_template(
        "transfers/about.html",
        summaries=summaries,
        policy=svc.local_policy(),
        target_groups=dom.TARGET_GROUPS,
        districts=dom.COUNTY_DISTRICTS,
        min_months=RULES.value("programme.min_duration_months", today()),
        max_months=RULES.value("transfer.max_duration_months", today()),
    )


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> str | Response | tuple[str, int]:
    form = RegistrationForm()
    if form.validate_on_submit():
        reg = svc.Registration(
            contact_name=form.contact_name.data or "",
            email=form.email.data or "",
            password=form.password.data or "",
            legal_name=form.legal_name.data or "",
            company_number=form.company_number.data or "",
            charity_number=form.charity_number.data or "",
            address=form.address.data or "",
            postcode=form.postcode.data or "",
            employees=form.employees.data or 0,
            pays_levy=yes(form.pays_levy.data),
            is_vcse=yes(form.is_vcse.data),
            sector=form.sector.data or "",
            pays_rates_in_county=yes(form.pays_rates_in_county.data),
            serves_county_residents=yes(form.serves_county_residents.data),
        )
        try:
            user, _token = svc.register_business(reg)
        except DomainError as exc:
            db.session.rollback()
            form.legal_name.errors = [*form.legal_name.errors, str(exc)]
        else:
            db.session.commit()
            return render_template("transfers/registered.html", email=user.email)
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/register.html", form=form), status


@bp.route("/confirm/<token>")
@public
def confirm_email(token: str) -> Response:
    try:
        user = svc.confirm_email(token)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("transfers.register"))
    db.session.commit()
    flash(f"Thank you: {user.email} is confirmed. Sign in to apply.", "success")
    return redirect(url_for("account.login"))


# ------------------------------------------------------------------------------------------
# Businesses: applications
# ------------------------------------------------------------------------------------------


def _standards() -> list[Standard]:
    return list(db.session.execute(db.select(Standard).order_by(Standard.title)).scalars())


def _application_form(app: TransferApplication | None = None) -> ApplicationForm:
    form = ApplicationForm(obj=app) if app else ApplicationForm()
    form.standard.choices = [(0, "Choose a standard")] + [(s.id, s.label) for s in _standards()]
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
    standard = db.session.get(Standard, form.standard.data) if form.standard.data else None
    if standard is None:
        form.standard.errors = [*form.standard.errors, "Select the apprenticeship standard"]
        return None
    if form.planned_start.data and form.planned_start.data < today():
        form.planned_start.errors = [
            *form.planned_start.errors,
            "The planned start must be today or in the future: transfers fund new starts",
        ]
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
            try:
                app = svc.create_draft(org, current_user, data, _actor(), today())
            except DomainError as exc:
                db.session.rollback()
                form.standard.errors = [*form.standard.errors, str(exc)]
            else:
                db.session.commit()
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
            try:
                svc.update_draft(app, data, _actor())
            except DomainError as exc:
                db.session.rollback()
                form.standard.errors = [*form.standard.errors, str(exc)]
            else:
                db.session.commit()
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
        try:
            screening = svc.submit(app, _actor(), today())
        except DomainError as exc:
            return _refused(exc, app)
        message = f"Application {app.reference} submitted"
        if not screening.eligible:
            message += ": it does not meet every rule yet, so an officer will look at why"
        return _done(message, app)
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
    try:
        getattr(svc, action)(app, _actor(), today())
    except DomainError as exc:
        return _refused(exc, app)
    return _done(done.format(ref=app.reference), app)


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
        try:
            svc.respond_info(app, form.text.data or "", _actor(), today())
        except DomainError as exc:
            return _refused(exc, app)
        return _done("Your answer has been sent", app)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "transfers/text_form.html",
        form=form,
        app=app,
        title="Answer the request for information",
        question=app.info_request,
        button="Send answer",
    ), status


# ------------------------------------------------------------------------------------------
# Officers
# ------------------------------------------------------------------------------------------


@bp.route("/queue")
@roles(*OFFICERS)
def queue() -> str:
    rows = svc.queue()
    decided = svc.all_applications([s for s in dom.STATUSES if s not in (dom.DRAFT, dom.SUBMITTED)])
    return render_template(
        "transfers/queue.html", rows=rows, decided=decided[:50], form=ConfirmForm()
    )


@bp.route("/applications/<int:app_id>/approve", methods=["POST"])
@roles(*OFFICERS)
def approve(app_id: int) -> Response:
    app = get_application(app_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with svc.serialised_approvals():
        try:
            svc.approve(app.id, _actor(), today())
        except DomainError as exc:
            return _refused(exc, app)
        db.session.commit()
    return _done(
        f"Application {app.reference} approved: {format_money(app.reserved)} reserved", app
    )


def _officer_text(
    app_id: int, title: str, button: str, call: Any, done: str, label: str
) -> str | Response | tuple[str, int]:
    app = get_application(app_id)
    form = TextForm()
    form.text.label.text = label
    form.submit.label.text = button
    if form.validate_on_submit():
        try:
            call(app, form.text.data or "", _actor(), today())
        except DomainError as exc:
            return _refused(exc, app)
        return _done(done.format(ref=app.reference), app)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "transfers/text_form.html", form=form, app=app, title=title, question=None, button=button
    ), status


@bp.route("/applications/<int:app_id>/reject", methods=["GET", "POST"])
@roles(*OFFICERS)
def reject(app_id: int) -> str | Response | tuple[str, int]:
    return _officer_text(
        app_id,
        "Reject the application",
        "Reject",
        svc.reject,
        "Application {ref} rejected",
        "Reason (the business will see it)",
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
        try:
            svc.record_apprentices(
                app, form.count.data or 0, form.start.data or today(), _actor(), today()
            )
        except DomainError as exc:
            return _refused(exc, app)
        return _done(f"Apprentices recorded for {app.reference}", app)
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/apprentices.html", form=form, app=app), status


@bp.route("/businesses/<int:org_id>/district", methods=["GET", "POST"])
@roles(*OFFICERS)
def override_district(org_id: int) -> str | Response | tuple[str, int]:
    org = db.get_or_404(Organisation, org_id)
    profile = svc.get_profile(org)
    if profile is None:
        abort(404)
    form = DistrictForm()
    if not form.is_submitted():
        form.district.data = profile.district or ""
    if form.validate_on_submit():
        try:
            svc.override_district(
                profile, form.district.data or None, form.reason.data or "", _actor()
            )
        except DomainError as exc:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(exc)]
        else:
            db.session.commit()
            flash(f"District for {org.name} changed", "success")
            return redirect(url_for("transfers.queue"))
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/district.html", form=form, org=org, profile=profile), status


@bp.route("/allowance", methods=["GET", "POST"])
@roles(*OFFICERS)
def allowance() -> str | Response | tuple[str, int]:
    form = LocalShareForm()
    policy = svc.get_policy()
    if not form.is_submitted():
        form.percent.data = f"{Decimal(policy.local_share_bp) / 100:.2f}"
    if request.method == "POST" and current_user.role not in ("finance", "admin"):
        abort(403)
    if form.validate_on_submit():
        try:
            percent = Decimal((form.percent.data or "").strip().rstrip("%"))
        except InvalidOperation:
            percent = None
            form.percent.errors = [
                *form.percent.errors,
                "Enter the local share as a number, like 25",
            ]
        try:
            if percent is not None:
                svc.set_local_share(percent, _actor())
        except DomainError as exc:
            db.session.rollback()
            form.percent.errors = [*form.percent.errors, str(exc)]
        if percent is not None and not form.percent.errors:
            db.session.commit()
            flash("Local share saved", "success")
            return redirect(url_for("transfers.allowance"))
    years = [svc.year_allowance(y) for y in svc.allowance_years(today())]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "transfers/allowance.html",
        form=form,
        years=years,
        scoring=svc.current_scoring(),
        labels=dom.SCORE_LABELS,
    ), status


@bp.route("/policy", methods=["GET", "POST"])
@roles(*OFFICERS)
def policy() -> str | Response | tuple[str, int]:
    """The council's local rules: limits, levy payers, criteria, sectors, windows."""
    if request.method == "POST" and current_user.role not in ("finance", "admin"):
        abort(403)
    current = svc.get_policy()
    rules = svc.local_policy(current)
    form = PolicyForm()
    if not form.is_submitted():
        form.max_employees.data = current.max_employees
        form.max_applications_per_year.data = current.max_applications_per_year
        form.max_amount_per_year.data = (
            f"{current.max_amount_per_year:.2f}" if current.max_amount_per_year else ""
        )
        form.refuse_all_levy_payers.data = "yes" if current.refuse_all_levy_payers else "no"
        form.alternatives.data = svc.criteria_alternatives(current)
        form.growth_sectors.data = "\n".join(rules.growth_sectors)
        form.windows.data = "\n".join(
            f"{w.opens.isoformat()} to {w.closes.isoformat()}" for w in rules.windows
        )
    if form.validate_on_submit():
        amount = (form.max_amount_per_year.data or "").strip()
        settings = svc.PolicySettings(
            max_employees=form.max_employees.data or 0,
            refuse_all_levy_payers=yes(form.refuse_all_levy_payers.data),
            max_applications_per_year=form.max_applications_per_year.data,
            max_amount_per_year=parse_money(amount) if amount else None,
            alternatives=list(form.alternatives.data or []),
            growth_sectors=(form.growth_sectors.data or "").splitlines(),
            windows=parse_windows(form.windows.data or ""),
        )
        try:
            svc.update_policy(settings, _actor())
        except DomainError as exc:
            db.session.rollback()
            form.alternatives.errors = [*form.alternatives.errors, str(exc)]
        else:
            db.session.commit()
            flash("Local rules saved", "success")
            return redirect(url_for("transfers.policy"))
    status = 400 if request.method == "POST" else 200
    return render_template("transfers/policy.html", form=form), status


@bp.route("/weights", methods=["GET", "POST"])
@roles(*OFFICERS)
def weights() -> str | Response | tuple[str, int]:
    form = ConfirmForm()
    scoring = svc.current_scoring()
    errors: list[str] = []
    if request.method == "POST" and current_user.role != "admin":
        abort(403)
    if form.validate_on_submit():
        try:
            row = svc.save_weights(
                {c: request.form.get(c, "0") for c in dom.SCORE_LABELS}, _actor()
            )
        except DomainError as exc:
            db.session.rollback()
            errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Scoring weights saved as version {row.version}", "success")
            return redirect(url_for("transfers.weights"))
    status = 400 if errors else 200
    return render_template(
        "transfers/weights.html", form=form, scoring=scoring, labels=dom.SCORE_LABELS, errors=errors
    ), status


# financial years the levy can have (it began in April 2017)
FIRST_YEAR, LAST_YEAR = 2017, 2100


@bp.route("/reports")
@roles(*OFFICERS)
def reports() -> str:
    years = svc.years_with_transfers()
    year = request.args.get("year", type=int)
    if not (year and FIRST_YEAR <= year <= LAST_YEAR):
        year = years[0] if years else financial_year(today()).start.year
    return render_template(
        "transfers/reports.html", report=svc.report(year), year=year, years=years
    )


@bp.route("/reports/<int:year>.xlsx")
@roles(*OFFICERS)
def report_xlsx(year: int) -> Response:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    report = svc.report(year)
    apps = [
        (
            a.reference,
            a.organisation.name,
            a.standard_title,
            a.level,
            a.apprentices_taken or 0,
            ", ".join(dom.TARGET_GROUPS.get(g, g) for g in a.target_groups or ()),
            amount,
        )
        for a, amount in report.rows
    ]
    return xlsx_response(
        f"levy-transfers-{report.year_label}.xlsx",
        {
            "Summary": (
                ["Year", "Transferred", "Businesses", "Apprenticeships"],
                [
                    (
                        report.year_label,
                        report.transferred,
                        report.businesses,
                        report.apprenticeships,
                    )
                ],
            ),
            "Applications": (
                [
                    "Reference",
                    "Business",
                    "Standard",
                    "Level",
                    "Apprentices",
                    "Open to",
                    "Transferred",
                ],
                apps,
            ),
            "By district": (["District", "Transferred"], list(report.by_district.items())),
            "By sector": (["Sector", "Transferred"], list(report.by_sector.items())),
            "By level": (["Level", "Transferred"], list(report.by_level.items())),
            "By target group": (
                ["Open to", "Apprenticeships"],
                list(report.by_target_group.items()),
            ),
        },
    )


@bp.route("/outbox")
@roles("admin")
def outbox() -> str:
    messages = (
        db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200))
        .scalars()
        .all()
    )
    return render_template("transfers/outbox.html", messages=messages)


# ------------------------------------------------------------------------------------------
# Home cards
# ------------------------------------------------------------------------------------------


@home_card(40, "finance", "ld_team", "admin")
def transfer_cards(user: Any) -> list[Card]:
    year = financial_year(today()).start.year
    a = svc.year_allowance(year)
    waiting = len(svc.queue())
    return [
        Card(
            f"Transfer allowance {a.year.label}",
            format_money(a.remaining, pence=False),
            f"left of {format_money(a.cap, pence=False)} ({format_money(a.paid, pence=False)} "
            f"paid, {format_money(a.committed, pence=False)} committed)",
            url_for("transfers.allowance"),
            "See the allowance",
            warning=a.remaining < 0,
        ),
        Card(
            "Transfer applications waiting",
            str(waiting),
            "Ranked by score",
            url_for("transfers.queue"),
            "Open the queue",
        ),
    ]


@home_card(20, "employer")
def employer_cards(user: Any) -> list[Card]:
    org = user.organisation
    if org is None:
        return []
    apps = svc.applications_for(org.id)
    live = [a for a in apps if a.status not in dom.FINAL]
    return [
        Card(
            "Your transfer applications",
            str(len(live)),
            f"{len(apps)} in all",
            url_for("transfers.my_applications"),
            "See your applications",
        )
    ]
