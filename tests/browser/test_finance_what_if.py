"""Finance's what-if journey (issue 14): choose a standard (its band and duration fill
the form), set the price and duration, read the answer as a sentence with its
assumptions, open the table of a chart's figures; accessible and fitting a phone."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import axe_problems, duplicate_ids, page_width, sign_in
from tests.browser.test_everyone import DESKTOP, PHONE

ANSWER = re.compile(
    r"^Starting \d+ more apprenticeships? at £9,000 over 18 months from April 2021 would stop"
    r" £[\d,]+\.\d\d of levy expiring over the next 12 months; with no extra starts"
    r" £[\d,]+\.\d\d would expire\.$"
)


def test_finance_sets_price_and_duration_and_reads_the_answer(
    page: Page, live_server: str, screenshot: Any
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "finance@levy.demo", wait=True)
    page.goto(f"{live_server}/levy/what-if")
    assert page.get_by_text(
        "The answer depends on what the extra apprenticeships cost"
    ).is_visible()

    # choosing a standard fills the price and duration (JavaScript)
    option = page.locator("#standard option[data-price]").first
    price, duration = option.get_attribute("data-price"), option.get_attribute("data-duration")
    page.select_option("#standard", value=option.get_attribute("value"))
    assert page.input_value("input[name=price]") == price
    assert page.input_value("input[name=duration]") == duration

    # the user's own price and duration win
    page.fill("input[name=start]", "2021-04")
    page.fill("input[name=price]", "9000")
    page.fill("input[name=duration]", "18")
    page.click("text=Find the number of starts")
    page.wait_for_selector("#result")
    answer = page.locator("#what-if-answer").inner_text().strip()
    assert ANSWER.match(answer), answer
    assert page.get_by_text("Numbers of starts tried").count() == 0
    assert page.locator("svg.levy-chart").count() == 2

    page.get_by_text("The figures in this chart: forecast with the extra starts").click()
    table = page.locator("details[open] table").first
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 12
    assert duplicate_ids(page) == []
    problems = axe_problems(page)
    screenshot(page, "finance-what-if-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, "finance-what-if-375")
    assert page_width(page) <= PHONE["width"]
    assert not problems, "\n".join(problems)
