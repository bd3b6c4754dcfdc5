"""Production serving: gunicorn starts the WSGI app and serves pages on 127.0.0.1."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import gunicorn

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_serves_the_app(live_database: str, tmp_path: Path) -> None:
    with gunicorn(live_database, tmp_path, workers=2) as (base, _log):
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:  # noqa: S310
            assert response.read() == b'{"database":"ok","status":"ok"}\n'
        with urllib.request.urlopen(f"{base}/login", timeout=5) as response:  # noqa: S310
            page = response.read().decode()
        assert "Sign in" in page and "Worcestershire County Council" in page


BUSY_PAGES = ("/", "/levy/", "/levy/ledger", "/apprentices", "/transfers/queue")
SECRET = secrets.token_hex(32)


def _cookies(database_url: str) -> list[str]:
    """Signed-in sessions for the demo's finance, L&D and admin users (who may open every
    busy page), signed with the key the server is given."""
    from levy import create_app
    from levy.extensions import db
    from levy.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    with app.app_context():
        users = db.session.execute(
            db.select(User).where(User.role.in_(("finance", "ld_team", "admin")))
        ).scalars()
        ids = [user.get_id() for user in users]
        db.session.remove()
        db.engines[None].dispose()
    serializer = app.session_interface.get_signing_serializer(app)
    assert serializer is not None
    return [f"session={serializer.dumps({'_user_id': i, '_fresh': True})}" for i in ids]


def _change(database_url: str, add: bool) -> None:
    """A change committed just before the pages are opened: a penny adjustment added, or
    taken away again (so the demo's figures are as they were when the test ends)."""
    from datetime import date
    from decimal import Decimal

    from sqlalchemy import create_engine, delete, insert

    from levy.config import database_url as normalised
    from levy.models import LevyTransaction

    engine = create_engine(normalised(database_url, "."))
    key = LevyTransaction.source_key == "gunicorn-load-test"
    with engine.begin() as conn:
        conn.execute(delete(LevyTransaction).where(key))
        if add:
            conn.execute(
                insert(LevyTransaction).values(
                    month=date(2021, 3, 1),
                    type="adjustment",
                    amount=Decimal("0.01"),
                    reference="load test",
                    source="test",
                    source_key="gunicorn-load-test",
                )
            )
    engine.dispose()


def test_eight_users_open_the_busy_pages_at_once_after_a_change(
    live_database: str, tmp_path: Path
) -> None:
    """`gunicorn -w 4`: 8 signed-in users open the five busiest pages at once, right after
    a change, three rounds: every answer is 200 (no "database is locked" while reading)."""
    from concurrent.futures import ThreadPoolExecutor

    cookies = _cookies(live_database)
    assert len(cookies) >= 3

    def status(base: str, user: int, path: str) -> tuple[str, int]:
        request = urllib.request.Request(base + path, headers={"Cookie": cookies[user % 3]})  # noqa: S310  # loopback
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                return path, response.status
        except urllib.error.HTTPError as error:
            return path, error.code

    with (
        gunicorn(live_database, tmp_path, workers=4, SECRET_KEY=SECRET) as (base, log),
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        answers: list[tuple[str, int]] = []
        try:
            for round_ in range(3):
                _change(live_database, add=round_ != 1)
                jobs = [(user, path) for user in range(8) for path in BUSY_PAGES]
                answers += list(pool.map(lambda job: status(base, *job), jobs))
        finally:
            _change(live_database, add=False)
    assert len(answers) == 120
    assert [a for a in answers if a[1] != 200] == [], log.read_text()[-3000:]
