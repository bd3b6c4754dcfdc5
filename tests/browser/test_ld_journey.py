"""Issue 14, the L&D officer's first journey in Chromium, at 1280 and 375 px: add an
apprentice with mistakes (every problem at once, the summary takes the focus, each link
goes to its field), fix them, record a break, then import a workbook via its preview."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.factories import COUNCIL, apprentices_book, person

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def shots(page: Page, screenshot: Any, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def fill_date(page: Page, field: str, day: str, month: str, year: str) -> None:
    page.fill(f"#{field}-day", day)
    page.fill(f"#{field}-month", month)
    page.fill(f"#{field}-year", year)


def test_ld_officer_adds_fixes_breaks_and_imports(
    page: Page, live_server: str, screenshot: Any, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "ld@levy.demo")
    page.goto(f"{live_server}/apprentices/new")
    page.fill("#reference", "APP-J14")
    page.fill("#first_name", "Sam")
    page.fill("#last_name", "Jones")
    fill_date(page, "date_of_birth", "30", "6", "2000")
    page.fill("#agreed_price", "lots")
    fill_date(page, "start", "1", "9", "2020")
    fill_date(page, "planned_end", "31", "8", "2020")
    page.get_by_role("button", name="Save apprentice").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for text in (
        "Select the organisation and directorate",
        "Select the standard",
        "Select the provider",
        "'lots' is not an amount in pounds",
        "Planned end date: 31 Aug 2020 is not after the start date",
    ):
        expect(summary).to_contain_text(text)
    expect(page.locator("#planned_end-error")).to_contain_text("is not after the start date")
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)
    shots(page, screenshot, "ld-journey-add-errors")
    summary.get_by_role("link", name="Planned end date").click()
    expect(page.locator("#planned_end-day")).to_be_focused()

    # fix every problem at once
    people = page.locator("#directorate_id option", has_text="People").first.get_attribute("value")
    page.select_option("#directorate_id", people)
    standard = page.locator("#standard_id option", has_text="ST0070").first.get_attribute("value")
    page.select_option("#standard_id", standard)
    page.select_option("#provider_id", label="Heart of Worcestershire College")
    page.fill("#agreed_price", "5000")
    fill_date(page, "planned_end", "28", "2", "2022")
    page.get_by_role("button", name="Save apprentice").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Sam Jones (APP-J14) is added"
    )

    # a break in learning: a mistake first (no reason), then the break
    page.check("input[value='break']")
    fill_date(page, "on", "3", "5", "2021")
    page.click("button:has-text('Change status')")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#reason-error")).to_contain_text("Give a reason for the change")
    page.check("input[value='break']")
    page.fill("#reason", "Long illness")
    page.click("button:has-text('Change status')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Sam Jones is now on a break in learning from 3 May 2021"
    )
    expect(page.locator("#payments-note")).to_contain_text(
        "Payments are paused during the break in learning that started on 3 May 2021"
    )
    shots(page, screenshot, "ld-journey-break")

    # an import: the preview lists the new and the changed apprentice before anything is saved
    book = apprentices_book(
        tmp_path / "apprentices.xlsx",
        [
            person(
                "APP-J14",
                **{
                    "First name": "Sam",
                    "Last name": "Jones",
                    "Date of birth": date(2000, 6, 30),
                    "Organisation": COUNCIL,
                    "Employment start": None,
                    "Planned end date": date(2022, 3, 31),
                    "Status": "break",
                },
            ),
            person("APP-J15", **{"First name": "Ava", "Last name": "Khan"}),
        ],
        breaks=[["APP-J14", date(2021, 5, 3), None]],
    )
    page.goto(f"{live_server}/apprentices/import")
    page.set_input_files("#workbook", str(book))
    page.get_by_role("button", name="Check the workbook").click()
    expect(page.locator("[data-preview='new']")).to_contain_text("APP-J15 Ava Khan")
    expect(page.locator("[data-preview='changed']")).to_contain_text(
        "Planned end date: 28 February 2022 → 31 March 2022"
    )
    shots(page, screenshot, "ld-journey-import-preview")
    page.get_by_role("button", name="Import these apprentices").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2 rows: 1 new, 1 changed"
    )
