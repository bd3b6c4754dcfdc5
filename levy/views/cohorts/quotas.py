"""Each directorate's fair share of starts, the method finance chooses, and the downloads."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.domain.accounts import Actor
from levy.domain.money import format_percent
from levy.domain.months import financial_year, year_label
from levy.domain.quotas import QuotaMethod, rag_rule_text, shortfall_text, whole_people
from levy.exports import xlsx_response
from levy.forms.cohorts import QuotaMethodForm
from levy.services import cohorts as service
from levy.transaction import transaction
from levy.views import Card, home_card
from levy.views.cohorts import READERS, bp, directorate_or_404, scope, today


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2017 <= year <= 2100 else financial_year(today()).start.year


@home_card(21, "directorate_manager")
def quota_cards(user: Any) -> list[Card]:
    """This financial year's quota and RAG of each of the manager's directorates (nothing
    about care leavers or any other area)."""
    year = financial_year(today()).start.year
    ids = [d.id for d in user.directorates]
    if not ids:
        return []
    cards = []
    for line in service.quotas(year, today(), ids):
        reading = line.reading
        assert reading is not None
        if line.target_starts <= 0:  # no headcount for the year: no target to judge by
            cards.append(
                Card(
                    f"{line.directorate} quota {year_label(year)}",
                    "No target yet",
                    f"No headcount for {year_label(year)} yet; {len(line.starts)} started, "
                    f"{len(line.on_programme)} on programme",
                    url_for(
                        "cohorts.directorate_quota", directorate_id=line.directorate_id, year=year
                    ),
                    "See the quota",
                )
            )
            continue
        cards.append(
            Card(
                f"{line.directorate} quota {year_label(year)}",
                line.rag.value.capitalize(),
                f"Target about {whole_people(line.target_starts)} starts; "
                f"{len(line.starts)} started, {len(line.on_programme)} on programme: "
                f"{shortfall_text(reading)}",
                url_for("cohorts.directorate_quota", directorate_id=line.directorate_id, year=year),
                "See the quota",
                warning=line.rag.value == "red",
            )
        )
    return cards


@bp.route("/quotas", methods=["GET", "POST"])
@roles(*READERS)
def quotas() -> Response | str:
    year = _year()
    form = QuotaMethodForm()
    can_choose = current_user.role in ("finance", "admin")
    if request.method == "POST":
        if not can_choose:
            abort(403)
        if form.validate_on_submit():
            with transaction(form, field="method") as tx:
                service.set_quota_method(year, form.method.data or "", Actor.of(current_user))
            if tx.ok:
                flash(
                    f"Quotas for {year_label(year)} now use the {form.method.data} method",
                    "success",
                )
                return redirect(url_for("cohorts.quotas", year=year))
    method = service.quota_method(year)
    if not form.is_submitted():
        form.method.data = method.value
    return render_template(
        "cohorts/quotas.html",
        lines=service.quotas(year, today(), scope()),
        year=year,
        method=method,
        form=form if can_choose else None,
        methods=QuotaMethod,
        whole_people=whole_people,
        shortfall_text=shortfall_text,
    )


@bp.route("/quotas/<int:directorate_id>")
@roles(*READERS)
def directorate_quota(directorate_id: int) -> str:
    directorate = directorate_or_404(directorate_id)
    year = _year()
    [line] = service.quotas(year, today(), [directorate.id])
    return render_template(
        "cohorts/quota.html",
        directorate=directorate,
        line=line,
        year=year,
        people=service.apprentices_by_reference(directorate.id),
        rule=rag_rule_text(line.reading) if line.reading else "",
        shortfall=shortfall_text(line.reading) if line.reading else "",
        whole_people=whole_people,
    )


@bp.route("/quotas/export.xlsx")
@roles(*READERS)
def export_quotas() -> Response:
    year = _year()
    rows = [
        (
            line.organisation,
            line.directorate,
            line.headcount,
            str(line.target_starts),
            len(line.starts),
            len(line.on_programme),
            line.rag.value,
            ", ".join(line.starts),
        )
        for line in service.quotas(year, today(), scope())
    ]
    header = (
        "Organisation",
        "Directorate",
        "Headcount",
        "Target starts",
        "Starts",
        "On programme",
        "RAG",
        "Apprentices who started",
    )
    return xlsx_response(f"quotas-{year}.xlsx", {"Quotas": (header, rows)})


@bp.route("/quotas/target-report.xlsx")
@roles("admin", "finance", "ld_team")
def target_report() -> Response:
    year = _year()
    rows = [
        (
            line.organisation,
            line.headcount,
            line.starts,
            format_percent(line.rate, 2) if line.rate is not None else "",
            format_percent(line.target_rate, 1),
            str(line.target_starts),
            "yes" if line.met else "no",
        )
        for line in service.target_report(year)
    ]
    header = (
        "Organisation",
        "Headcount at 1 April",
        "Starts in the year",
        "Starts ÷ headcount",
        "Target",
        "Target starts",
        "Target met",
    )
    return xlsx_response(
        f"public-sector-target-{year}.xlsx", {"Public sector target": (header, rows)}
    )
