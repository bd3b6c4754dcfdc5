"""The council's transfer settings: the allowance and local share (finance), the local
rules (finance and admins) and the scoring weights (admins)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.clock import today
from levy.domain import transfers as dom
from levy.domain.money import parse_money
from levy.forms.transfers import ConfirmForm, LocalShareForm, PolicyForm, parse_windows, yes
from levy.services import transfers as svc
from levy.transaction import transaction
from levy.views.transfers.common import OFFICERS, actor, bp


def _percent(form: LocalShareForm) -> Decimal | None:
    """The typed local share as a number, or None with the message on the field."""
    try:
        return Decimal((form.percent.data or "").strip().rstrip("%"))
    except InvalidOperation:
        form.percent.errors = [*form.percent.errors, "Enter the local share as a number, like 25"]
        return None


@bp.route("/allowance", methods=["GET", "POST"])
@roles(*OFFICERS)
def allowance() -> str | Response | tuple[str, int]:
    form = LocalShareForm()
    policy = svc.get_policy()
    if not form.is_submitted():
        form.percent.data = svc.local_percent(policy)
    if request.method == "POST" and current_user.role not in ("finance", "admin"):
        abort(403)
    if form.validate_on_submit():
        percent = _percent(form)
        if percent is not None:
            with transaction(form, field="percent") as tx:
                svc.set_local_share(percent, actor())
            if tx.ok:
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
        with transaction(form, field="alternatives") as tx:
            svc.update_policy(settings, actor())
        if tx.ok:
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
        typed = {c: request.form.get(c, "0") for c in dom.SCORE_LABELS}
        with transaction(catch=True) as tx:
            row = svc.save_weights(typed, actor())
        if tx.ok:
            flash(f"Scoring weights saved as version {row.version}", "success")
            return redirect(url_for("transfers.weights"))
        errors.append(str(tx.error))
    status = 400 if errors else 200
    return render_template(
        "transfers/weights.html", form=form, scoring=scoring, labels=dom.SCORE_LABELS, errors=errors
    ), status
