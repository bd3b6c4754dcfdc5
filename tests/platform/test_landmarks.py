"""Issue 14 in the page markup (the browser test checks the same with axe-core): back links
and the service navigation inside landmarks, one id per element, tables in scroll boxes."""

from __future__ import annotations

import re
from typing import Any


def test_back_link_sits_in_a_back_navigation_landmark(client: Any, login_as: Any) -> None:
    login_as("admin")
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert re.search(r'<nav aria-label="Back"><a [^>]*class="govuk-back-link"', page)
    home = client.get("/").get_data(as_text=True)
    assert 'aria-label="Back"' not in home  # no empty landmark on a page without one


def test_service_navigation_is_labelled_on_its_nav_not_on_a_plain_div(
    client: Any, login_as: Any
) -> None:
    login_as("admin")
    page = client.get("/").get_data(as_text=True)
    assert '<nav aria-label="Menu" class="govuk-service-navigation__wrapper' in page
    assert not re.search(r'<div class="govuk-service-navigation"[^>]*aria-label', page, re.S)


def test_two_flash_banners_have_ids_of_their_own(client: Any, login_as: Any) -> None:
    login_as("admin")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "First"), ("info", "Second")]
    page = client.get("/").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "flash-title-1" in ids and "flash-title-2" in ids
    assert len(ids) == len(set(ids))


def test_every_table_on_a_page_scrolls_in_its_own_named_box(client: Any, login_as: Any) -> None:
    login_as("admin")
    page = client.get("/cohorts").get_data(as_text=True)
    tables = page.count("<table")
    boxes = re.findall(
        r'<div class="levy-scroll" role="region" aria-label="([^"]+)" tabindex="0"><table', page
    )
    assert tables == 4 and len(boxes) == 4
    assert len(set(boxes)) == 4  # unique names: each is a landmark
