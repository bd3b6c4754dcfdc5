"""Configuration: defaults here, overrides from the environment or the test mapping."""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path


def database_url(raw: str | None, instance_path: str) -> str:
    """SQLite under ``instance/`` unless ``DATABASE_URL`` says otherwise.

    People write ``postgresql://…``; SQLAlchemy reads that as psycopg2, so the
    scheme is rewritten to psycopg 3, the driver this project installs.
    """
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "levy.db")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def secret_key(instance_path: str) -> str:
    """``SECRET_KEY`` from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


DEFAULTS: dict[str, object] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    # the 2026 levy change date (top-up ends, 12-month expiry): configuration
    "LEVY_CHANGE_DATE": date(2026, 8, 1),
    # months between a learning month and the service's payment for it (docs/ledger.md)
    "LEVY_PAYMENT_LAG_MONTHS": 1,
    # failed-login throttle: this many failures in the window locks the account/address
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_MINUTES": 15,
    "COUNCIL_NAME": "Worcestershire County Council",
    "SERVICE_NAME": "Apprenticeship levy",
    "MAIL_SERVER": None,
    "MAIL_SENDER": "apprenticeships@worcestershire.gov.uk",
}
