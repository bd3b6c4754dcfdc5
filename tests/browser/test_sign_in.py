"""Each demo login reaches its home page in a real headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from levy.demo.platform import DEMO_USERS
from tests.browser.conftest import sign_in

ROLE_HEADINGS = {
    "admin": "Administrator",
    "ld_team": "L&D apprenticeships team",
    "finance": "HR and finance",
    "directorate_manager": "Directorate manager",
    "care_leavers": "Care leavers team",
    "employer": "Local business (transfer applicant)",
}


@pytest.mark.parametrize(("email", "role"), [(u[0], u[1]) for u in DEMO_USERS])
def test_each_demo_login_reaches_its_home_page(
    page: Page, live_server: str, screenshot: Any, email: str, role: str
) -> None:
    page.goto(live_server + "/")
    expect(page).to_have_url(f"{live_server}/login?next=%2F")
    sign_in(page, live_server, email)
    expect(page.locator("h1")).to_have_text("Apprenticeship levy")
    expect(page.locator(".govuk-caption-l")).to_have_text(ROLE_HEADINGS[role])
    expect(page.locator(".levy-header")).to_contain_text("Worcestershire County Council")
    # the council's own header: no crown, no GOV.UK logotype, no GDS Transport
    assert page.locator(".govuk-header__logotype").count() == 0
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Transport" not in font and "arial" in font.lower()
    screenshot(page, f"home-{role}")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in")


def test_wrong_password_shows_error_summary(page: Page, live_server: str, screenshot: Any) -> None:
    sign_in(page, live_server, "finance@levy.demo", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Email address")).to_be_focused()
    screenshot(page, "login-error")
