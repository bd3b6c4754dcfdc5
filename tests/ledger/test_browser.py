"""A finance user, as a new user would: sign in, see the pot, import, ask the what-if."""

from __future__ import annotations

from typing import Any

import pytest

from levy.demo import DEMO_PASSWORD
from tests.factories import transactions_file

pytestmark = [
    pytest.mark.browser,
    # pytest-playwright 0.10 defines session fixtures as methods; pytest 9 warns about it
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "finance@levy.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit], input[type=submit]")


def test_finance_user_sees_the_pot_and_the_what_if(page, live_server, screenshot, tmp_path):
    sign_in(page, live_server)
    page.click("text=Levy pot")
    page.wait_for_url(f"{live_server}/levy/")  # the pot is worked out as it is read
    page.get_by_text("£1,692,300", exact=True).wait_for(timeout=30_000)
    assert page.get_by_text("£1,692,300", exact=True).is_visible()
    assert page.locator("svg.levy-chart").is_visible()
    screenshot(page, "ledger-dashboard")

    path = transactions_file(tmp_path / "bad.xlsx", [["2021-03", "levy", "abc", ""]])
    page.goto(f"{live_server}/levy/import")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=Check the file")
    page.wait_for_selector("text=The workbook was not imported")
    assert page.locator("text=Transactions, row 2, Amount").is_visible()

    page.goto(f"{live_server}/levy/what-if")
    page.fill("input[name=start]", "2021-04")
    page.click("text=Find the number of starts")
    page.wait_for_selector("#result")
    assert page.locator(".govuk-panel__title").inner_text().endswith("extra starts")
    screenshot(page, "ledger-what-if")
