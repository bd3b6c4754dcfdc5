"""The demo ledger reproduces what the council told its scrutiny panel (DOMAIN.md §1)."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal

from levy.demo.ledger import load_levy_transactions
from levy.services.audit import Actor
from levy.services.ledger import get_ledger


def test_demo_ledger_figures(db):
    load_levy_transactions(Actor.cli("test"))
    ledger = get_ledger(date(2021, 3, 1))
    assert ledger.months[0].month == date(2017, 5, 1)
    assert ledger.balance == Decimal("1692300.00")
    first_expiry = next(r for r in ledger.months if r.expired > 0)
    assert first_expiry.month == date(2019, 5, 1)
    spend = [r.payments for r in ledger.months if r.month >= date(2020, 4, 1)]
    assert Decimal("39000") < statistics.mean(spend) < Decimal("43000")  # about £41,000
    before = [r.expired for r in ledger.months if date(2019, 6, 1) <= r.month < date(2020, 4, 1)]
    after = [r.expired for r in ledger.months if r.month >= date(2020, 4, 1)]
    assert Decimal("65000") < statistics.mean(before) < Decimal("75000")  # about £70,000
    fall = 1 - statistics.mean(after) / statistics.mean(before)
    assert Decimal("0.35") < fall < Decimal("0.45")  # about 40%
    # loading twice changes nothing
    assert "0 new" in load_levy_transactions(Actor.cli("test"))
