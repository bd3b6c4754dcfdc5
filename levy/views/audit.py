"""The audit trail, browsed and filtered by admin and finance, downloadable as xlsx."""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from levy.auth import roles
from levy.domain.fields import ANY_DATES, EVERY_DATE
from levy.exports import xlsx_response
from levy.extensions import db
from levy.importers.workbook import CellError, parse_day
from levy.models import AuditEvent
from levy.models.base import UTCDateTime
from levy.views import nav
from levy.views.args import check_date

bp = Blueprint("audit", __name__)
nav("Audit", "audit.index", order=95)
PAGE_SIZE = 50


def _filters() -> tuple[Any, dict[str, str], list[str]]:
    args = {
        k: request.args.get(k, "").strip()
        for k in ("actor", "action", "object_type", "object_id", "from", "to")
    }
    problems: list[str] = []
    query = db.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if args["actor"]:
        query = query.where(AuditEvent.actor_label.ilike(f"%{args['actor']}%"))
    if args["action"]:
        query = query.where(AuditEvent.action.ilike(f"%{args['action']}%"))
    if args["object_type"]:
        query = query.where(AuditEvent.object_type == args["object_type"])
    if args["object_id"]:
        query = query.where(AuditEvent.object_id == args["object_id"])
    for key, label in (("from", "From"), ("to", "To")):
        if args[key]:
            try:
                day = parse_day(args[key], within=EVERY_DATE)
            except CellError:
                problems.append(
                    f"{label} date: '{args[key]}' is not a date, write it as 2021-03-31"
                )
                continue
            day = check_date(key, day, ANY_DATES)
            bound = datetime.combine(day, time.min if key == "from" else time.max)
            processed = UTCDateTime().process_bind_param(bound, None)
            query = query.where(
                AuditEvent.at >= processed if key == "from" else AuditEvent.at <= processed
            )
    return query, args, problems


@bp.route("/audit")
@roles("admin", "finance")
def index() -> str:
    query, args, problems = _filters()
    page = db.paginate(query, per_page=PAGE_SIZE, error_out=False)
    types = (
        db.session.execute(
            db.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
        )
        .scalars()
        .all()
    )
    return render_template("audit/index.html", page=page, args=args, problems=problems, types=types)


@bp.route("/audit.xlsx")
@roles("admin", "finance")
def download() -> Response:
    query, _args, _problems = _filters()
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
        for e in db.session.execute(query).scalars()
    )
    header = ["When (UTC)", "Who", "Action", "Object", "Object id", "Before", "After"]
    return xlsx_response("audit.xlsx", {"Audit": (header, rows)})
