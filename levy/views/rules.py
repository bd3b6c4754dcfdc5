"""The dated rules the service applies, with their sources, for anyone on the staff side."""

from __future__ import annotations

from flask import Blueprint, render_template

from levy.auth import STAFF, roles
from levy.rules_config import current_rules
from levy.views import nav

bp = Blueprint("rules", __name__)
nav("Rules", "rules.index", order=99)


@bp.route("/rules")
@roles(*STAFF)
def index() -> str:
    table = current_rules()
    return render_template("rules/index.html", rules=table.rules, change_date=table.change_date)
