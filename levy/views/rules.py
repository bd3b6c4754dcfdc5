"""The dated rules the service applies, with their sources, for anyone on the staff side."""

from __future__ import annotations

from flask import Blueprint, render_template

from levy.auth import STAFF, roles
from levy.domain.rules import RULES
from levy.views import nav

bp = Blueprint("rules", __name__)
nav("Rules", "rules.index", order=99)


@bp.route("/rules")
@roles(*STAFF)
def index() -> str:
    return render_template("rules/index.html", rules=RULES.rules, change_date=RULES.change_date)
