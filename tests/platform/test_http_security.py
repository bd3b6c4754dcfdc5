"""Headers, cookies, https, trusted hosts and proxies, the secret key, the 503 page."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from levy import create_app
from levy.config import (
    ConfigError,
    check_secret_key_entropy,
    check_security,
    run_host,
    secret_key_bits,
)
from levy.extensions import db as _db
from levy.models import LoginAttempt
from tests.factories import create_user

HTTPS = "https://levy.example.gov.uk"
ROOT = Path(__file__).resolve().parents[2]


def _variant(app: Flask, **config: Any) -> Flask:
    """Another app on the same database with some settings changed."""
    return create_app({**app.config, "TRUSTED_HOSTS": None, **config})


@contextmanager
def _same_transaction(app: Flask, other: Flask) -> Iterator[None]:
    """Let ``other`` work inside this test's rolled-back transaction."""
    connection = _db.engines[None]
    with other.app_context():
        engines = _db.engines
        engine = engines[None]
        engines[None] = connection
        try:
            yield
        finally:
            _db.session.remove()
            engines[None] = engine


def test_every_page_sends_the_security_headers(client: Any, login_as: Any) -> None:
    pages = [client.get("/login")]
    login_as("finance")
    pages += [client.get("/"), client.get("/audit"), client.get("/no-such-page")]
    for response in pages:
        url = response.request.path
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src
        nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers  # http base URL: no HSTS
        page = response.get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>", page)
        assert scripts, url
        for attributes in scripts:  # every script is a file of this service or has the nonce
            assert f'nonce="{nonce}"' in attributes or 'src="/js/start.js"' in attributes
    start = client.get("/js/start.js")
    assert start.status_code == 200
    assert "initAll" in start.get_data(as_text=True)


def test_pages_behind_sign_in_are_not_cached(client: Any, login_as: Any) -> None:
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login_as("admin")
    for url in ("/admin/users", "/audit", "/audit.xlsx", "/"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_cookies_are_secure_under_an_https_base_url(app: Flask, db: Any) -> None:
    secure = _variant(app, LEVY_BASE_URL=HTTPS, WTF_CSRF_ENABLED=True)
    assert secure.config["REMEMBER_COOKIE_SECURE"] is True
    assert secure.config["TRUSTED_HOSTS"] == ["levy.example.gov.uk"]
    client = secure.test_client()
    # plain http is sent to https, for good
    redirect = client.get("/login", base_url="http://levy.example.gov.uk")
    assert redirect.status_code == 301
    assert redirect.location.startswith("https://levy.example.gov.uk/login")
    response = client.get("/login", base_url=HTTPS)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers["Set-Cookie"]  # the CSRF token starts a session
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # a forged Host header is refused, so it cannot reach a link the service builds
    forged = client.get("/login", base_url="https://evil.example")
    assert forged.status_code == 400


def test_http_base_url_still_signs_in(app: Flask, db: Any) -> None:
    plain = _variant(app, LEVY_BASE_URL="http://127.0.0.1:5000", WTF_CSRF_ENABLED=True)
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert set(plain.config["TRUSTED_HOSTS"]) >= {"127.0.0.1", "localhost"}
    response = plain.test_client().get("/login", base_url="http://127.0.0.1:5000")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_throttle_keys_on_the_client_behind_a_trusted_proxy(app: Flask, db: Any) -> None:
    create_user(role="finance", email="fran@example.org")
    _db.session.commit()
    proxied = _variant(app, LEVY_PROXY_COUNT=1)
    with _same_transaction(app, proxied):
        client = proxied.test_client()
        for address in ("203.0.113.7", "198.51.100.9"):
            client.post(
                "/login",
                data={"email": "fran@example.org", "password": "wrong"},
                headers={"X-Forwarded-For": address},
            )
        addresses = _db.session.execute(_db.select(LoginAttempt.address)).scalars().all()
    assert sorted(addresses) == ["198.51.100.9", "203.0.113.7"]


def test_without_a_proxy_forwarded_headers_are_ignored(client: Any, db: Any) -> None:
    client.post(
        "/login",
        data={"email": "x@example.org", "password": "wrong"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    addresses = _db.session.execute(_db.select(LoginAttempt.address)).scalars().all()
    assert addresses == ["127.0.0.1"]


def test_a_short_secret_key_is_refused_outside_testing(tmp_path: Any) -> None:
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/levy.db"}
    key = secrets.token_hex(32)
    with pytest.raises(ConfigError, match="SECRET_KEY is 11 characters: use 32 or more"):
        create_app({**settings, "SECRET_KEY": "short-a-lot"})
    assert create_app({**settings, "SECRET_KEY": key}).config["SECRET_KEY"] == key
    assert create_app({**settings, "SECRET_KEY": "short", "TESTING": True})
    with pytest.raises(ConfigError, match="LEVY_BASE_URL 'levy' is not a web address"):
        create_app({**settings, "SECRET_KEY": key, "LEVY_BASE_URL": "levy"})
    with pytest.raises(ConfigError, match="LEVY_PROXY_COUNT 'two' is not a whole number"):
        create_app({**settings, "SECRET_KEY": key, "LEVY_PROXY_COUNT": "two"})


@pytest.mark.parametrize(
    "key",
    [
        "a" * 32,
        "k" * 64,
        "abcdefghijklmnopqrstuvwxyz123456",  # a keyboard run and a sequence
        "password" * 4,
        "worcestershire-levy-secret-key-2021",  # words and a year
    ],
)
def test_a_guessable_secret_key_is_refused_outside_testing(tmp_path: Any, key: str) -> None:
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/levy.db"}
    with pytest.raises(ConfigError, match=r"SECRET_KEY is too easy to guess \(about \d+ bits"):
        create_app({**settings, "SECRET_KEY": key})
    assert create_app({**settings, "SECRET_KEY": key, "TESTING": True})


@pytest.mark.parametrize(
    "key", [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(64)]
)
def test_a_random_secret_key_of_128_bits_or_more_is_accepted(key: str) -> None:
    assert secret_key_bits(key) >= 128
    config: dict[str, Any] = {"SECRET_KEY": key, "LEVY_BASE_URL": HTTPS}
    check_security(config, debug=False)
    check_secret_key_entropy(config, debug=False)
    assert config["LEVY_HTTPS"] is True


def _settings() -> dict[str, Any]:
    return {"TESTING": True, "LEVY_BASE_URL": "http://127.0.0.1:5000"}


@contextmanager
def _flask_run(*args: str) -> Iterator[None]:
    """The app built inside ``flask run ARGS``, as click parses them (``FLASK_RUN_*``
    variables too)."""
    from flask.cli import run_command

    with run_command.make_context("run", list(args), auto_envvar_prefix="FLASK_RUN"):
        yield


@pytest.mark.parametrize(
    "args",
    [
        ["--host", "0.0.0.0"],
        ["--host=0.0.0.0"],
        ["-h", "192.168.1.20"],
        ["-h0.0.0.0"],
        ["--host", "::"],
    ],
)
def test_debug_mode_refuses_a_non_loopback_address(args: list[str]) -> None:
    with _flask_run(*args), pytest.raises(ConfigError, match="Debug mode is refused on"):
        check_security(_settings(), debug=True)
    # the same command without debug mode starts
    with _flask_run(*args):
        check_security(_settings(), debug=False)


def test_debug_mode_refuses_flask_run_host_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("FLASK_RUN_HOST", "0.0.0.0")
    with _flask_run(), pytest.raises(ConfigError, match=r"Debug mode is refused on 0\.0\.0\.0"):
        check_security(_settings(), debug=True)
    monkeypatch.setenv("FLASK_RUN_HOST", "127.0.0.1")
    with _flask_run():
        check_security(_settings(), debug=True)


@pytest.mark.parametrize(
    "args",
    [
        [],  # 127.0.0.1 unless told otherwise
        ["--host", "127.0.0.1"],
        ["--host", "localhost"],
        ["--host", "::1"],
    ],
)
def test_debug_mode_starts_on_a_loopback_address(args: list[str]) -> None:
    with _flask_run(*args):
        check_security(_settings(), debug=True)


def test_debug_mode_starts_outside_flask_run() -> None:
    """gunicorn and every other command build the app outside ``flask run``: no debugger
    listens, so there is no address to refuse."""
    assert run_host() is None
    check_security(_settings(), debug=True)


def test_flask_run_with_debug_on_every_address_does_not_start(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "LEVY_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/levy.db",
    }
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run(
        [str(flask), "--app", "wsgi", "run", "--host", "0.0.0.0", "--port", "1", "--debug"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "Debug mode is refused on 0.0.0.0" in result.stdout + result.stderr


def test_settings_come_from_the_environment(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("LEVY_BASE_URL", HTTPS)
    monkeypatch.setenv("FLASK_LEVY_PROXY_COUNT", "2")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/levy.db", "TESTING": True})
    assert app.config["LEVY_BASE_URL"] == HTTPS
    assert app.config["LEVY_PROXY_COUNT"] == 2
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_with_the_database_down_every_page_answers_the_503_page(tmp_path: Any) -> None:
    down = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/levy.db",
        }
    )
    client = down.test_client()
    with client.session_transaction() as session:  # a signed-in user's cookie
        session["_user_id"] = "1:1"
        session["_fresh"] = True
    for url in ("/", "/audit", "/admin/users", "/apprentices", "/transfers/", "/no-such-page"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 503, url
        assert "Sorry, the service is unavailable" in page, url
        assert "Worcestershire County Council" in page
    anonymous = down.test_client()
    response = anonymous.post("/login", data={"email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 503
    assert anonymous.get("/healthz").status_code == 503


def test_the_health_check_answers_a_load_balancer_by_ip_on_an_https_deployment(
    app: Flask, db: Any
) -> None:
    secure = _variant(app, LEVY_BASE_URL=HTTPS)
    with _same_transaction(app, secure):
        client = secure.test_client()
        for base in ("http://10.0.3.17", "http://10.0.3.17:8000", "https://[fd00::5]", HTTPS):
            response = client.get("/healthz", base_url=base)
            assert response.status_code == 200, base
            assert response.get_json() == {"status": "ok", "database": "ok"}
        assert client.head("/healthz", base_url="http://10.0.3.17").status_code == 200
        # behind a proxy that forwards a Host of its own
        proxied = _variant(app, LEVY_BASE_URL=HTTPS, LEVY_PROXY_COUNT=1)
        forwarded = proxied.test_client().get(
            "/healthz", base_url="http://10.0.3.17", headers={"X-Forwarded-Host": "10.0.3.17"}
        )
        assert forwarded.status_code == 200
        # every other page keeps both rules: a host other than the service's is refused,
        # plain http is sent to https
        assert client.get("/login", base_url="http://10.0.3.17").status_code == 400
        assert client.get("/healthz/", base_url="http://10.0.3.17").status_code == 400
        assert client.post("/healthz", base_url="http://10.0.3.17").status_code == 400
        moved = client.get("/login", base_url="http://levy.example.gov.uk")
        assert moved.status_code == 301
