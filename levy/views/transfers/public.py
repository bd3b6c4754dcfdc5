"""Public transfers pages: what the council funds, registration, email confirmation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from levy.auth import public
from levy.clock import today
from levy.domain import transfers as dom
from levy.domain.rules import RULES
from levy.forms.transfers import RegistrationForm, yes
from levy.services import transfers as svc
from levy.transaction import transaction
from levy.views.transfers.common import bp


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
    policy = svc.local_policy()
    others = [s for s in ("Retail", "Other") if not dom.is_priority_sector(s, policy)]
    form.sector.choices = [("", "Choose a sector")] + [
        (s, s) for s in (*policy.growth_sectors, *others)
    ]
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
        with transaction(form, field="legal_name") as tx:
            user, _token = svc.register_business(reg)
        if tx.ok:
            return render_template(
                "transfers/registered.html",
                email=user.email,
                notes=dom.registration_notes(reg.sector, policy),
            )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "transfers/register.html",
        form=form,
        policy=policy,
        sector_required=dom.sector_required(policy),
    ), status


@bp.route("/confirm/<token>")
@public
def confirm_email(token: str) -> Response:
    with transaction(catch=True) as tx:
        user = svc.confirm_email(token)
    if tx.error is not None:
        flash(str(tx.error), "error")
        return redirect(url_for("transfers.register"))
    flash(f"Thank you: {user.email} is confirmed. Sign in to apply.", "success")
    return redirect(url_for("account.login"))
