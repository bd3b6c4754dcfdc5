"""Every registered route declares who may use it, and the declaration is enforced."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from levy import create_app
from levy.auth import view_access
from levy.models.user import ROLES

_APP = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
SKIP = {"static", "govuk_assets", "govuk_js"}


def _routes() -> list[tuple[str, str, tuple[str, ...] | None, bool]]:
    routes = []
    for rule in _APP.url_map.iter_rules():
        if rule.endpoint in SKIP or (
            "GET" not in (rule.methods or set()) and "POST" not in (rule.methods or set())
        ):
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", "999999", rule.rule)
        url = re.sub(r"<path:\w+>", "x", url)
        url = re.sub(r"<\w+:\w+>", "x", url)
        view = _APP.view_functions[rule.endpoint]
        is_public, allowed = view_access(view)
        method = "GET" if "GET" in (rule.methods or set()) else "POST"
        routes.append((f"{method} {url}", rule.endpoint, allowed, is_public))
    return sorted(set(routes))


ROUTES = _routes()


def test_every_view_declares_access() -> None:
    undeclared = [endpoint for _, endpoint, allowed, public in ROUTES if not public and not allowed]
    assert undeclared == []


@pytest.mark.parametrize(
    ("request_line", "endpoint", "allowed", "is_public"), ROUTES, ids=[r[0] for r in ROUTES]
)
def test_anonymous_is_sent_to_login_or_served(
    client: Any, request_line: str, endpoint: str, allowed: Any, is_public: bool
) -> None:
    method, url = request_line.split(" ", 1)
    response = client.open(url, method=method)
    if is_public:
        assert response.status_code != 302 or "/login" not in response.location
        assert response.status_code < 500
    else:
        assert response.status_code == 302
        assert response.location.startswith("/login")


@pytest.mark.parametrize(
    ("request_line", "endpoint", "allowed", "is_public"),
    [r for r in ROUTES if not r[3] and set(ROLES) - set(r[2] or ())],
    ids=[r[0] for r in ROUTES if not r[3] and set(ROLES) - set(r[2] or ())],
)
def test_wrong_role_gets_403(
    client: Any,
    login_as: Any,
    request_line: str,
    endpoint: str,
    allowed: tuple[str, ...],
    is_public: bool,
) -> None:
    method, url = request_line.split(" ", 1)
    wrong = sorted(set(ROLES) - set(allowed))[0]
    login_as(wrong)
    response = client.open(url, method=method)
    assert response.status_code == 403
    assert b"You do not have permission" in response.data


def test_csrf_missing_token_gets_400(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert b"security token" in response.data


def test_employer_opening_audit_gets_403(client: Any, login_as: Any) -> None:
    login_as("employer")
    assert client.get("/audit").status_code == 403


def test_unknown_page_is_404_in_house_style(client: Any, login_as: Any) -> None:
    login_as("finance")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data
    assert b"Worcestershire County Council" in response.data
