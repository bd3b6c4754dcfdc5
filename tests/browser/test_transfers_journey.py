"""A local business registers, applies, an officer approves, the business accepts,
in a real headless Chromium (issue 6)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import confirm_email, fill_registration, levy_for_year, sign_in

EMAIL = "owner@droitwich-bikes.example"
PASSWORD = "a-long-enough-password"
LEVY_KEY = "browser-test-transfers-levy"


# a start in September next year: a future start, in the financial year starting that April
START = date(date.today().year + 1, 9, 1)


@pytest.fixture
def live_db(live_database: str) -> Iterator[Any]:
    with levy_for_year(live_database, LEVY_KEY, START.year) as db:
        yield db


def test_register_apply_approve_accept(
    page: Page, live_server: str, live_db: Any, screenshot: Any
) -> None:
    base = live_server
    # the public page says how to apply
    page.goto(f"{base}/transfers/")
    expect(page.locator("h1")).to_contain_text("levy funding for Worcestershire businesses")
    page.get_by_role("link", name="Register your business").click()

    # a mistake first: the error summary names the field
    fill_registration(
        page,
        name="Priya Shah",
        email=EMAIL,
        password=PASSWORD,
        organisation="Droitwich Bikes Ltd",
        number="12345678",
        address="3 Friar Street, Droitwich Spa",
        postcode="12345",
        employees="6",
        sector="Advanced manufacturing",
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("is not a UK postcode")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm the password").fill(PASSWORD)
    page.get_by_label("Postcode").fill("WR9 8AA")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    screenshot(page, "transfers-registered")

    # the confirmation link, as the outbox holds it
    confirm_email(page, base, live_db, EMAIL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is confirmed")

    # apply
    sign_in(page, base, EMAIL, PASSWORD)
    page.goto(f"{base}/transfers/my")
    page.get_by_role("link", name="Start an application").click()
    page.get_by_label("Apprenticeship standard").select_option(
        label="Customer service practitioner (level 2, ST0072)"
    )
    page.get_by_label("Number of apprentices").fill("2")
    page.locator("#planned_start-day").fill("1")
    page.locator("#planned_start-month").fill("9")
    page.locator("#planned_start-year").fill(str(START.year))
    page.locator("#new_start").check()  # Yes
    page.get_by_label("Training provider", exact=True).fill("Heart of Worcestershire College")
    page.locator("#provider_in_county").check()
    page.get_by_label("Care leavers").check()
    page.get_by_label("How do these roles add social value?").fill(
        "Both roles are offered first to care leavers, with a mentor and a guaranteed interview."
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before you submit")
    # 3,500 × 2 = 7,000 for a 12-month course
    expect(page.locator(".govuk-summary-list")).to_contain_text("£7,000.00 of £7,000.00")
    screenshot(page, "transfers-check-answers")
    page.get_by_role("button", name="Submit application").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted")
    reference = page.locator("h1").inner_text().split()[1]
    page.get_by_role("button", name="Sign out").click()

    # an officer finds it in the ranked queue, screened, and approves it
    sign_in(page, base, "finance@levy.demo")
    page.goto(f"{base}/transfers/queue")
    row = page.locator("#queue tr", has_text=reference)
    expect(row).to_contain_text("Passes")
    screenshot(page, "transfers-queue")
    row.get_by_role("link", name=reference).click()
    expect(page.locator("h1")).to_contain_text(reference)
    page.get_by_role("link", name="Approve and reserve").click()
    expect(page.locator("h1")).to_contain_text("Are you sure you want to approve")
    page.get_by_role("button", name="Yes, approve and reserve").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("£7,000.00 reserved")
    page.get_by_role("button", name="Sign out").click()

    # the business accepts the offer
    sign_in(page, base, EMAIL, PASSWORD)
    page.goto(f"{base}/transfers/my")
    page.get_by_role("link", name=reference).click()
    expect(page.locator(".levy-heading-tag .govuk-tag")).to_have_text("Approved")
    page.get_by_role("link", name="Accept the offer").click()
    expect(page.locator("h1")).to_contain_text("Are you sure you want to accept the offer")
    page.get_by_role("button", name="Yes, accept the offer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You accepted the offer")
    expect(page.locator(".levy-heading-tag .govuk-tag")).to_have_text("Accepted")
    screenshot(page, "transfers-accepted")
