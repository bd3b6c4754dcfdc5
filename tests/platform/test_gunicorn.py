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
