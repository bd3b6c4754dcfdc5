"""Platform questions the home page and the health check ask. Never commits."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from levy.extensions import db
from levy.models import User


def database_answers() -> bool:
    """Whether the database answers a trivial query (the session is left usable)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def user_count() -> int:
    return db.session.execute(db.select(db.func.count(User.id))).scalar_one()
