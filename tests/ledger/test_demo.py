"""The demo ledger reproduces what the council told its scrutiny panel (docs/rules.md §1)."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal

from levy.demo.ledger import load_levy_transactions
from levy.domain.accounts import Actor
from levy.services.ledger import get_ledger


def test_demo_ledger_figures(db, runner):
    """The whole demo (its transfers to local businesses included) as at March 2021."""
    result = runner.invoke(args=["levy", "seed-demo"])
    assert result.exit_code == 0, result.output
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
    # £204,500 of the 2020-21 transfers are the scheme's, £8,450 other transfer rows
    transfers = sum(r.transfers for r in ledger.months if r.month >= date(2020, 4, 1))
    assert transfers == Decimal("212950.00")
    # loading twice changes nothing
    assert "0 new" in load_levy_transactions(Actor.cli("test"))


def test_demo_pay_bill_matches_the_directorates_and_feeds_the_check(db):
    """imports/demo/pay_bill.xlsx: council and company, April 2017 to March 2021, each
    tax year's total the directorates' pay bill for it (2020-21: £154,200,000)."""
    from levy.demo.ledger import load_pay_bill
    from levy.demo.platform import load_directorates
    from levy.extensions import db as _db
    from levy.models.organisation import DirectorateYear
    from levy.services.ledger import declaration_checks, pay_bills

    actor = Actor.cli("test")
    load_directorates(actor)
    load_levy_transactions(actor)
    assert load_pay_bill(actor) == "96 rows: 96 new, 0 updated, 0 unchanged"
    bills = pay_bills()
    assert (bills[0][0], bills[-1][0]) == (date(2017, 4, 1), date(2021, 3, 1))
    for year in (2019, 2020):
        in_year = sum(a for m, a in bills if date(year, 4, 1) <= m < date(year + 1, 4, 1))
        directorates = _db.session.execute(
            _db.select(_db.func.sum(DirectorateYear.pay_bill)).where(DirectorateYear.year == year)
        ).scalar_one()
        assert in_year == directorates
    assert sum(a for m, a in bills if m >= date(2020, 4, 1)) == Decimal("154200000.00")
    # the check: April 2020 payroll £12,644,400 (8.2% of £154.2m): 0.5% = £63,222.00
    # − £1,250 = £61,972.00 worked out; declared in May 2020: £63,000 − £1,200 = £61,800
    # (build_demo_ledger.english_levy), a difference of −£172.00
    check = next(c for c in declaration_checks() if c.payroll_month == date(2020, 4, 1))
    assert check.pay_bill == Decimal("12644400.00")
    assert check.computed_levy == Decimal("61972.00")
    assert check.entry_month == date(2020, 5, 1)
    assert check.declared_levy == Decimal("61800.00")
    assert check.difference == Decimal("-172.00")
    # the page's last 12 read only their months' levy rows, and give the same checks
    every = declaration_checks()
    assert declaration_checks(last=12) == every[-12:] and len(every) > 12
    assert declaration_checks(last=0) == []
    # the check changes nothing in the ledger, and loading again changes nothing
    assert get_ledger(date(2021, 3, 1)).balance == Decimal("1692300.00")
    assert load_pay_bill(actor) == "96 rows: 0 new, 0 updated, 96 unchanged"


def test_demo_ledger_page_shows_the_pay_bill_check(client, login_as):
    from levy.demo.ledger import load_pay_bill
    from levy.demo.platform import load_directorates

    actor = Actor.cli("test")
    load_directorates(actor)
    load_levy_transactions(actor)
    load_pay_bill(actor)
    login_as("finance")
    page = client.get("/levy/ledger").get_data(as_text=True)
    # April 2020 payroll (test above): £61,972.00 worked out, £61,800.00 declared
    assert "£61,972.00" in page
    assert "£61,800.00" in page
    # March 2021 payroll enters in April 2021, after the last month of the ledger
    assert "not in the ledger yet" in page
    assert "<title>Levy ledger" in page
