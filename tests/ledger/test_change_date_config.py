"""LEVY_CHANGE_DATE reaches the ledger through the app's rule table (levy.rules_config),
never by rewriting levy.domain.rules.RULES."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from levy.domain.rules import RULES, rulebook
from levy.rules_config import EXTENSION, change_date_of, current_rules, rules_for
from levy.services.ledger import get_ledger
from tests import factories


def test_funds_entering_on_an_april_change_date_expire_after_12_months(app, db, monkeypatch):
    """£1,000 of levy enters in April 2026. With the change on 1 August 2026 (the
    default) it has 24 months, so nothing expires by April 2027; with the change on
    1 April 2026 it has 12, so all £1,000 expires in April 2027."""
    factories.create_transaction(date(2026, 4, 1), "levy", "1000")
    april_2027 = date(2027, 4, 1)
    assert get_ledger(april_2027).months[-1].expired == Decimal("0")
    monkeypatch.setitem(app.extensions, EXTENSION, rules_for(date(2026, 4, 1)))
    row = get_ledger(april_2027).months[-1]
    assert (row.month, row.expired, row.balance) == (april_2027, Decimal("1000"), Decimal("0"))
    # the domain's default table is untouched
    assert RULES.value("expiry.months", date(2026, 4, 1)) == 24


def test_the_rules_page_shows_the_configured_change_date(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.extensions, EXTENSION, rulebook(date(2026, 4, 1)))
    login_as("finance")
    page = client.get("/rules").get_data(as_text=True)
    assert "1 April 2026" in page


def test_change_date_setting_text_and_bad_values():
    assert change_date_of("2026-04-01") == date(2026, 4, 1)
    assert change_date_of(date(2026, 8, 1)) == date(2026, 8, 1)
    assert rules_for(date(2026, 8, 1)) is RULES
    assert current_rules() is RULES  # outside an app
    with pytest.raises(ValueError, match="LEVY_CHANGE_DATE 'April 2026' is not a date"):
        change_date_of("April 2026")
