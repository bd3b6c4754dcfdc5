"""Levy pot screens: who can see them, the figures, downloads, import and what-if."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from levy.demo.ledger import load_levy_transactions
from levy.domain.accounts import Actor
from levy.extensions import db as _db
from levy.models import LevyTransaction
from tests import factories

DATA = Path(__file__).parent / "data"


def count(model: Any) -> int:
    return _db.session.execute(_db.select(_db.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("finance", 200),
        ("admin", 200),
        ("ld_team", 200),
        ("directorate_manager", 403),
        ("employer", 403),
        ("care_leavers", 403),
    ],
)
def test_who_can_read(client, login_as, role, status):
    login_as(role)
    for path in ("/levy/", "/levy/ledger", "/levy/what-if", "/levy/scenario"):
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize(("role", "status"), [("finance", 200), ("admin", 403), ("ld_team", 403)])
def test_only_finance_imports(client, login_as, role, status):
    login_as(role)
    assert client.get("/levy/import").status_code == status


def test_empty_dashboard(client, login_as):
    login_as("finance")
    page = client.get("/levy/").get_data(as_text=True)
    assert "There are no levy transactions yet" in page


def test_dashboard_with_the_demo(client, login_as):
    load_levy_transactions(Actor.cli("test"))
    login_as("finance")
    page = client.get("/levy/").get_data(as_text=True)
    assert "March 2021" in page
    assert "£1,692,300" in page
    assert "<svg" in page
    assert "Funds are forecast to expire" in page
    assert "Expiring by month" in page
    home = client.get("/").get_data(as_text=True)
    assert "£1,692,300" in home


def test_ledger_filters_and_downloads(client, login_as):
    load_levy_transactions(Actor.cli("test"))
    login_as("ld_team")
    page = client.get("/levy/ledger?from=2021-01&to=2021-03").get_data(as_text=True)
    assert "January 2021" in page
    assert "December 2020" not in page
    assert "£1,692,300.00" in page
    bad = client.get("/levy/ledger?from=2021-13").get_data(as_text=True)
    assert "From month: &#39;2021-13&#39; is not a month" in bad
    xlsx = client.get("/levy/ledger.xlsx?from=2021-01&to=2021-03")
    sheet = load_workbook(io.BytesIO(xlsx.data))["Ledger"]
    assert sheet["A2"].value.date() == date(2021, 1, 1)
    assert sheet["A2"].number_format != "General"
    assert sheet["F4"].value == 1692300
    assert "£" in sheet["F4"].number_format
    csv = client.get("/levy/ledger.csv?from=2021-03&to=2021-03").get_data(as_text=True)
    assert csv.splitlines()[1].startswith("2021-03,")
    assert csv.splitlines()[1].endswith(",1692300.00")


def upload(client, data: bytes, name: str) -> str:
    return client.post(
        "/levy/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    ).get_data(as_text=True)


def test_import_preview_then_confirm(client, login_as):
    login_as("finance")
    page = upload(
        client,
        factories.transactions_book(
            [["2021-01", "levy", 1000, ""], ["2021-02", "payment", 50, ""]]
        ),
        "t.xlsx",
    )
    assert "Check what will change" in page
    assert count(LevyTransaction) == 0
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/levy/import/confirm", data={"token": token})
    assert response.status_code == 302
    assert count(LevyTransaction) == 2
    again = client.post("/levy/import/confirm", data={"token": token}, follow_redirects=True)
    assert "That import has expired" in again.get_data(as_text=True)
    assert count(LevyTransaction) == 2


def test_import_errors_listed(client, login_as):
    login_as("finance")
    page = upload(client, factories.transactions_book([["2021-13", "levy", 1000, ""]]), "t.xlsx")
    assert "The workbook was not imported" in page
    assert "Transactions, row 2, Month:" in page
    assert count(LevyTransaction) == 0


def test_import_service_download_preview(client, login_as):
    login_as("finance")
    page = upload(
        client,
        (DATA / "esfaTransactions_20260722101500.csv").read_bytes(),
        "esfaTransactions_20260722101500.csv",
    )
    assert "v2 levy account" in page


def test_what_if_form(client, login_as):
    factories.create_transaction(date(2019, 4, 1), "levy", "10000")
    login_as("finance")
    page = client.post(
        "/levy/what-if",
        data={
            "start": "2021-04",
            "months": "2",
            "price": "6000",
            "duration": "12",
            "funds_in": "0",
        },
    )
    text = page.get_data(as_text=True)
    assert "25 extra starts" in text
    assert "<svg" in text
    bad = client.post(
        "/levy/what-if", data={"start": "2021-13", "months": "2", "price": "abc", "duration": "12"}
    ).get_data(as_text=True)
    assert "There is a problem" in bad
    assert "is not a month" in bad
    assert "is not an amount" in bad


def test_scenario_form(client, login_as):
    factories.create_transaction(date(2019, 4, 1), "levy", "10000")
    login_as("finance")
    text = client.post(
        "/levy/scenario",
        data={
            "start": "2021-04",
            "months": "2",
            "starts": "2021-04 5",
            "price": "6000",
            "duration": "12",
            "funds_in": "0",
            "pledge": "100",
            "pledge_months": "2",
        },
    ).get_data(as_text=True)
    assert "Forecast expiry with your changes" in text
    bad = client.post(
        "/levy/scenario", data={"start": "2021-04", "months": "2", "starts": "April 5"}
    ).get_data(as_text=True)
    assert "Line 1:" in bad


def test_dashboard_says_when_no_payments_are_known(client, login_as):
    factories.create_transaction(date(2021, 3, 1), "levy", "1000")
    login_as("finance")
    page = client.get("/levy/").get_data(as_text=True)
    assert "forecast assumes nothing more is spent" in page
    factories.create_apprentice(planned_start=date(2021, 4, 1), planned_end=date(2022, 3, 31))
    page = client.get("/levy/").get_data(as_text=True)
    assert "forecast assumes nothing more is spent" not in page


def _standard(reference: str, maximum: str, duration: int) -> Any:
    from levy.models.programme import FundingBand, Standard

    standard = Standard(reference=reference, title="Team leader", level=3, duration_months=duration)
    standard.bands.append(FundingBand(valid_from=date(2017, 5, 1), maximum=Decimal(maximum)))
    _db.session.add(standard)
    _db.session.flush()
    return standard


def test_what_if_states_its_assumptions_in_a_sentence(client, login_as):
    factories.create_transaction(date(2019, 4, 1), "levy", "10000")
    login_as("finance")
    data = {"start": "2021-04", "months": "2", "price": "9000", "duration": "18", "funds_in": "0"}
    text = client.post("/levy/what-if", data=data).get_data(as_text=True)
    # £10,000 entered April 2019 expires April 2021; 2 months of 80%/18 of £9,000 = £400
    # a start: 25 starts spend the £10,000 (24 leave £400 to expire)
    assert (
        "Starting 25 more apprenticeships at £9,000 over 18 months from April 2021 would stop"
        " £10,000.00 of levy expiring over the next 2 months; with no extra starts £10,000.00"
        " would expire."
    ) in text
    assert "Numbers of starts tried" not in text
    assert "How this was worked out" in text
    assert "The figures in this chart" in text  # a table beside each chart


def test_what_if_takes_price_and_duration_from_the_chosen_standard(client, login_as):
    factories.create_transaction(date(2019, 4, 1), "levy", "10000")
    standard = _standard("ST9001", "9000", 18)
    _db.session.commit()
    login_as("finance")
    form = client.get("/levy/what-if").get_data(as_text=True)
    assert 'data-price="9000" data-duration="18"' in form
    assert "leave the price or duration blank to use the chosen standard" in form
    data = {"start": "2021-04", "months": "2", "standard": str(standard.id), "funds_in": "0"}
    text = client.post("/levy/what-if", data=data).get_data(as_text=True)
    assert "at £9,000 over 18 months from April 2021" in text
    assert "ST9001 Team leader (level 3)" in text
    # a price given wins over the standard's band
    data["price"] = "6000"
    text = client.post("/levy/what-if", data=data).get_data(as_text=True)
    assert "at £6,000 over 18 months" in text


def test_what_if_without_price_or_standard_says_what_to_enter(client, login_as):
    login_as("finance")
    text = client.post("/levy/what-if", data={"start": "2021-04", "months": "2"}).get_data(
        as_text=True
    )
    assert "Enter the price of each start, like 6000, or choose a standard" in text
    assert "Enter the planned duration in months, like 12, or choose a standard" in text
