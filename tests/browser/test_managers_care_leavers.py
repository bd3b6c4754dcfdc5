"""Issue 14 in Chromium: the care leavers team adds a placement with GOV.UK dates, lands on
its summary and records the 3-month follow-up from its link; a directorate manager's home
page shows their quota and RAG (and nothing about care leavers). Each page is run through
axe, must fit a phone, and is photographed at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_problems, page_width, sign_in
from tests.browser.test_everyone import DESKTOP, PHONE
from tests.browser.test_incentives_browser import fill_date

pytestmark = pytest.mark.browser


def check(page: Page, screenshot: Any, name: str) -> None:
    """axe finds nothing moderate or worse; at 375 px nothing is wider than the screen;
    a screenshot at each width."""
    problems: list[str] = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        problems += axe_problems(page)
        if viewport is PHONE and page_width(page) > PHONE["width"]:
            problems.append(f"{page_width(page)} px wide at 375 px")
        screenshot(page, f"{name}-{viewport['width']}")
    page.set_viewport_size(DESKTOP)
    assert not problems, problems


def test_care_leavers_placement_journey(page: Page, live_server: str, screenshot: Any) -> None:
    sign_in(page, live_server, "careleavers@levy.demo")
    page.goto(f"{live_server}/care-leavers/")
    page.get_by_role("link", name="Liam Murphy").click()
    page.get_by_role("button", name="Add a placement").click()
    expect(page.locator(".govuk-back-link")).to_have_text("Back to Liam Murphy")
    page.get_by_role("button", name="Save placement").click()  # nothing chosen yet
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the council directorate, or enter the outside host organisation"
    )
    page.get_by_label("Outside host organisation", exact=True).fill("Worcester Library Trust")
    page.get_by_label("Short: up to two weeks (14 days)", exact=True).check(force=True)
    fill_date(page, "planned_start", "2021-02-01")
    fill_date(page, "planned_end", "2021-02-05")
    fill_date(page, "actual_start", "2021-02-01")
    fill_date(page, "actual_end", "2021-02-05")
    page.get_by_label("Planned hours in total", exact=True).fill("30")
    page.get_by_label("Actual hours in total", exact=True).fill("30")
    page.get_by_label("Unpaid", exact=True).check(force=True)
    page.get_by_label("Why it is paid or unpaid", exact=True).fill("Work experience")
    fill_date(page, "risk_assessed_on", "2021-01-25")
    page.get_by_label("Risk assessment done by", exact=True).fill("Trust safety lead")
    page.get_by_label("Outcome", exact=True).select_option("completed")
    check(page, screenshot, "care-leavers-placement-form")
    page.get_by_role("button", name="Save placement").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved")
    expect(page.locator("h2", has_text="Placement details")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "Worcester Library Trust (outside host)"
    )
    check(page, screenshot, "care-leavers-placement-summary")
    page.get_by_role("link", name="Record the 3-month follow-up").click()
    expect(page.locator("h1")).to_have_text("Record the 3-month follow-up")
    expect(page.get_by_label("3 months after the placement")).to_have_count(0)
    fill_date(page, "fu-recorded_on", "2021-05-10")
    page.get_by_label("Job", exact=True).check(force=True)
    check(page, screenshot, "care-leavers-follow-up-form")
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "3-month follow-up recorded"
    )
    expect(page.locator("#follow-up + .levy-scroll table")).to_contain_text("job")


def test_manager_home_page_shows_quota_and_rag(
    page: Page, live_server: str, screenshot: Any
) -> None:
    sign_in(page, live_server, "manager@levy.demo")
    page.goto(f"{live_server}/")
    cards = page.locator(".levy-card", has_text="quota")
    # the live server runs on the real date: a year with no headcount has no target yet
    expect(cards.first).to_contain_text("started")
    expect(cards.first).to_contain_text("on programme")
    main = page.locator("main").inner_text().lower()
    assert "care leaver" not in main and "placement" not in main
    check(page, screenshot, "manager-home")
    cards.first.get_by_role("link", name="See the quota").click()
    expect(page.locator("#rag-rule")).to_contain_text("Green:")
    check(page, screenshot, "manager-quota")
