"""Levy pot service pieces not covered through the CLI or the screens."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from levy.domain.accounts import Actor
from levy.importers.ledger import read_pay_bill
from levy.services import ledger_inputs
from levy.services.ledger import declaration_checks, import_pay_bill, pay_bills
from tests import factories


def test_pay_bill_import_and_declaration_check(db):
    council = factories.create_organisation("Worcestershire County Council")
    company = factories.create_organisation("Worcestershire Children First", kind="company")
    rows = read_pay_bill(
        factories.pay_bill_book(
            [
                [council.name, "2020-04", 12_000_000],
                [company.name, "2020-04", 4_000_000],
            ]
        )
    )
    summary = import_pay_bill(rows, Actor.cli("test"))
    assert str(summary) == "2 rows: 2 new, 0 updated, 0 unchanged"
    assert pay_bills() == [(date(2020, 4, 1), Decimal("16000000.00"))]
    # one shared allowance: 0.5% x 16m = 80,000 - 1,250 = 78,750, entering in May 2020
    factories.create_transaction(date(2020, 5, 1), "levy", "78700")
    [check] = declaration_checks()
    assert check.entry_month == date(2020, 5, 1)
    assert check.computed_levy == Decimal("78750.00")
    assert check.difference == Decimal("-50.00")
    again = import_pay_bill(rows, Actor.cli("test"))
    assert again.unchanged == 2


def test_pay_bill_unknown_organisation(db):
    import pytest

    from levy.domain.errors import ImportFailed

    rows = read_pay_bill(factories.pay_bill_book([["Nobody Ltd", "2020-04", 1000]]))
    with pytest.raises(ImportFailed) as caught:
        import_pay_bill(rows, Actor.cli("test"))
    assert str(caught.value.errors[0]) == (
        "Pay bill, row 2, Organisation: no organisation called 'Nobody Ltd'"
    )


def test_ledger_page_shows_the_declaration_check(client, login_as):
    council = factories.create_organisation("Worcestershire County Council")
    import_pay_bill(
        read_pay_bill(factories.pay_bill_book([[council.name, "2020-04", 1_000_000]])),
        Actor.cli("test"),
    )
    factories.create_transaction(date(2020, 5, 1), "levy", "3750")
    login_as("finance")
    page = client.get("/levy/ledger").get_data(as_text=True)
    assert "Levy from the pay bill against levy declared" in page
    assert "£3,750.00" in page


def test_the_forecast_includes_every_source_in_the_one_list(db, monkeypatch):
    """Apprentices and transfers are the sources, named in one list; whatever a source
    in it owes reaches the forecast."""
    from levy.domain.forecast import Dues, ForecastPayment, dues_by_month
    from levy.domain.rules import RuleBook
    from levy.services import ledger as service

    assert [name for name, _ in ledger_inputs.FORECAST_SOURCES] == ["apprentices", "transfers"]
    factories.create_transaction(date(2021, 3, 1), "levy", "1000")

    def pledges(start: date, months: int, rules: RuleBook, dues: Dues) -> None:
        pledge = ForecastPayment(start, Decimal("300"), None, "transfer", "pledge 1")
        dues_by_month([pledge], rules, dues)

    monkeypatch.setattr(ledger_inputs, "FORECAST_SOURCES", (("pledges", pledges),))
    [row] = service.get_forecast(date(2021, 4, 1), 1, Decimal("0")).months
    assert (row.transfers, row.balance) == (Decimal("300.00"), Decimal("700.00"))
