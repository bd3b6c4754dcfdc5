"""Pages sent as stored while no data has changed (issue 13, ``levy/views/stored_pages.py``):
the same page without working it out, never a stale one, never another user's or another
session's, with this request's nonce, and access checked first."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask, g

from levy.extensions import db as _db
from levy.models.projection import ForecastProjection
from levy.views import ledger as ledger_views
from levy.views.stored_pages import PREFIX
from tests import factories


def _stored_pages() -> int:
    return len(
        _db.session.execute(
            _db.select(ForecastProjection.id).where(ForecastProjection.key.like(f"{PREFIX}%"))
        ).all()
    )


def _without_nonce_text(page: str) -> str:
    return re.sub(r'nonce="[^"]+"', "", page)


def _without_nonce(response: Any) -> str:
    return _without_nonce_text(response.get_data(as_text=True))


def _sign_in(login_as: Any, client: Any, role: str, **kwargs: Any) -> Any:
    """Signed in as a browser is after the sign-in page: the session holds its CSRF token
    (every page's sign-out button carries one; a page that had to create it is not kept)."""
    user = login_as(role, **kwargs)
    client.get("/rules")
    return user


def _levy_year() -> None:
    for i in range(12):
        month = date(2020 + (i + 3) // 12, (i + 3) % 12 + 1, 1)
        factories.create_transaction(month, "levy", Decimal("20000"))
    _db.session.commit()


def _count_work(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time the ledger page is worked out (rather than sent as stored)."""
    calls: list[str] = []
    real = ledger_views._ledger_rows

    def counting() -> Any:
        calls.append("worked out")
        return real()

    monkeypatch.setattr(ledger_views, "_ledger_rows", counting)
    return calls


def test_a_page_is_sent_as_stored_until_the_data_changes(
    client: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _levy_year()
    _sign_in(login_as, client, "finance")
    worked = _count_work(monkeypatch)
    first = client.get("/levy/ledger?to=2021-03")
    assert first.status_code == 200 and "£240,000.00" in first.get_data(as_text=True)
    assert _stored_pages() == 1 and len(worked) == 1

    again = client.get("/levy/ledger?to=2021-03")
    assert again.status_code == 200 and len(worked) == 1  # sent as stored
    assert _without_nonce(again) == _without_nonce(first)
    assert again.headers["Cache-Control"] == "no-store"  # the after-request hooks still run
    client.get("/levy/ledger?to=2021-02")  # another address: another page, which
    assert len(worked) == 2 and _stored_pages() == 1  # replaces this session's last one
    client.get("/levy/ledger?to=2021-02")
    assert len(worked) == 2
    client.get("/")  # another view: a page of its own beside it
    assert _stored_pages() == 2

    factories.create_transaction(date(2021, 3, 1), "levy", Decimal("1000.50"))
    _db.session.commit()  # any write to the data: the stored pages are no longer current
    changed = client.get("/levy/ledger?to=2021-03").get_data(as_text=True)
    assert len(worked) == 3
    assert "£241,000.50" in changed and "£240,000.00" not in changed
    assert _stored_pages() == 1  # older versions cleared when the new one was stored


def test_the_stored_page_carries_this_requests_nonce(client: Any, login_as: Any) -> None:
    _sign_in(login_as, client, "finance")
    nonces = []
    for _ in range(2):
        response = client.get("/levy/ledger")
        header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        assert header is not None
        nonce = header.group(1)
        scripts = re.findall(r'<script nonce="([^"]+)"', response.get_data(as_text=True))
        assert scripts and set(scripts) == {nonce}
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert _stored_pages() == 1  # the second was the stored page


def _browser(app: Flask, user: Any, token: str) -> Any:
    """A browser of its own, signed in: its session holds its own CSRF token, as after
    the sign-in page."""
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["csrf_token"] = token
    return browser


def _get(browser: Any, url: str) -> str:
    g.pop("csrf_token", None)  # the tests keep one app context: not the last request's token
    return str(browser.get(url).get_data(as_text=True))


TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_each_user_and_each_session_has_its_own_page(app: Flask, db: Any) -> None:
    one = factories.create_user(role="finance", name="Finance Officer One")
    two = factories.create_user(role="finance", name="Finance Officer Two")
    _db.session.commit()
    pages = {}
    for name, user in (("one", one), ("one again", one), ("two", two)):
        browser = _browser(app, user, f"raw token of {name}")
        pages[name] = [_get(browser, "/") for _ in range(2)]
        assert _without_nonce_text(pages[name][0]) == _without_nonce_text(pages[name][1])
    tokens = {
        name: set(TOKEN.findall(page[0]) + TOKEN.findall(page[1])) for name, page in pages.items()
    }
    assert all(len(found) == 1 for found in tokens.values())  # the stored page: the same token
    assert len(set().union(*tokens.values())) == 3  # each session's own token
    assert _stored_pages() == 3


def test_a_waiting_message_is_shown_not_skipped(client: Any, login_as: Any) -> None:
    _sign_in(login_as, client, "finance")
    client.get("/levy/ledger")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Levy transactions imported")]
    shown = client.get("/levy/ledger").get_data(as_text=True)
    assert "Levy transactions imported" in shown
    assert "Levy transactions imported" not in client.get("/levy/ledger").get_data(as_text=True)


def test_access_is_checked_before_a_stored_page_is_sent(client: Any, login_as: Any) -> None:
    login_as("finance")
    assert client.get("/transfers/queue").status_code == 200
    login_as("employer")
    assert client.get("/transfers/queue").status_code == 403


def test_the_store_can_be_turned_off(
    app: Flask, client: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LEVY_PAGE_STORE", False)
    _sign_in(login_as, client, "finance")
    client.get("/levy/ledger")
    client.get("/levy/ledger")
    assert _stored_pages() == 0


def test_another_change_date_is_another_page(
    app: Flask, client: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from levy.rules_config import EXTENSION, rules_for

    _sign_in(login_as, client, "finance")
    worked = _count_work(monkeypatch)
    client.get("/levy/ledger")
    client.get("/levy/ledger")
    assert len(worked) == 1
    # LEVY_CHANGE_DATE is configuration: a restart with another date changes no data
    monkeypatch.setitem(app.extensions, EXTENSION, rules_for(date(2026, 4, 1)))
    client.get("/levy/ledger")
    assert len(worked) == 2
