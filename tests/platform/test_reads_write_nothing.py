"""Reading a page writes nothing (issue 21): every page and download reached by following
links as each demo user, on the demo data, sends no INSERT, UPDATE or DELETE to the
database, except the audit entry of a read of a young person's record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from levy.demo import seed_demo
from levy.domain.accounts import Actor
from levy.extensions import db as _db
from levy.models import User

PERSONAL_DATA_READS = ("young_person.viewed", "care_leavers.exported")
PAGES_PER_USER = 90
LINK = re.compile(r'href="(/[^"#]*)"')


@pytest.fixture
def writes_during_get(db: Any) -> Iterator[list[tuple[str, str]]]:
    """Every write statement sent while a GET is being answered: (path, statement)."""
    found: list[tuple[str, str]] = []

    def watch(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not has_request_context() or request.method not in ("GET", "HEAD"):
            return
        verb = statement.lstrip().split(" ", 1)[0].upper()
        if verb not in ("INSERT", "UPDATE", "DELETE"):
            return
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT") and any(
            action in str(parameters) for action in PERSONAL_DATA_READS
        ):
            return
        found.append((request.full_path, " ".join(statement.split())[:120]))

    event.listen(Engine, "before_cursor_execute", watch)
    try:
        yield found
    finally:
        event.remove(Engine, "before_cursor_execute", watch)


def _crawl(client: Any, limit: int) -> int:
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.mimetype != "text/html":
            continue
        for href in LINK.findall(response.get_data(as_text=True)):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.path.startswith(("/assets/", "/govuk/", "/js/", "/static/")):
                continue
            if href not in seen:
                queue.append(href)
    return len(seen)


def test_no_page_or_download_writes_while_it_is_read(
    app: Any, db: Any, writes_during_get: list[tuple[str, str]]
) -> None:
    for _line in seed_demo(Actor.cli()):
        pass
    users = _db.session.execute(db.select(User).order_by(User.email)).scalars().all()
    roles = {user.role for user in users}
    assert {
        "admin",
        "finance",
        "ld_team",
        "directorate_manager",
        "care_leavers",
        "employer",
    } <= roles
    read = 0
    for user in users:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        read += _crawl(client, PAGES_PER_USER)
    assert read > 300  # the crawl did reach the pages
    assert writes_during_get == []
