"""Marking an incentive claim, and recording a placement with its follow-up, in Chromium."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from levy import create_app
from levy.extensions import db
from levy.models import Directorate
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def new_hire(live_database: str) -> str:
    """A new-hire apprentice in the live database (the demo's apprentices come from cohorts)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": live_database,
            "SECRET_KEY": secrets.token_hex(32),
        }
    )
    with app.app_context():
        people = db.session.execute(db.select(Directorate).filter_by(name="People")).scalar_one()
        factories.create_apprentice(
            directorate=people, reference="APP-BROWSER", first_name="Robin",
            last_name="Clarke", date_of_birth=date(1999, 5, 1), planned_start=date(2020, 9, 1),
            employment_start=date(2020, 9, 1), new_hire=True,
        )  # fmt: skip
        db.session.commit()
        db.session.remove()
    return "APP-BROWSER"


def test_mark_a_claim_applied_then_paid(
    page: Page, live_server: str, new_hire: str, screenshot: Any
) -> None:
    sign_in(page, live_server, "ld@levy.demo")
    expect(page.locator(".levy-card").filter(has_text="Incentive payments claimed")).to_be_visible()
    page.goto(f"{live_server}/incentives/?as_of=2021-01-20")
    page.get_by_label(f"Select {new_hire} new-hire-1", exact=True).check(force=True)
    page.get_by_label("Date applied (or the provider was told)", exact=True).fill("2021-01-11")
    page.get_by_label("Claim reference", exact=True).fill("INC-BROWSER")
    page.get_by_role("button", name="Mark selected as applied").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "1 claim marked as applied"
    )
    # day 90 from 1 Sep 2020 is 29 Nov 2020: the first half (£1,000, aged 21) is due
    page.get_by_label(f"Select {new_hire} new-hire-1 instalment 1").check(force=True)
    page.get_by_label("Date received", exact=True).fill("2021-01-20")
    page.get_by_role("button", name="Mark selected as paid").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "1 instalment marked as paid"
    )
    page.goto(f"{live_server}/incentives/apprentices/{new_hire}?as_of=2021-01-20")
    section = page.locator("#scheme-new-hire-1")
    expect(section).to_contain_text("applied on 11 January 2021 (reference INC-BROWSER)")
    expect(section).to_contain_text("£1,000.00 on 20 January 2021")
    expect(section).to_contain_text("31 August 2021")  # day 365
    screenshot(page, "incentives-apprentice")
    # the apprentice record shows the same scheme, and the payment on its timeline
    page.get_by_role("link", name="See the apprentice record and timeline").click()
    record = page.locator("#scheme-new-hire-1")
    expect(record).to_contain_text("applied on 11 January 2021 (reference INC-BROWSER)")
    expect(record).to_contain_text("£1,000.00 on 20 January 2021")
    expect(record).to_contain_text("31 August 2021")
    expect(page.locator("[data-timeline] [data-kind='incentive']").first).to_contain_text(
        "29 November 2020: Incentive due: New-hire incentive, phase 1, instalment 1"
    )
    expect(page.locator("[data-timeline]")).to_contain_text(
        "20 January 2021: Incentive paid: New-hire incentive, phase 1, instalment 1"
    )
    screenshot(page, "cohorts-record-incentives")


def fill_date(page: Page, field: str, day: str) -> None:
    """Type an ISO date into a GOV.UK day/month/year input."""
    year, month, dd = day.split("-")
    page.locator(f"#{field}-day").fill(str(int(dd)))
    page.locator(f"#{field}-month").fill(str(int(month)))
    page.locator(f"#{field}-year").fill(year)


def test_record_a_placement_and_its_follow_up(
    page: Page, live_server: str, screenshot: Any
) -> None:
    sign_in(page, live_server, "careleavers@levy.demo")
    page.goto(f"{live_server}/care-leavers/")
    page.get_by_role("link", name="Liam Murphy").click()
    page.get_by_role("button", name="Add a placement").click()
    page.get_by_label("Council directorate", exact=True).select_option(
        label="Worcestershire County Council: People"
    )
    page.get_by_label("Service or team", exact=True).fill("Libraries")
    page.get_by_label("Supervisor", exact=True).fill("Ian Shaw")
    page.get_by_label("Taster: up to a day", exact=True).check(force=True)
    fill_date(page, "planned_start", "2021-03-01")
    fill_date(page, "planned_end", "2021-03-02")  # two days: too long for a taster
    page.get_by_label("Planned hours in total", exact=True).fill("1")
    page.get_by_label("Unpaid", exact=True).check(force=True)
    page.get_by_label("Why it is paid or unpaid", exact=True).fill(
        "One-hour taster: shadowing only"
    )
    page.get_by_role("button", name="Save placement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A taster placement lasts up to a day"
    )
    fill_date(page, "planned_end", "2021-03-01")
    fill_date(page, "actual_start", "2021-03-01")
    fill_date(page, "actual_end", "2021-03-01")
    page.get_by_label("Actual hours in total", exact=True).fill("1")
    fill_date(page, "risk_assessed_on", "2021-02-22")
    page.get_by_label("Risk assessment done by", exact=True).fill("Workplace safety adviser")
    page.get_by_label("Outcome", exact=True).select_option("completed")
    page.get_by_role("button", name="Save placement").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved")
    page.get_by_role("link", name="Record the 3-month follow-up").first.click()
    fill_date(page, "fu-recorded_on", "2021-06-02")
    page.get_by_label("Education or training", exact=True).check(force=True)
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "3-month follow-up recorded"
    )
    expect(page.locator("#follow-up + .levy-scroll table")).to_contain_text("education or training")
    screenshot(page, "care-leavers-placement")
