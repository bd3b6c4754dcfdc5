"""Production serving: gunicorn starts the WSGI app and serves pages on 127.0.0.1."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_serves_the_app(live_database: str, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": live_database,
        "SECRET_KEY": secrets.token_hex(32),
        "LEVY_INSTANCE_PATH": str(tmp_path),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
                    body = r.read()
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        assert body == b'{"database":"ok","status":"ok"}\n'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            page = response.read().decode()
        assert "Sign in" in page and "Worcestershire County Council" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": live_database,
        "SECRET_KEY": SECRET,
        "LEVY_INSTANCE_PATH": str(tmp_path),
    }
    cookies = _cookies(live_database)
    assert len(cookies) >= 3
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(gunicorn), "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def status(job: tuple[int, str]) -> tuple[str, int]:
        user, path = job
        request = urllib.request.Request(base + path, headers={"Cookie": cookies[user % 3]})  # noqa: S310  # loopback
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                return path, response.status
        except urllib.error.HTTPError as error:
            return path, error.code

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=10):  # noqa: S310
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        answers: list[tuple[str, int]] = []
        with ThreadPoolExecutor(max_workers=8) as pool:
            for round_ in range(3):
                _change(live_database, add=round_ != 1)
                jobs = [(user, path) for user in range(8) for path in BUSY_PAGES]
                answers += list(pool.map(status, jobs))
        assert len(answers) == 120
        assert [a for a in answers if a[1] != 200] == [], log.read_text()[-3000:]
    finally:
        _change(live_database, add=False)
        proc.terminate()
        proc.wait(timeout=10)
