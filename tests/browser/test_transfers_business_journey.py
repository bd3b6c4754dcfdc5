"""Issue 14: a first-time business goes all the way without help, in a real headless
Chromium: registration screened (too many employees refused, with why), "Start an
application" from the home page, "Check your answers" naming a failing local rule, submit,
an officer approves through the confirmation page, the business accepts through its own,
then reports its apprentices' starts. Screenshots at 1280 and 375 pixels wide."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import confirm_email, fill_registration, levy_for_year, sign_in

EMAIL = "owner@upton-boats.example"
PASSWORD = "another-long-password"
LEVY_KEY = "browser-test-business-journey-levy"
START = date(date.today().year + 1, 9, 1)  # a future start, as transfers fund new starts
WIDTHS = (1280, 375)


def shots(page: Page, screenshot: Any, name: str) -> None:
    """The page at a desktop and a phone width."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"transfers-business-{name}-{width}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


@pytest.fixture
def live_db(live_database: str) -> Iterator[Any]:
    with levy_for_year(live_database, LEVY_KEY, START.year) as db:
        yield db


def test_a_first_time_business_goes_all_the_way(
    page: Page, live_server: str, live_db: Any, screenshot: Any
) -> None:
    base = live_server
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    # register: 300 employees is refused on the field, with why
    page.goto(f"{base}/transfers/register")
    expect(page.locator("#employees-hint")).to_contain_text("fewer than 250 employees")
    fill_registration(
        page,
        name="Alex Morgan",
        email=EMAIL,
        password=PASSWORD,
        organisation="Upton Boatyard Ltd",
        number="09876543",
        address="Waterside, Upton-upon-Severn",
        postcode="WR8 0HG",
        employees="300",
        sector="Tourism and hospitality",
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("300 employees is not eligible")
    expect(page.locator("#employees-error")).to_contain_text("fewer than 250 employees")
    shots(page, screenshot, "register-refused")
    # the summary's link takes the reader to the field
    summary.get_by_role("link", name=re.compile("300 employees")).click()
    expect(page.get_by_label("Number of employees")).to_be_focused()
    page.get_by_label("Number of employees").fill("14")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm the password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.locator("h1")).to_have_text("Check your email")

    confirm_email(page, base, live_db, EMAIL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is confirmed")

    # start an application from the home page
    sign_in(page, base, EMAIL, PASSWORD)
    page.get_by_role("link", name="Start an application").click()
    expect(page.locator("h1")).to_have_text("Apply for levy transfer funding")
    page.get_by_label("Apprenticeship standard").select_option(
        label="Customer service practitioner (level 2, ST0072)"
    )
    page.get_by_label("Number of apprentices").fill("2")
    page.locator("#planned_start-day").fill(str(START.day))
    page.locator("#planned_start-month").fill(str(START.month))
    page.locator("#planned_start-year").fill(str(START.year))
    page.locator("#new_start").check()
    page.get_by_label("Training provider", exact=True).fill("Severn Training Partnership")
    page.locator("#provider_in_county-2").check()  # No: a local rule fails
    page.get_by_label("People aged 16 to 24").check()
    page.get_by_label("How do these roles add social value?").fill(
        "Two boatbuilding apprenticeships for young people from the town."
    )
    page.get_by_role("button", name="Save and continue").click()

    # check your answers names the failing rule and what would fix it
    expect(page.locator("h1")).to_have_text("Check your answers before you submit")
    failed = page.locator("#failed-rules")
    expect(failed).to_contain_text("This application does not meet a local rule")
    expect(failed).to_contain_text("A training provider in Worcestershire")
    expect(failed).to_contain_text("Choose a training provider based in Worcestershire")
    shots(page, screenshot, "check-answers-failing")
    page.get_by_role("button", name="Submit it anyway").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("does not meet the rule: A training provider in Worcestershire")
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)
    expect(page.locator("#failed-rules")).to_contain_text("What happens next")
    shots(page, screenshot, "submitted-failing")
    reference = page.locator("h1").inner_text().split()[1]
    page.get_by_role("button", name="Sign out").click()

    # an officer approves through the confirmation page
    sign_in(page, base, "ld@levy.demo")
    page.goto(f"{base}/transfers/queue")
    page.locator("#queue tr", has_text=reference).get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Approve and reserve").click()
    expect(page.locator("h1")).to_have_text(f"Are you sure you want to approve {reference}?")
    # 12 months at £3,500 × 2: all £7,000 reserved in the start year
    expect(page.locator(".govuk-summary-list")).to_contain_text("£7,000.00 of £7,000.00")
    expect(page.locator("main")).to_contain_text("does not meet the local rules")
    shots(page, screenshot, "officer-confirms-approval")
    page.get_by_role("button", name="Yes, approve and reserve").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("£7,000.00 reserved")
    page.get_by_role("button", name="Sign out").click()

    # the business accepts through its confirmation page
    sign_in(page, base, EMAIL, PASSWORD)
    page.goto(f"{base}/transfers/my")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Accept the offer").click()
    expect(page.locator("h1")).to_contain_text("Are you sure you want to accept the offer")
    expect(page.locator("main")).to_contain_text("Up to £7,000.00")
    shots(page, screenshot, "business-confirms-acceptance")
    page.get_by_role("button", name="Yes, accept the offer").click()
    expect(page.locator(".levy-heading-tag .govuk-tag")).to_have_text("Accepted")
    # 3 months after the planned start of 1 September: by 30 November
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        f"Tell us your apprentices have started by 30 November {START.year}."
    )

    # and reports the starts: a mistake first, then right
    page.locator("#starts-0-name").fill("Jamie Fox")
    page.locator("#starts-0-start-day").fill(str(START.day))
    page.locator("#starts-0-start-month").fill(str(START.month))
    page.locator("#starts-0-start-year").fill(str(START.year))
    page.locator("#starts-0-uln").fill("12345")
    page.get_by_role("button", name="Report the starts").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The ULN must be 10 digits")
    expect(page.locator("#starts-0-uln-error")).to_be_visible()
    page.locator("#starts-0-uln").fill("1234567890")
    page.locator("#starts-1-name").fill("Robin Hale")
    page.locator("#starts-1-start-day").fill(str(START.day))
    page.locator("#starts-1-start-month").fill(str(START.month))
    page.locator("#starts-1-start-year").fill(str(START.year))
    shots(page, screenshot, "report-starts")
    page.get_by_role("button", name="Report the starts").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "you told us 2 apprentice(s) started"
    )
    expect(page.locator(".levy-heading-tag .govuk-tag")).to_have_text("Funds used")
    expect(page.locator("#apprentice-starts")).to_contain_text("Jamie Fox")
    expect(page.locator("#apprentice-starts")).to_contain_text("Not known yet")
    shots(page, screenshot, "starts-reported")
