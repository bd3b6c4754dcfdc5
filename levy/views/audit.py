"""The audit trail, browsed and filtered, downloadable as xlsx.

Admin and finance read the whole trail; the care leavers team reads the trail of its
own records. Entries about young people, placements and follow-ups keep their values
for the care leavers team only: every other role sees who changed which record and
which fields, never the values, on the page and in the download.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.domain.fields import ANY_DATES, EVERY_DATE, FieldError, parse_day
from levy.exports import xlsx_response
from levy.security import no_store
from levy.services.audit import AuditFilter, audit_page, audit_rows, object_types
from levy.views import nav
from levy.views.args import arg_int, check_date

bp = Blueprint("audit", __name__)
nav("Audit", "audit.index", order=95)
PAGE_SIZE = 50
READERS = ("admin", "finance", "care_leavers")


def _filters() -> tuple[AuditFilter, dict[str, str], list[str]]:
    args = {
        k: request.args.get(k, "").strip()
        for k in ("actor", "action", "object_type", "object_id", "from", "to")
    }
    problems: list[str] = []
    days: dict[str, date | None] = {}
    for key, label in (("from", "From"), ("to", "To")):
        days[key] = None
        if args[key]:
            try:
                day = parse_day(args[key], within=EVERY_DATE)
            except FieldError:
                problems.append(
                    f"{label} date: '{args[key]}' is not a date, write it as 2021-03-31"
                )
                continue
            days[key] = check_date(key, day, ANY_DATES)
    filters = AuditFilter(
        actor=args["actor"],
        action=args["action"],
        object_type=args["object_type"],
        object_id=args["object_id"],
        start=days["from"],
        end=days["to"],
    )
    return filters, args, problems


def _page_number() -> int:
    return arg_int("page", 1, minimum=1, maximum=1_000_000) or 1


@bp.route("/audit")
@roles(*READERS)
def index() -> Response:
    filters, args, problems = _filters()
    page = audit_page(filters, current_user.role, _page_number(), PAGE_SIZE)
    types = object_types(current_user.role)
    return no_store(
        render_template("audit/index.html", page=page, args=args, problems=problems, types=types)
    )


@bp.route("/audit.xlsx")
@roles(*READERS)
def download() -> Response:
    filters, _args, _problems = _filters()
    rows = (
        [
            e.at,
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            json.dumps(e.before) if e.before is not None else "",
            json.dumps(e.after) if e.after is not None else "",
        ]
        for e in audit_rows(filters, current_user.role)
    )
    header = ["When (UTC)", "Who", "Action", "Object", "Object id", "Before", "After"]
    return no_store(xlsx_response("audit.xlsx", {"Audit": (header, rows)}))
