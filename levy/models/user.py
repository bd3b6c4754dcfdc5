"""Users, roles and the failed-login record used for throttling."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from levy.domain.accounts import ROLES
from levy.models.base import Base, TimestampMixin, UTCDateTime, utcnow
from levy.models.organisation import Directorate, Organisation

# werkzeug's method for new password hashes; the app setting PASSWORD_HASH_METHOD may
# choose another (the tests choose a cheap one, since they make thousands of users).
# Checking a password reads the method from the stored hash, so either checks.
DEFAULT_HASH_METHOD = "scrypt"


def password_hash_method() -> str:
    if has_app_context():
        return str(current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_HASH_METHOD)
    return DEFAULT_HASH_METHOD


def hash_password(password: str) -> str:
    """``password`` hashed by the app's method (scrypt unless configured otherwise)."""
    return generate_password_hash(password, method=password_hash_method())


user_directorate = Table(
    "user_directorate",
    Base.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("directorate_id", ForeignKey("directorate.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed: Mapped[bool] = mapped_column(default=True)
    # part of the id kept in session and remember cookies: raising it (sign-out, a new
    # password, switching the user off) makes every cookie issued before stop loading
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped[Organisation | None] = relationship()
    directorates: Mapped[list[Directorate]] = relationship(
        secondary=user_directorate, order_by="Directorate.name"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active and self.email_confirmed

    def get_id(self) -> str:  # Flask-Login: what the session and remember cookies hold
        return f"{self.id}:{self.session_version or 1}"

    def end_sessions(self) -> None:
        """Every session and remember cookie issued so far stops working."""
        self.session_version = (self.session_version or 1) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def directorate_names(self) -> list[str]:
        return [d.label for d in self.directorates]

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class LoginAttempt(Base):
    """A failed sign-in, kept for throttling by account and by address."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
