"""Home page per role, and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from levy import clock
from levy.auth import ANY_ROLE, public, roles
from levy.domain.months import financial_year, year_label
from levy.extensions import db
from levy.models import Directorate, DirectorateYear, Organisation, User
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
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok"), 200


@home_card(10, "admin", "finance", "ld_team")
def workforce_cards(user: User) -> list[Card]:
    # the financial year we are in (the demo runs as of March 2021), else the nearest before it
    this_year = financial_year(clock.today()).start.year
    latest = (
        db.session.execute(
            db.select(db.func.max(DirectorateYear.year)).where(DirectorateYear.year <= this_year)
        ).scalar()
        or db.session.execute(db.select(db.func.min(DirectorateYear.year))).scalar()
    )
    if latest is None:
        return [Card("Workforce", "No figures yet", "Import the directorates workbook to start.")]
    rows = db.session.execute(
        db.select(
            Organisation.name,
            db.func.sum(DirectorateYear.headcount),
            db.func.sum(DirectorateYear.pay_bill),
        )
        .join(Directorate, Directorate.organisation_id == Organisation.id)
        .join(DirectorateYear, DirectorateYear.directorate_id == Directorate.id)
        .where(DirectorateYear.year == latest)
        .group_by(Organisation.name)
        .order_by(Organisation.name)
    ).all()
    from levy.domain.money import format_money

    year = year_label(latest)
    return [
        Card(
            f"{name} headcount {year}",
            f"{headcount:,}",
            f"Pay bill {format_money(pay_bill, pence=False)}",
        )
        for name, headcount, pay_bill in rows
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


@home_card(90, "admin")
def user_count(user: User) -> list[Card]:
    count = db.session.execute(db.select(db.func.count(User.id))).scalar_one()
    return [Card("Users", str(count), "People who can sign in", "/admin/users", "Manage users")]
