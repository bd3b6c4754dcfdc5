"""Fixtures shared by every test.

* ``app``: one app per test session on a fresh database built by the migrations
  (SQLite in a temp folder, or ``TEST_DATABASE_URL`` for the PostgreSQL pass).
* ``db``: the database for one test, inside a transaction rolled back after it
  (the app's own ``commit()`` only releases a savepoint).
* ``client``, ``runner``, ``login_as(role)``, and factories in ``tests/factories.py``.
* ``live_server``: the app served on 127.0.0.1 on its own database with the demo
  data committed, for browser and gunicorn tests.

Every test that reaches a database through one of ``DATABASE_FIXTURES`` (directly or
through a fixture that uses one) is marked ``db``: the PostgreSQL pass runs only those
(``-m "db and not browser"``), since the rest give the same answer on any database. Each
pass ends with the number of database tests it ran, so a drop shows.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import inspect, text
from werkzeug.serving import make_server

from levy import create_app
from levy.extensions import db as _db
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
IS_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
# Thousands of test users: one round of PBKDF2 instead of scrypt's ~50 ms each. The real
# default (scrypt) is checked by tests/platform/test_passwords_and_mail.py.
CHEAP_PASSWORD_HASH = "pbkdf2:sha256:1"

# Property tests check behaviour, not speed: on a shared 2-core CI machine an example may
# take longer than Hypothesis's 200 ms default, which is not a failure of the code.
settings.register_profile("levy", deadline=None)
settings.load_profile("levy")


# the fixtures that reach the test database; a new fixture that reaches a database of its
# own (not through one of these) is added here, so every test using it is marked ``db``
DATABASE_FIXTURES = frozenset(
    {
        "app",
        "db",
        "client",
        "runner",
        "login_as",
        "csrf_app",
        "live_database",
        "live_server",
        "cli_database",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``db`` every test whose fixtures reach the database (or that needs PostgreSQL)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & DATABASE_FIXTURES or item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.db)


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """One line: how many database tests ran on this pass's database (and how many skipped)."""
    ran: set[str] = set()
    skipped: set[str] = set()
    browser: set[str] = set()
    for outcome, reports in terminalreporter.stats.items():
        for report in reports:
            keywords = getattr(report, "keywords", None) or {}
            if "db" not in keywords or not getattr(report, "nodeid", ""):
                continue
            if outcome == "skipped":
                skipped.add(report.nodeid)
            elif outcome in ("passed", "failed", "error", "xfailed", "xpassed"):
                ran.add(report.nodeid)
                if "browser" in keywords:
                    browser.add(report.nodeid)
    ran -= skipped
    name = "postgresql" if IS_POSTGRES else "sqlite"
    terminalreporter.write_line(
        f"database tests on {name}: {len(ran)} run ({len(ran - browser)} without a browser), "
        f"{len(skipped)} skipped"
    )


def _url(tmp: Path, name: str, env: str) -> str:
    url = os.environ.get(env)
    if url:
        return url
    return f"sqlite:///{tmp / name}"


def reset_database(app: Flask) -> None:
    """Drop everything (tables and alembic's version) and rebuild with the migrations."""
    with app.app_context():
        _db.drop_all()
        with _db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            leftover = inspect(conn).get_table_names()
            for table in leftover:
                conn.execute(
                    text(
                        f'DROP TABLE IF EXISTS "{table}" CASCADE'
                        if conn.dialect.name == "postgresql"
                        else f'DROP TABLE IF EXISTS "{table}"'
                    )
                )
        upgrade()


def make_app(tmp: Path, **config: Any) -> Flask:
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "LEVY_BASE_URL": "http://localhost",
        "SQLALCHEMY_DATABASE_URI": _url(tmp, "test.db", "TEST_DATABASE_URL"),
        "LOGIN_MAX_FAILURES": 5,
        "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    tmp = tmp_path_factory.mktemp("db")
    os.environ.setdefault("LEVY_INSTANCE_PATH", str(tmp / "instance"))
    application = make_app(tmp)
    reset_database(application)
    return application


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    with app.app_context():
        engines = _db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection  # every session in this test joins this transaction
        try:
            yield _db
        finally:
            _db.session.remove()
            transaction.rollback()
            connection.close()
            engines[None] = engine


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, db: Any) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def login_as(client: FlaskClient, db: Any) -> Callable[..., Any]:
    """``login_as("finance")`` signs the test client in as a new user with that role."""

    def sign_in(role: str, **kwargs: Any) -> Any:
        user = factories.create_user(role=role, **kwargs)
        # committed (inside the test's outer transaction), as a real user would be, so a
        # view that rolls back its own work does not take the signed-in user with it
        _db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return sign_in


@pytest.fixture(scope="session")
def csrf_app(app: Flask) -> Flask:
    """The same database with CSRF protection on, as in production."""
    return create_app({**app.config, "WTF_CSRF_ENABLED": True, "TESTING": True})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(
    database_url: str, folder: Path, workers: int, **settings: str
) -> Iterator[tuple[str, Path]]:
    """``gunicorn -w WORKERS wsgi:app`` as deployed, on a free port on 127.0.0.1, with a
    random key and ``settings`` as environment variables; yields (its base URL once it
    answers at all, the file its output goes to). Stopped on leaving."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "LEVY_INSTANCE_PATH": str(folder),
        **settings,
    }
    command = [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers)]
    command += ["-b", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"]
    log = folder / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=10).close()  # noqa: S310
                break
            except urllib.error.HTTPError:  # it answered (a database without tables: 503)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        yield base, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of its own for servers in other threads/processes, with the demo loaded."""
    tmp = tmp_path_factory.mktemp("live")
    url = _url(tmp, "live.db", "TEST_LIVE_DATABASE_URL")
    application = make_app(tmp, SQLALCHEMY_DATABASE_URI=url)
    reset_database(application)
    runner = application.test_cli_runner()
    result = runner.invoke(args=["levy", "seed-demo"])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="session")
def live_server(live_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app (CSRF on, as in production) served on 127.0.0.1; yields its base URL."""
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": live_database,
            "SECRET_KEY": secrets.token_hex(32),
            "WTF_CSRF_ENABLED": True,
            "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
        }
    )
    port = free_port()
    server = make_server("127.0.0.1", port, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, not a downloaded browser build (which cannot be fetched here)."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


# screenshots only on request (they are for people to look at, and each full-page PNG
# takes the browser a while)
SCREENSHOTS = os.environ.get("LEVY_SCREENSHOTS", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path | None]:
    """``screenshot(page, "name")`` saves a full-page PNG under test-artifacts/ when
    ``LEVY_SCREENSHOTS=1`` is set (``make screenshots``); otherwise it does nothing."""

    def take(page: Any, name: str) -> Path | None:
        if not SCREENSHOTS:
            return None
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
