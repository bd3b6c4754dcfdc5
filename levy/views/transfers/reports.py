"""Officers' reports of what was transferred (page and xlsx) and the admins' outbox."""

from __future__ import annotations

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.clock import today
from levy.domain import transfers as dom
from levy.domain.months import financial_year
from levy.exports import xlsx_response
from levy.services import transfers as svc
from levy.views.transfers.common import OFFICERS, bp

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
    return render_template("transfers/outbox.html", messages=svc.recent_messages())
