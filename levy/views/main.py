"""Home page per role, and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from levy import clock
from levy.auth import ANY_ROLE, USER_ADMINS, WORKFORCE_READERS, public, roles
from levy.domain.money import format_money
from levy.domain.months import financial_year, year_label
from levy.models import User
from levy.services import organisations, platform
from levy.views import Card, cards_for, home_card, nav

bp = Blueprint("main", __name__)
nav("Home", "main.home", order=0)


@bp.route("/")
@roles(*ANY_ROLE)
def home() -> str:
    return render_template("main/home.html", cards=cards_for(current_user))


@bp.route("/healthz")
@public
def healthz() -> tuple[Response, int]:
    if not platform.database_answers():
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok"), 200


@home_card(10, *WORKFORCE_READERS)
def workforce_cards(user: User) -> list[Card]:
    # the financial year we are in (the demo runs as of March 2021), else the nearest before it
    latest = organisations.workforce_year(financial_year(clock.today()).start.year)
    if latest is None:
        return [Card("Workforce", "No figures yet", "Import the directorates workbook to start.")]
    year = year_label(latest)
    return [
        Card(
            f"{name} headcount {year}",
            f"{headcount:,}",
            f"Pay bill {format_money(pay_bill, pence=False)}",
        )
        for name, headcount, pay_bill in organisations.workforce_by_organisation(latest)
    ]


@home_card(10, "directorate_manager")
def my_directorates(user: User) -> list[Card]:
    return [
        Card(
            "Your directorates",
            str(len(user.directorates)),
            ", ".join(d.label for d in user.directorates),
        )
    ]


@home_card(90, *USER_ADMINS)
def user_count(user: User) -> list[Card]:
    return [
        Card(
            "Users",
            str(platform.user_count()),
            "People who can sign in",
            "/admin/users",
            "Manage users",
        )
    ]
