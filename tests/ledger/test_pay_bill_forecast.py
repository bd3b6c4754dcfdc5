"""Forecast funds in from the pay bill (issue 4 rules 2 and 8).

Hand-worked: a £24,000,000 pay bill in payroll month April 2021 (tax month 1):
0.5% = £120,000 − £1,250 allowance = £118,750 levy, × 1.1 top-up = £130,625.00,
entering the account in May 2021.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from levy.domain.forecast import pay_bill_funds_in
from levy.domain.levy_calc import funds_in_by_entry_month, group_levy_by_month
from levy.domain.months import month_range
from levy.services.ledger import get_forecast
from levy.services.projection import projection
from tests import factories

D = Decimal
COUNCIL = factories.COUNCIL
COMPANY = "Worcestershire Children First"


# --- domain -------------------------------------------------------------------------------


def test_council_and_company_share_one_allowance():
    """Council £18m + company £6m in April 2021 = £24m: one £1,250 allowance, not two.
    May 2021: £24m more, cumulative 0.5% × £48m = £240,000 − £2,500 = £237,500, less
    the £118,750 already due = £118,750, × 1.1 = £130,625.00 entering June 2021."""
    rows = [
        ("council", date(2021, 4, 1), D("18000000")),
        ("company", date(2021, 4, 1), D("6000000")),
        ("council", date(2021, 5, 1), D("18000000")),
        ("company", date(2021, 5, 1), D("6000000")),
    ]
    funds = funds_in_by_entry_month(group_levy_by_month(rows))
    assert funds == {date(2021, 5, 1): D("130625.00"), date(2021, 6, 1): D("130625.00")}


def test_no_top_up_on_funds_entering_from_the_change_date():
    """Change date 1 August 2026. Payroll June 2026 £24m (allowance to date 3 × £1,250):
    £120,000 − £3,750 = £116,250 × 1.1 = £127,875.00 entering July 2026 (31 July: still
    topped up). Payroll July 2026 £24m: £240,000 − £5,000 − £116,250 = £118,750,
    entering August 2026 (1 August: no top-up) = £118,750.00."""
    rows = [
        ("council", date(2026, 6, 1), D("24000000")),
        ("council", date(2026, 7, 1), D("24000000")),
    ]
    funds = funds_in_by_entry_month(group_levy_by_month(rows))
    assert funds == {date(2026, 7, 1): D("127875.00"), date(2026, 8, 1): D("118750.00")}


@pytest.mark.parametrize(
    ("fallback", "june"),
    [(D("700"), D("700")), ({date(2021, 6, 1): D("55.50")}, D("55.50")), (lambda m: D(9), D(9))],
)
def test_months_without_a_pay_bill_fall_back(fallback, june):
    funds_in = pay_bill_funds_in({date(2021, 5, 1): D("130625.00")}, fallback)
    assert funds_in(date(2021, 5, 1)) == D("130625.00")
    assert funds_in(date(2021, 6, 1)) == june


# --- service and command line -------------------------------------------------------------


@pytest.fixture
def april_2021_pay_bill(db):
    council = factories.create_organisation(COUNCIL)
    company = factories.create_organisation(COMPANY, kind="company")
    factories.create_pay_bill_month(council, date(2021, 4, 1), "18000000")
    factories.create_pay_bill_month(company, date(2021, 4, 1), "6000000")
    factories.create_transaction(date(2021, 3, 1), "levy", "1000")
    return council, company


def forecast(runner, *extra: str) -> list[dict[str, str]]:
    args = ["levy", "forecast", "--from", "2021-05", "--months", "2", "--format", "json"]
    result = runner.invoke(args=[*args, *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_forecast_takes_funds_in_from_the_pay_bill(runner, april_2021_pay_bill):
    """The last recorded month is March 2021, so April is forecast too (no March pay bill:
    the amount given, £700). May 2021 from the April pay bill: £130,625.00; June (no May
    pay bill) falls back to £700. Balance: £1,000 + £700 + £130,625 = £132,325.00, then
    £133,025.00."""
    rows = forecast(runner, "--funds-in-from-pay-bill", "--funds-in-per-month", "700")
    assert [(r["month"], r["funds_in"], r["balance"]) for r in rows] == [
        ("2021-05", "130625.00", "132325.00"),
        ("2021-06", "700.00", "133025.00"),
    ]


def test_without_the_flag_the_pay_bill_is_not_used(runner, april_2021_pay_bill):
    assert [r["funds_in"] for r in forecast(runner, "--funds-in-per-month", "700")] == [
        "700.00",
        "700.00",
    ]
    # no amount given: the mean of the recorded months before the forecast, March 2021
    # alone (£1,000); April is forecast, not a recorded month with nothing in
    assert [r["funds_in"] for r in forecast(runner)] == ["1000.00", "1000.00"]
    assert [r["funds_in"] for r in forecast(runner, "--funds-in-from-pay-bill")] == [
        "130625.00",
        "1000.00",
    ]


def test_the_projection_names_the_pay_bill_months(april_2021_pay_bill):
    inputs = projection(date(2021, 4, 1), 3, from_pay_bill=True)
    assert inputs.pay_bill_months == (date(2021, 5, 1),)
    assert projection(date(2021, 4, 1), 3).pay_bill_months == ()
    # a pay bill outside the horizon is not used
    assert projection(date(2021, 6, 1), 3, from_pay_bill=True).pay_bill_months == ()


def test_forecast_across_the_change_date_loses_the_top_up(db):
    council = factories.create_organisation(COUNCIL)
    for month in month_range(date(2026, 4, 1), date(2026, 7, 1)):
        factories.create_pay_bill_month(council, month, "24000000")
    # each month: £118,750 levy (cumulative: £120,000 a month less £1,250 a month)
    result = get_forecast(date(2026, 7, 1), 2, D(0), from_pay_bill=True)
    assert [r.funds_in for r in result.months] == [D("130625.00"), D("118750.00")]


def test_what_if_with_funds_in_from_the_pay_bill(runner, april_2021_pay_bill):
    """25 months from May 2021 (to May 2023), no other funds in. Lots: March 2021
    £1,000 (expires March 2023) and, from the pay bill, May 2021 £130,625.00 (expires
    May 2023). Each extra start spends £6,000 (£400 a month May 2021 to April 2022 and
    £1,200 in April 2022), oldest lot first. Without the pay bill one start stops the
    £1,000 expiring; with it 21 starts (£126,000) leave £5,625 to expire and 22
    (£132,000 ≥ £131,625) leave nothing."""
    args = [
        "levy",
        "what-if",
        "--from",
        "2021-05",
        "--months",
        "25",
        "--price",
        "6000",
        "--duration",
        "12",
        "--funds-in-per-month",
        "0",
    ]
    plain = json.loads(runner.invoke(args=args).output)
    assert (plain["extra_starts"], plain["expired_before"]) == (1, "1000.00")
    result = runner.invoke(args=[*args, "--funds-in-from-pay-bill"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["extra_starts"], data["expired_before"], data["expired_after"]) == (
        22,
        "131625.00",
        "0.00",
    )


# --- screens and downloads ----------------------------------------------------------------


def test_dashboard_choice_of_funds_in(client, login_as, april_2021_pay_bill):
    """As of March 2021 (£1,000 in). Mean of the last 3 months (only March 2021 has a
    row: £1,000); from the pay bill, May 2021 gets £130,625.00."""
    login_as("finance")
    plain = client.get("/levy/").get_data(as_text=True)
    assert "£130,625.00" not in plain
    assert 'value="pay_bill"' in plain
    page = client.get("/levy/?funds_in=pay_bill").get_data(as_text=True)
    assert "£130,625.00" in page
    assert "from the pay bill for 1 of its 12 months" in page
    assert "/levy/forecast.xlsx?as_of=2021-03&amp;funds_in=pay_bill" in page


def test_forecast_downloads(client, login_as, april_2021_pay_bill):
    import csv
    import io

    from openpyxl import load_workbook

    from levy.exports import MONEY_FORMAT, MONTH_FORMAT

    login_as("ld_team")
    response = client.get("/levy/forecast.csv?funds_in=pay_bill")
    assert response.status_code == 200
    assert "levy-forecast.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:6] == ["Month", "Funds in", "Payments", "Transfers", "Expired", "Balance"]
    assert len(rows) == 13  # header and 12 forecast months, April 2021 to March 2022
    # April: the mean (£1,000 from March's row over the 1 month there is) is £1,000.00;
    # May from the pay bill: £130,625.00, balance £1,000 + £1,000 + £130,625 = £132,625.00
    assert rows[1][:2] == ["2021-04", "1000.00"]
    assert rows[2][:6] == ["2021-05", "130625.00", "0.00", "0.00", "0.00", "132625.00"]
    response = client.get("/levy/forecast.xlsx?as_of=2021-03")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Forecast"]
    assert sheet["A2"].value.date() == date(2021, 4, 1)
    assert sheet["A2"].number_format == MONTH_FORMAT  # issue 14: "Apr 2021"
    assert sheet["B3"].value == 1000  # without the pay bill: the mean
    assert sheet["B3"].number_format == MONEY_FORMAT
    assert sheet["K1"].value == "Unfunded transfers"


def test_what_if_form_with_funds_in_from_the_pay_bill(client, login_as, april_2021_pay_bill):
    login_as("finance")
    data = {
        "start": "2021-05",
        "months": "25",
        "price": "6000",
        "duration": "12",
        "funds_in": "0",
        "funds_in_source": "pay_bill",
    }
    text = client.post("/levy/what-if", data=data).get_data(as_text=True)
    assert "22 extra starts" in text  # worked in test_what_if_with_funds_in_from_the_pay_bill
    text = client.post("/levy/what-if", data={**data, "funds_in_source": "mean"}).get_data(
        as_text=True
    )
    assert "1 extra start<" in text


def test_scenario_form_with_funds_in_from_the_pay_bill(client, login_as, april_2021_pay_bill):
    """From May 2021 over 2 months, no changes: from the pay bill May gets £130,625.00;
    with the mean (March 2021 alone, the last recorded month) both months get £1,000.00."""
    login_as("finance")
    data = {"start": "2021-05", "months": "2", "funds_in_source": "pay_bill"}
    text = client.post("/levy/scenario", data=data).get_data(as_text=True)
    assert "£130,625.00" in text
    text = client.post("/levy/scenario", data={**data, "funds_in_source": "mean"}).get_data(
        as_text=True
    )
    assert "£130,625.00" not in text
    assert "£1,000.00" in text
