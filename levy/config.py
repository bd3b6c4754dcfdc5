"""Configuration: defaults here, overrides from the environment or the test mapping."""

from __future__ import annotations

import ipaddress
import math
import os
import secrets
from collections.abc import Mapping, MutableMapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_BITS = 128
LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
    "LEVY_IMPORT_MAX_UNZIPPED_BYTES": 50 * 1024 * 1024,  # a workbook's parts, or a CSV
    "LEVY_IMPORT_MAX_ROWS": 100_000,  # rows of a sheet or CSV an import reads
    # the 2026 levy change date (top-up ends, 12-month expiry): configuration
    "LEVY_CHANGE_DATE": date(2026, 8, 1),
    # months between a learning month and the service's payment for it (docs/ledger.md)
    "LEVY_PAYMENT_LAG_MONTHS": 1,
    # failed-login throttle: this many failures in the window locks the account/address
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_MINUTES": 15,
    # a sign-in ends after this long without a request, and this long after signing in
    "LEVY_SESSION_IDLE_MINUTES": 30,
    "LEVY_SESSION_MAX_HOURS": 12,
    "COUNCIL_NAME": "Worcestershire County Council",
    "SERVICE_NAME": "Apprenticeship levy",
    # the address people use to reach the service: links in emails are built from it,
    # only its host is trusted, and https turns on Secure cookies, HSTS and the redirect
    "LEVY_BASE_URL": "http://127.0.0.1:5000",
    # how many proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none)
    "LEVY_PROXY_COUNT": 0,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "MAIL_SERVER": None,
    "MAIL_SENDER": "apprenticeships@worcestershire.gov.uk",
}


def from_environment(config: MutableMapping[str, Any]) -> None:
    """``LEVY_BASE_URL`` and ``LEVY_PROXY_COUNT`` may also be given without ``FLASK_``."""
    if os.environ.get("LEVY_BASE_URL"):
        config["LEVY_BASE_URL"] = os.environ["LEVY_BASE_URL"]
    if os.environ.get("LEVY_PROXY_COUNT"):
        config["LEVY_PROXY_COUNT"] = os.environ["LEVY_PROXY_COUNT"]


class ConfigError(RuntimeError):
    """A setting that makes the service unsafe to start."""


def secret_key_bits(key: str) -> float:
    """A cautious estimate of the bits of entropy in ``key``: zxcvbn's guess count
    (repeats, keyboard runs, words and dates count for little; random characters for
    about 3.3 bits each), over at most its first 72 characters."""
    from zxcvbn import zxcvbn

    return float(zxcvbn(key[:72])["guesses_log10"]) * math.log2(10)


KEY_ADVICE = (
    '(for example python3 -c "import secrets; print(secrets.token_hex(32))"), '
    "or leave it unset to use the key generated in instance/secret_key"
)


def check_secret_key_entropy(config: Mapping[str, Any], *, debug: bool) -> None:
    """Outside debug and testing, a ``SECRET_KEY`` under 128 bits by ``secret_key_bits``
    (32 × ``a``) is refused. The web app checks it (``levy.security``), where the key
    signs sessions; a command does not, so ``flask levy`` starts without zxcvbn."""
    if debug or config.get("TESTING"):
        return
    bits = secret_key_bits(str(config.get("SECRET_KEY") or ""))
    if bits < MIN_SECRET_KEY_BITS:
        raise ConfigError(
            f"SECRET_KEY is too easy to guess (about {bits:.0f} bits of entropy): use a "
            f"random one of {MIN_SECRET_KEY_BITS} bits or more " + KEY_ADVICE
        )


def run_host() -> str | None:
    """The address ``flask run`` is about to listen on, as click read it (``--host``,
    ``-h`` or ``FLASK_RUN_HOST``; the app is built inside that command), or None when the
    app is built for anything else (gunicorn, another command, the tests)."""
    import click
    from flask.cli import run_command

    context = click.get_current_context(silent=True)
    if context is None or context.command is not run_command:
        return None
    return str(context.params.get("host") or "127.0.0.1")


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_security(
    config: MutableMapping[str, Any],
    *,
    debug: bool,
) -> None:
    """Derive the security settings from the base URL; refuse unsafe ones.

    Debug mode (Werkzeug's debugger runs any code typed into an error page) is refused
    on ``flask run --host`` anything but a loopback address. Outside debug and testing
    a ``SECRET_KEY`` shorter than 32 characters is refused (the generated key is 64
    random hex digits), and the web app refuses a guessable one
    (``check_secret_key_entropy``). Cookies are always HttpOnly
    and SameSite=Lax, and Secure whenever the base URL is https. Only the base URL's
    host is trusted (with the other loopback names when it is a loopback address, for
    ``make run``).
    """
    host = run_host()
    if debug and host is not None and not is_loopback(host):
        raise ConfigError(
            f"Debug mode is refused on {host}: its debugger lets anyone who reaches it run "
            "code on this machine. Run on 127.0.0.1, or without --debug"
        )
    key = str(config.get("SECRET_KEY") or "")
    if not (debug or config.get("TESTING")) and len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SECRET_KEY is {len(key)} characters: use {MIN_SECRET_KEY_LENGTH} or more "
            + KEY_ADVICE
        )
    raw = str(config.get("LEVY_BASE_URL") or "").rstrip("/")
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"LEVY_BASE_URL '{raw}' is not a web address: write it like https://levy.example.gov.uk"
        )
    config["LEVY_BASE_URL"] = raw
    try:
        config["LEVY_PROXY_COUNT"] = int(config.get("LEVY_PROXY_COUNT") or 0)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"LEVY_PROXY_COUNT '{config.get('LEVY_PROXY_COUNT')}' is not a whole number: "
            "write the number of proxies in front of the service, 0 for none"
        ) from exc
    if config["LEVY_PROXY_COUNT"] < 0:
        raise ConfigError("LEVY_PROXY_COUNT must be 0 or more")
    https = parts.scheme == "https"
    config["LEVY_HTTPS"] = https
    config["PREFERRED_URL_SCHEME"] = parts.scheme
    for prefix in ("SESSION", "REMEMBER"):
        config[f"{prefix}_COOKIE_HTTPONLY"] = True
        config[f"{prefix}_COOKIE_SAMESITE"] = "Lax"
        config[f"{prefix}_COOKIE_SECURE"] = https
    if not config.get("TRUSTED_HOSTS"):
        host = parts.hostname
        config["TRUSTED_HOSTS"] = list(LOOPBACK) if host in LOOPBACK else [host]
