"""The L&D team in a real browser: list, record with warnings, a status move; a manager's scope."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_ld_team_filters_opens_a_record_and_moves_a_status(
    page: Any, live_server: str, screenshot: Any
) -> None:
    sign_in(page, live_server, "ld@levy.demo")
    page.goto(f"{live_server}/apprentices?status=break")
    assert page.locator("caption").inner_text().startswith("4 apprentices")
    screenshot(page, "cohorts-apprentice-list")
    page.locator("table a.govuk-link").first.click()
    assert page.locator(".levy-heading-tag .govuk-tag").inner_text() == "break"
    page.check("input[value='on programme']")
    page.fill("#on-day", "6")
    page.fill("#on-month", "4")
    page.fill("#on-year", "2021")
    page.fill("#reason", "Back from illness")
    page.click("button:has-text('Change status')")
    assert (
        "is back in learning from 6 April 2021"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Back from illness" in page.content()
    screenshot(page, "cohorts-apprentice-record")
    page.goto(f"{live_server}/cohorts?as_of=2021-03-31")
    assert "146" in page.locator(".levy-card").first.inner_text()
    screenshot(page, "cohorts-census")


def test_manager_sees_only_their_quota(page: Any, live_server: str, screenshot: Any) -> None:
    sign_in(page, live_server, "manager@levy.demo")
    page.goto(f"{live_server}/quotas?year=2020")
    rows = page.locator("tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert any("People" in r for r in rows)
    assert any("Schools" in r for r in rows)
    screenshot(page, "cohorts-quotas-manager")
    page.locator("tbody a.govuk-link").first.click()
    assert "Target starts" in page.content()
