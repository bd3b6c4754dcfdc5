"""A sign-in ends 30 minutes after its last request and 12 hours after signing in,
on a clock the tests move; a remember cookie revives nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_login.utils import encode_cookie

from levy import clock
from levy.auth import session_end_reason
from levy.extensions import db as _db
from tests.factories import PASSWORD, create_user

START = datetime(2024, 5, 13, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def time(monkeypatch: Any) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


def _sign_in(client: FlaskClient, email: str = "fran@example.org") -> None:
    create_user(role="finance", email=email)
    _db.session.commit()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("signed_in_ago", "idle", "ends"),
    [
        (timedelta(minutes=29, seconds=59), timedelta(minutes=29, seconds=59), None),
        (timedelta(minutes=30), timedelta(minutes=30), "30 minutes without activity"),
        (timedelta(hours=11, minutes=59), timedelta(minutes=1), None),
        (timedelta(hours=12), timedelta(minutes=1), "more than 12 hours ago"),
        (timedelta(hours=13), timedelta(hours=2), "more than 12 hours ago"),
    ],
)
def test_the_limits(signed_in_ago: timedelta, idle: timedelta, ends: str | None) -> None:
    now = START.timestamp()
    reason = session_end_reason(
        now - signed_in_ago.total_seconds(),
        now - idle.total_seconds(),
        now,
        idle_minutes=30,
        max_hours=12,
    )
    assert (reason is None) if ends is None else (ends in str(reason))


def test_thirty_minutes_without_a_request_signs_out(client: Any, db: Any, time: Clock) -> None:
    _sign_in(client)
    time.advance(minutes=29)
    assert client.get("/audit").status_code == 200  # activity renews the idle limit
    time.advance(minutes=29)
    assert client.get("/audit").status_code == 200
    time.advance(minutes=30)
    ended = client.get("/audit?page=2")
    assert ended.status_code == 302
    assert ended.location == "/login?next=/audit?page%3D2"
    page = client.get(ended.location).get_data(as_text=True)
    assert "You have been signed out after 30 minutes without activity" in page
    assert client.get("/").status_code == 302  # signed out, not only redirected once


def test_twelve_hours_after_sign_in_signs_out_however_busy(
    client: Any, db: Any, time: Clock
) -> None:
    _sign_in(client)
    for _ in range(47):  # a request every 15 minutes for 11 h 45 min
        time.advance(minutes=15)
        assert client.get("/").status_code == 200
    time.advance(minutes=15)  # 12 hours since signing in
    ended = client.get("/")
    assert ended.status_code == 302 and ended.location.startswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "You have been signed out because you signed in more than 12 hours ago" in page
    # signing in again starts a new 12 hours (the first sign-in was 12 h 25 min ago)
    again = client.post("/login", data={"email": "fran@example.org", "password": PASSWORD})
    assert again.status_code == 302
    time.advance(minutes=25)
    assert client.get("/").status_code == 200


def test_a_copied_cookie_ends_at_the_same_moment(
    app: Any, client: Any, db: Any, time: Clock
) -> None:
    _sign_in(client)
    thief = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    time.advance(minutes=20)
    thief.set_cookie("session", cookie.value)
    assert thief.get("/").status_code == 200
    time.advance(minutes=31)  # the owner idled; the copy was used 31 minutes ago
    assert thief.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_settings_change_the_limits(
    app: Any, client: Any, db: Any, time: Clock, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "LEVY_SESSION_IDLE_MINUTES", 5)
    monkeypatch.setitem(app.config, "LEVY_SESSION_MAX_HOURS", 1)
    _sign_in(client)
    time.advance(minutes=4)
    assert client.get("/").status_code == 200
    time.advance(minutes=5)
    assert client.get("/").status_code == 302
    _sign_in(client, "other@example.org")
    for _ in range(14):  # every 4 minutes, 56 minutes in all
        time.advance(minutes=4)
        assert client.get("/").status_code == 200
    time.advance(minutes=4)
    assert client.get("/").status_code == 302


def _remember_cookie(app: Any, client: FlaskClient, user_id: str) -> None:
    with app.test_request_context():
        client.set_cookie(
            app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), encode_cookie(user_id)
        )


def test_sign_in_sets_no_remember_cookie(client: Any, db: Any, time: Clock) -> None:
    create_user(role="finance", email="fran@example.org")
    _db.session.commit()
    response = client.post(
        "/login", data={"email": "fran@example.org", "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_a_remember_cookie_revives_no_session(app: Any, client: Any, db: Any, time: Clock) -> None:
    user = create_user(role="finance", email="fran@example.org")
    _db.session.commit()
    # a valid remember cookie for the user's current session version, with no session
    _remember_cookie(app, client, user.get_id())
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    # nor after a session has ended for being idle
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"email": "fran@example.org", "password": PASSWORD}).status_code
        == 302
    )
    _remember_cookie(app, fresh, user.get_id())
    time.advance(minutes=31)
    assert fresh.get("/").status_code == 302
    assert fresh.get("/").status_code == 302
    time.advance(hours=13)
    assert fresh.get("/").status_code == 302


def test_pages_with_forms_say_when_the_session_ends(client: Any, login_as: Any) -> None:
    anonymous = client.get("/login").get_data(as_text=True)
    assert (
        "signed out after 30 minutes without activity, and 12 hours after you sign in" in anonymous
    )
    assert "save your work before then" not in anonymous
    login_as("finance")
    form = client.get("/account/password").get_data(as_text=True)
    assert (
        "You’ll be signed out after 30 minutes without activity; save your work before then" in form
    )
    assert "save your work before then" not in client.get("/").get_data(as_text=True)


def test_the_health_check_and_files_neither_renew_nor_end_a_session(
    client: Any, db: Any, time: Clock
) -> None:
    _sign_in(client)
    for _ in range(4):
        time.advance(minutes=10)
        assert client.get("/healthz").status_code == 200
        assert client.get("/js/start.js").status_code == 200
    assert client.get("/").status_code == 302  # 40 minutes without a page
