"""Every page without URL parameters renders for a role allowed to open it: no 500,
a plain-text title, one h1, and the council's header (on an empty database)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from levy.auth import view_access
from tests.platform.test_access import _APP

PAGES = sorted(
    (rule.rule, rule.endpoint, view_access(_APP.view_functions[rule.endpoint])[1])
    for rule in _APP.url_map.iter_rules()
    if "GET" in (rule.methods or set())
    and not rule.arguments
    and rule.endpoint not in {"static", "main.healthz"}
    and not re.search(r"\.(xlsx|csv)$", rule.rule)
)


@pytest.mark.parametrize(("url", "endpoint", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders(client: Any, login_as: Any, url: str, endpoint: str, allowed: Any) -> None:
    if allowed:
        login_as(allowed[0])
    response = client.get(url)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200 and response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        title = re.search(r"<title[^>]*>(.*?)</title>", page, re.S)
        assert title is not None
        assert "<" not in title.group(1)
        assert title.group(1).strip().endswith("Worcestershire County Council")
        assert len(re.findall(r"<h1[\s>]", page)) == 1
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)
        assert len(headings) == len(set(headings)), "a section appears twice"
        assert "Worcestershire County Council" in page


WITH_IDS = sorted(
    (rule.rule, rule.endpoint, view_access(_APP.view_functions[rule.endpoint])[1], method)
    for rule in _APP.url_map.iter_rules()
    if rule.arguments and rule.endpoint != "static"
    for method in sorted({"GET", "POST"} & (rule.methods or set()))
)


@pytest.mark.parametrize(
    ("url", "endpoint", "allowed", "method"), WITH_IDS, ids=[f"{p[3]} {p[0]}" for p in WITH_IDS]
)
def test_unknown_ids_give_404_never_500(
    client: Any, login_as: Any, url: str, endpoint: str, allowed: Any, method: str
) -> None:
    """A URL id that does not exist (or text where a number belongs) is never a 500: a 404
    page for a record, a message for a bad confirmation link, an empty report for a year."""
    if allowed:
        login_as(allowed[0])
    for value in ("999999", "not-a-number"):
        concrete = re.sub(r"<(?:\w+:)?\w+>", value, url)
        response = client.open(concrete, method=method, data={})
        assert response.status_code < 500, (concrete, response.status_code)
        if "<int:" in url and "year" not in url and value == "999999":
            assert response.status_code == 404, (concrete, response.status_code)


@pytest.mark.parametrize("url", ["/cohorts", "/incentives/", "/care-leavers/"])
def test_a_bad_as_of_date_is_named_and_today_used(client: Any, login_as: Any, url: str) -> None:
    login_as("ld_team")
    response = client.get(f"{url}?as_of=2021-02-30")
    assert response.status_code == 200
    assert "&#39;2021-02-30&#39; is not a date: write it like 2021-03-31" in response.get_data(
        as_text=True
    )
