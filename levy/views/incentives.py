"""Incentive claims (issue 7, 4-5): what to apply for, what is due, what was missed.

The L&D team marks applications and payments (one or several at once); HR and finance
read. Statuses come from the domain on the as-of date (``?as_of=YYYY-MM-DD``, else the
``LEVY_AS_OF`` setting, else today).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy import clock
from levy.auth import INCENTIVE_READERS, INCENTIVE_WRITERS, roles
from levy.domain import incentives as inc
from levy.domain.errors import DomainError, Problems
from levy.domain.fields import PROGRAMME_DATES, FieldError, parse_amount, parse_day, parse_int
from levy.domain.money import format_money
from levy.exports import xlsx_response
from levy.models import User
from levy.services import incentives as service
from levy.services.audit import Actor
from levy.transaction import transaction
from levy.views import Card, as_of_date, home_card, nav

bp = Blueprint("incentives", __name__, url_prefix="/incentives")
nav("Incentive claims", "incentives.claims", order=40)

READERS = INCENTIVE_READERS
WRITERS = INCENTIVE_WRITERS


@bp.route("/")
@roles(*READERS)
def claims() -> str:
    as_of = as_of_date()
    result = service.claims_due(as_of)
    return render_template(
        "incentives/claims.html",
        result=result,
        as_of=as_of,
        schemes=inc.SCHEME_NAMES,
    )


def _back(as_of: date) -> Response:
    return redirect(url_for("incentives.claims", as_of=as_of.isoformat()))


def _date_field(name: str, label: str) -> date | None:
    text = (request.form.get(name) or "").strip()
    if not text:
        flash(f"Enter the {label}, like 2021-03-31")
        return None
    try:
        return parse_day(text, within=PROGRAMME_DATES)
    except FieldError as exc:
        flash(f"{label.capitalize()}: {exc}")
        return None


def _flash_refusal(error: DomainError, nothing_done: str) -> None:
    for _, message in error.problems:
        flash(message)
    if isinstance(error, Problems):
        flash(nothing_done)


@bp.route("/apply", methods=["POST"])
@roles(*WRITERS)
def bulk_apply() -> Response:
    """Mark the ticked claims as applied (all or nothing)."""
    as_of = as_of_date()
    keys = request.form.getlist("claim")
    on = _date_field("applied_on", "date applied")
    reference = (request.form.get("claim_reference") or "").strip()
    if not keys:
        flash("Tick at least one claim to mark as applied")
        return _back(as_of)
    if on is None:
        return _back(as_of)
    with transaction(catch=True) as tx:
        done = service.apply_claims(keys, on, reference, Actor.of(current_user), clock.today())
    if tx.error:
        _flash_refusal(tx.error, "Nothing was marked as applied: fix the problems and try again")
        return _back(as_of)
    flash(f"{done} claim{'s' if done != 1 else ''} marked as applied", "success")
    return _back(as_of)


@bp.route("/paid", methods=["POST"])
@roles(*WRITERS)
def bulk_paid() -> Response:
    """Mark the ticked instalments as paid with their expected amounts (all or nothing)."""
    as_of = as_of_date()
    keys = request.form.getlist("instalment")
    on = _date_field("paid_on", "date paid")
    if not keys:
        flash("Tick at least one instalment to mark as paid")
        return _back(as_of)
    if on is None:
        return _back(as_of)
    with transaction(catch=True) as tx:
        done = service.pay_instalments(keys, on, Actor.of(current_user), clock.today())
    if tx.error:
        _flash_refusal(tx.error, "Nothing was marked as paid: fix the problems and try again")
        return _back(as_of)
    flash(f"{done} instalment{'s' if done != 1 else ''} marked as paid", "success")
    return _back(as_of)


@bp.route("/claims.xlsx")
@roles(*READERS)
def export() -> Response:
    as_of = as_of_date()
    return xlsx_response(
        f"incentive-claims-{as_of.isoformat()}.xlsx",
        {"Claims": (service.EXPORT_HEADER, service.export_rows(as_of))},
    )


def _apprentice_or_404(reference: str) -> Any:
    found = service.apprentice_called(reference)
    if found is None:
        abort(404)
    return found


@bp.route("/apprentices/<reference>")
@roles(*READERS)
def apprentice(reference: str) -> str:
    """One apprentice's schemes, applications and instalments, with the reasons."""
    found = _apprentice_or_404(reference)
    as_of = as_of_date()
    (item,) = service.schemes_for([found], as_of)
    return render_template(
        "incentives/apprentice.html",
        apprentice=found,
        records=item.records,
        as_of=as_of,
        schemes=inc.SCHEME_NAMES,
        days_left=inc.days_left_to_apply,
    )


@bp.route("/apprentices/<reference>/apply", methods=["POST"])
@roles(*WRITERS)
def apply_one(reference: str) -> Response:
    found = _apprentice_or_404(reference)
    scheme = request.form.get("scheme", "")
    on = _date_field("applied_on", "date applied")
    if on is not None:
        with transaction(catch=True) as tx:
            service.record_application(
                found,
                scheme,
                on,
                request.form.get("claim_reference", ""),
                Actor.of(current_user),
                clock.today(),
            )
        if tx.error:
            flash(str(tx.error))
        else:
            flash(f"{inc.SCHEME_NAMES.get(scheme, scheme)}: application recorded", "success")
    return redirect(url_for("incentives.apprentice", reference=reference))


@bp.route("/apprentices/<reference>/paid", methods=["POST"])
@roles(*WRITERS)
def paid_one(reference: str) -> Response:
    found = _apprentice_or_404(reference)
    scheme = request.form.get("scheme", "")
    on = _date_field("paid_on", "date paid")
    try:
        number = parse_int(request.form.get("instalment", "0"), minimum=0, maximum=100)
        amount = parse_amount(request.form.get("amount", ""))
    except FieldError as exc:
        flash(f"Amount: {exc}")
        on = None
    if on is not None:
        with transaction(catch=True) as tx:
            service.record_payment(
                found, scheme, number, on, amount, Actor.of(current_user), clock.today()
            )
        if tx.error:
            flash(str(tx.error))
        else:
            flash(f"Instalment {number} of {scheme} recorded as paid", "success")
    return redirect(url_for("incentives.apprentice", reference=reference))


@home_card(30, *INCENTIVE_READERS)
def incentive_cards(user: User) -> list[Card]:
    claimed = service.claimed_so_far()
    as_of = as_of_date()
    due = service.claims_due(as_of)
    closing = [c for c in due.to_apply if c.days_left is not None and c.days_left <= 30]
    return [
        Card(
            "Incentive payments claimed",
            str(claimed.applications),
            f"{format_money(claimed.received, pence=False)} received so far",
            url_for("incentives.claims"),
            "See claims due",
        ),
        Card(
            "Incentive claims to act on",
            str(len(due.to_apply) + len(due.due)),
            f"{len(due.to_apply)} to apply for ({len(closing)} windows close within 30 days), "
            f"{len(due.due)} instalments due and not received, {len(due.missed)} missed",
            url_for("incentives.claims", as_of=as_of.isoformat()),
            "See claims due",
            warning=bool(closing or due.missed),
        ),
    ]
