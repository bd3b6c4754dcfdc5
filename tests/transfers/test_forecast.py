"""Approved transfers leave the pot in the levy forecast (issue 4 rule 8, issue 6 item 9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from levy.domain.ledger import TRANSFER
from levy.services import ledger
from levy.services import transfers as svc
from tests.factories import OFFICER, create_application, create_business, levy_for_year

D = Decimal


def test_approved_transfer_payments_enter_the_forecast(db: Any, standard: Any) -> None:
    levy_for_year(2021)
    org, _ = create_business()
    app = create_application(org, standard, apprentices=2, start=date(2021, 5, 1))
    assert svc.forecast_payments(date(2021, 5, 1), 24) == []  # submitted: nothing yet
    svc.approve(app.id, OFFICER, date(2021, 4, 10))
    payments = svc.forecast_payments(date(2021, 5, 1), 24)
    # £15,000 band x 2 = £30,000: 80% = £24,000 over 24 month-ends = £1,000 a month,
    # and the 20% completion (£6,000) with the last instalment in April 2023
    assert {p.kind for p in payments} == {TRANSFER}
    assert payments[0].month == date(2021, 5, 1)
    assert payments[0].amount == D("1000.00")
    assert payments[-1].month == date(2023, 4, 1)
    assert payments[-1].amount == D("7000.00")
    assert sum(p.amount for p in payments) == D("30000.00")
    # a forecast window sees only its own months, and the pot's forecast includes them
    window = svc.forecast_payments(date(2022, 1, 1), 3)
    assert [p.month for p in window] == [date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1)]
    forecast = ledger.get_forecast(date(2021, 5, 1), 3)
    assert [m.transfers for m in forecast.months] == [D("1000.00")] * 3
