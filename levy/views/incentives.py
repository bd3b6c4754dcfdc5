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
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.domain.fields import (
    EVERY_DATE,
    PROGRAMME_DATES,
    FieldError,
    parse_amount,
    parse_day,
    parse_int,
)
from levy.domain.money import format_money
from levy.domain.months import format_day
from levy.exports import xlsx_response
from levy.models import User
from levy.services import incentives as service
from levy.services.incentive_counts import home_figures
from levy.services.paging import paginate_list
from levy.transaction import transaction
from levy.views import Card, as_of_date, home_card, nav

bp = Blueprint("incentives", __name__, url_prefix="/incentives")
nav("Incentive claims", "incentives.claims", order=40)

READERS = INCENTIVE_READERS
WRITERS = INCENTIVE_WRITERS


FieldProblems = list[tuple[str, str]]  # (id of the input, message)


def _as_of(problems: FieldProblems) -> date:
    """``?as_of=`` or today; a value that is not a date is put on the field."""
    text = (request.values.get("as_of") or "").strip()
    if text:
        try:
            return parse_day(text)
        except FieldError:
            problems.append(("as_of", f"'{text}' is not a date: write it like 2021-03-31"))
    return clock.today()


def _claims_page(
    as_of: date, problems: FieldProblems, *, posted: dict[str, Any] | None = None, failed: str = ""
) -> str:
    filters, filter_problems = service.claim_filters(request.args)
    problems = [*problems, *filter_problems]
    result = service.claims_due(as_of)
    sections = service.filtered_sections(result, filters)
    pages = {
        name: paginate_list(lines, request.args.get(f"{name}_page", 1, type=int))
        for name, lines in sections.items()
    }
    return render_template(
        "incentives/claims.html",
        result=result,
        pages=pages,
        sections=service.CLAIM_SECTIONS,
        filters=filters,
        args={k: v for k, v in request.args.items() if not k.endswith("_page")},
        problems=problems,
        field_errors=dict(reversed(problems)),
        failed=failed,
        posted=posted or {},
        as_of=as_of,
        schemes=inc.SCHEME_NAMES,
        can_edit=current_user.role in WRITERS,
    )


@bp.route("/")
@roles(*READERS)
def claims() -> str:
    problems: FieldProblems = []
    as_of = _as_of(problems)
    return _claims_page(as_of, problems)


def _back(as_of: date) -> Response:
    return redirect(url_for("incentives.claims", as_of=as_of.isoformat()))


def _date_field(
    name: str, label: str, problems: FieldProblems, field_id: str | None = None
) -> date | None:
    """The date typed in ``name``; a blank or a non-date is put on the field."""
    text = (request.form.get(name) or "").strip()
    if not text:
        problems.append((field_id or name, f"Enter the {label}, like 2021-03-31"))
        return None
    try:
        day = parse_day(text, within=EVERY_DATE)
    except FieldError:
        problems.append(
            (field_id or name, f"'{text}' is not a date: enter the {label} like 2021-03-31")
        )
        return None
    try:
        return PROGRAMME_DATES.check(day, label.capitalize())
    except FieldError as exc:
        problems.append((field_id or name, str(exc)))
        return None


def _key_id(prefix: str, key: str) -> str:
    return f"{prefix}-{key.replace(':', '-')}"


@bp.route("/apply", methods=["POST"])
@roles(*WRITERS)
def bulk_apply() -> Response | str:
    """Mark the ticked claims as applied (all or nothing); every problem reported at once."""
    problems: FieldProblems = []
    as_of = _as_of(problems)
    keys = request.form.getlist("claim")
    reference = (request.form.get("claim_reference") or "").strip()
    posted = {"claim": keys, "applied_on": request.form.get("applied_on", ""),
              "claim_reference": reference}  # fmt: skip
    if not keys:
        problems.append(("claim", "Tick at least one claim to mark as applied"))
    on = _date_field("applied_on", "date applied", problems)
    done = 0
    if on is not None and not problems:
        with transaction(catch=True) as tx:
            done = service.apply_claims(keys, on, reference, Actor.of(current_user), clock.today())
        if tx.error:
            problems.extend(
                (_key_id("claim", key) if key else "claim", message)
                for key, message in tx.error.problems
            )
    if problems:
        return _claims_page(
            as_of, problems, posted=posted,
            failed="Nothing was marked as applied: fix the problems and try again",
        )  # fmt: skip
    flash(f"{done} claim{'s' if done != 1 else ''} marked as applied", "success")
    return _back(as_of)


@bp.route("/paid", methods=["POST"])
@roles(*WRITERS)
def bulk_paid() -> Response | str:
    """Mark the ticked instalments as paid with their expected amounts (all or nothing)."""
    problems: FieldProblems = []
    as_of = _as_of(problems)
    keys = request.form.getlist("instalment")
    posted = {"instalment": keys, "paid_on": request.form.get("paid_on", "")}
    if not keys:
        problems.append(("instalment", "Tick at least one instalment to mark as paid"))
    on = _date_field("paid_on", "date received", problems)
    done = 0
    if on is not None and not problems:
        with transaction(catch=True) as tx:
            done = service.pay_instalments(keys, on, Actor.of(current_user), clock.today())
        if tx.error:
            problems.extend(
                (_key_id("instalment", key) if key else "instalment", message)
                for key, message in tx.error.problems
            )
    if problems:
        return _claims_page(
            as_of, problems, posted=posted,
            failed="Nothing was marked as paid: fix the problems and try again",
        )  # fmt: skip
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
    try:
        return service.find_apprentice(reference)
    except DomainError:
        abort(404)


def _apprentice_page(found: Any, as_of: date, problems: FieldProblems | None = None) -> str:
    (item,) = service.schemes_for([found], as_of)
    return render_template(
        "incentives/apprentice.html",
        apprentice=found,
        records=item.records,
        as_of=as_of,
        schemes=inc.SCHEME_NAMES,
        can_edit=current_user.role in WRITERS,
        days_left=inc.days_left_to_apply,
        problems=problems or [],
        field_errors=dict(reversed(problems or [])),
        posted=request.form if problems else {},
    )


@bp.route("/apprentices/<reference>")
@roles(*READERS)
def apprentice(reference: str) -> str:
    """One apprentice's schemes, applications and instalments, with the reasons."""
    found = _apprentice_or_404(reference)
    return _apprentice_page(found, as_of_date())


def _name(found: Any) -> str:
    return f"{found.first_name} {found.last_name}"


@bp.route("/apprentices/<reference>/apply", methods=["POST"])
@roles(*WRITERS)
def apply_one(reference: str) -> Response | str:
    found = _apprentice_or_404(reference)
    scheme = request.form.get("scheme", "")
    problems: FieldProblems = []
    on = _date_field("applied_on", "date applied", problems, f"applied_on-{scheme}")
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
            problems.append((f"applied_on-{scheme}", str(tx.error)))
    if problems:
        return _apprentice_page(found, as_of_date(), problems)
    flash(
        f"The application for the {inc.SCHEME_NAMES.get(scheme, scheme)} is recorded for "
        f"{_name(found)} ({format_day(on)})",
        "success",
    )
    return redirect(
        url_for("incentives.apprentice", reference=reference, as_of=request.form.get("as_of"))
    )


@bp.route("/apprentices/<reference>/paid", methods=["POST"])
@roles(*WRITERS)
def paid_one(reference: str) -> Response | str:
    found = _apprentice_or_404(reference)
    scheme = request.form.get("scheme", "")
    problems: FieldProblems = []
    on = _date_field("paid_on", "date received", problems, f"paid_on-{scheme}")
    try:
        number = parse_int(request.form.get("instalment", "0"), minimum=0, maximum=100)
    except FieldError:
        number = 0
        problems.append((f"paid_on-{scheme}", "That is not an instalment: reload the page"))
    amount = None
    try:
        amount = parse_amount(request.form.get("amount", ""))
    except FieldError as exc:
        problems.append((f"amount-{scheme}", f"Amount received: {exc}"))
    if on is not None and amount is not None and not problems:
        with transaction(catch=True) as tx:
            service.record_payment(
                found, scheme, number, on, amount, Actor.of(current_user), clock.today()
            )
        if tx.error:
            problems.append((f"paid_on-{scheme}", str(tx.error)))
    if problems:
        return _apprentice_page(found, as_of_date(), problems)
    flash(
        f"Instalment {number} of the {inc.SCHEME_NAMES.get(scheme, scheme)} is recorded as "
        f"paid: {format_money(amount)} on {format_day(on)}",
        "success",
    )
    return redirect(
        url_for("incentives.apprentice", reference=reference, as_of=request.form.get("as_of"))
    )


@home_card(30, *INCENTIVE_READERS)
def incentive_cards(user: User) -> list[Card]:
    as_of = as_of_date()
    # counted in SQL: the same figures as claimed_so_far() and claims_due(as_of)
    claimed, due = home_figures(as_of)
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
            str(due.to_apply + due.due),
            f"{due.to_apply} to apply for ({due.closing} windows close within 30 days), "
            f"{due.due} instalments due and not received, {due.missed} missed",
            url_for("incentives.claims", as_of=as_of.isoformat()),
            "See claims due",
            warning=bool(due.closing or due.missed),
        ),
    ]
