"""Everyone (issue 14): each role's pages in a real Chromium, on a desktop and a phone.

For every demo login this visits each page of that role's navigation and the main detail
pages it may open (an apprentice record, a transfer application, a young person, the levy
pot, what-if, quotas, the audit trail, the rules page) and checks, on each:

* axe-core finds no violation of impact moderate, serious or critical;
* at 375 px wide the page is no wider than the screen (tables scroll in their own box);
* chart text is at least 12 px on screen at 1280 and at 375 px;
* no id is used twice, and no status tag sits inside the h1;

and saves a screenshot at each width under test-artifacts/ (``everyone-<role>-<page>-<width>``).
One browser context per role; the pages are visited in a loop and every problem of the
role is listed in one assertion message.

To stay within a few minutes, a page whose ``<main>`` is exactly what an earlier role was
shown at the same address (the admin, L&D and finance teams share most screens) is not run
through axe or photographed again; its width, chart text and h1 are still checked. Every
role's header and navigation are checked in full on its home page, whose main differs.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import (
    axe_problems,
    duplicate_ids,
    page_width,
    sign_in,
    smallest_chart_text,
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
MIN_CHART_TEXT_PX = 12

# (list page, CSS selector of the first link to a detail page on it)
APPRENTICE = ("/apprentices", "main table a[href^='/apprentices/']")
QUEUE_APPLICATION = ("/transfers/queue", "main table a[href^='/transfers/applications/']")
OWN_APPLICATION = ("/transfers/my", "main table a[href^='/transfers/applications/']")
YOUNG_PERSON = ("/care-leavers/", "main a[href^='/care-leavers/young-people/']")

LEVY_POT, WHAT_IF, QUOTAS, AUDIT, RULES = "/levy/", "/levy/what-if", "/quotas", "/audit", "/rules"

# email -> detail pages beyond the navigation: a fixed path, or a (list page, link) pair
ROLES: dict[str, tuple[Any, ...]] = {
    "admin@levy.demo": (APPRENTICE, QUEUE_APPLICATION, LEVY_POT, WHAT_IF, QUOTAS, AUDIT, RULES),
    "ld@levy.demo": (APPRENTICE, QUEUE_APPLICATION, YOUNG_PERSON, LEVY_POT, WHAT_IF, QUOTAS, RULES),
    "finance@levy.demo": (
        APPRENTICE,
        QUEUE_APPLICATION,
        LEVY_POT,
        WHAT_IF,
        QUOTAS,
        AUDIT,
        RULES,
    ),
    "manager@levy.demo": (APPRENTICE, QUOTAS, RULES),
    "careleavers@levy.demo": (YOUNG_PERSON, RULES),
    "employer@levy.demo": (OWN_APPLICATION, "/transfers/"),
    "newbusiness@levy.demo": ("/transfers/",),
    # signed out: the sign-in page, the public transfers page and registration
    "": ("/login", "/transfers/", "/transfers/register"),
}


def pages_of(page: Page, base: str, details: tuple[Any, ...]) -> list[str]:
    """The role's navigation (read from the service navigation of its home page) and its
    detail pages, each path once, in order."""
    paths: list[str] = []
    if page.url.rstrip("/") == base:  # signed in: the home page has the navigation
        paths += page.eval_on_selector_all(
            "nav.govuk-service-navigation__wrapper a", "links => links.map(a => a.pathname)"
        )
        assert paths, "the home page has no service navigation"
    for detail in details:
        if isinstance(detail, str):
            paths.append(detail)
            continue
        listing, selector = detail
        page.goto(base + listing)
        link = page.locator(selector).first
        assert link.count(), f"no link {selector} on {listing}"
        paths.append(str(link.evaluate("a => a.pathname")))
    return list(dict.fromkeys(paths))


# (address, main content) already run through axe and photographed, by any role
CHECKED: set[tuple[str, str]] = set()


def main_content(page: Page) -> str:
    """The page's <main> as HTML, without the CSRF tokens (which differ per session)."""
    return str(
        page.evaluate(
            """() => {
              const main = document.querySelector('main').cloneNode(true);
              main.querySelectorAll('input[name=csrf_token]').forEach(i => i.remove());
              return main.innerHTML;
            }"""
        )
    )


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize("email", list(ROLES), ids=[e.split("@")[0] or "signed-out" for e in ROLES])
def test_every_page_of_each_role_is_accessible_and_fits_a_phone(
    page: Page, live_server: str, screenshot: Any, email: str
) -> None:
    page.set_viewport_size(DESKTOP)
    if email:
        sign_in(page, live_server, email, wait=True)
    role = email.split("@", maxsplit=1)[0] or "signed-out"
    problems: list[str] = []
    paths = pages_of(page, live_server, ROLES[email])
    for path in paths:
        page.set_viewport_size(DESKTOP)
        response = page.goto(live_server + path)
        assert response is not None and response.ok, (path, response and response.status)
        seen = (path, main_content(page))
        first_time = seen not in CHECKED
        CHECKED.add(seen)
        if first_time:
            problems += [f"{path}: {p}" for p in axe_problems(page)]
        if repeated := duplicate_ids(page):
            problems.append(f"{path}: ids used more than once: {', '.join(repeated)}")
        if page.locator("h1 .govuk-tag").count():
            problems.append(f"{path}: a status tag inside the h1")
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            width = viewport["width"]
            if width == PHONE["width"] and page_width(page) > width:
                problems.append(f"{path}: {page_width(page)} px wide at {width} px")
            chart_text = smallest_chart_text(page)
            if chart_text is not None and chart_text < MIN_CHART_TEXT_PX:
                problems.append(f"{path}: chart text {chart_text:.1f} px at {width} px")
            if first_time:
                screenshot(page, f"everyone-{role}-{slug(path)}-{width}")
    assert len(paths) >= 2
    if problems:
        pytest.fail(f"{role}, {len(paths)} pages:\n" + "\n".join(problems), pytrace=False)


def test_what_if_result_with_two_charts_is_accessible_and_readable_on_a_phone(
    page: Page, live_server: str, screenshot: Any
) -> None:
    """The what-if answer draws two charts on one page: each has ids of its own, scrolls in
    its own box on a phone, and keeps its text at 12 px or more."""
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "finance@levy.demo", wait=True)
    page.goto(f"{live_server}/levy/what-if")
    page.fill("input[name=start]", "2021-04")
    page.fill("input[name=price]", "6000")
    page.click("text=Find the number of starts")
    page.wait_for_selector("#result")
    assert page.locator("svg.levy-chart").count() == 2
    assert page.locator(".levy-scroll[role=region][tabindex='0'] > svg.levy-chart").count() == 2
    assert duplicate_ids(page) == []
    problems = axe_problems(page)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        chart_text = smallest_chart_text(page)
        assert chart_text is not None and chart_text >= MIN_CHART_TEXT_PX, (viewport, chart_text)
        screenshot(page, f"everyone-finance-what-if-result-{viewport['width']}")
    assert page_width(page) <= PHONE["width"]
    assert not problems, "\n".join(problems)
