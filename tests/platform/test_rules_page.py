from __future__ import annotations

from typing import Any


def test_rules_page_lists_dated_rules_with_sources(client: Any, login_as: Any) -> None:
    login_as("ld_team")
    page = client.get("/rules").get_data(as_text=True)
    assert "expiry.months" in page
    assert "1 August 2026" in page
    assert "SI 2017/513" in page


def test_employer_cannot_see_rules_page(client: Any, login_as: Any) -> None:
    login_as("employer")
    assert client.get("/rules").status_code == 403
