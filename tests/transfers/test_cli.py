"""``flask levy transfers allowance|report|tick`` as the issue's contract says."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from levy.services import transfers as svc
from tests import factories
from tests.factories import BUSINESS, OFFICER, create_application, create_business, levy_for_year

KEYS = {
    "year",
    "base",
    "statutory_percent",
    "local_percent",
    "cap",
    "paid",
    "committed",
    "remaining",
}


def test_allowance_json_on_a_ledger_of_imported_levy_only(runner: Any) -> None:
    levy_for_year(2024)  # £1,320,000 from May 2023 to April 2024
    factories.create_transaction(date(2024, 6, 1), "transfer", "40000")
    result = runner.invoke(
        args=["levy", "transfers", "allowance", "--year", "2024", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= KEYS
    assert data["year"] == "2024-25"
    assert data["base"] == "1320000.00"
    assert data["statutory_percent"] == "50.00"
    assert data["local_percent"] == "25.00"
    assert data["cap"] == "330000.00"
    assert data["paid"] == "40000.00"
    assert data["committed"] == "0.00"
    assert data["remaining"] == "290000.00"


def test_allowance_text_and_year_label(runner: Any) -> None:
    result = runner.invoke(args=["levy", "transfers", "allowance", "--year", "2020-21"])
    assert result.exit_code == 0, result.output
    assert "Transfer allowance 2020-21" in result.output
    bad = runner.invoke(args=["levy", "transfers", "allowance", "--year", "20"])
    assert bad.exit_code == 2
    assert "is not a year" in bad.output


def test_tick_then_report(runner: Any, short_standard: Any) -> None:
    levy_for_year(2021)
    factories.create_transaction(date(2021, 8, 1), "transfer", "300", source="das-download")
    org, _ = create_business()
    app = create_application(org, short_standard, apprentices=1, start=date(2021, 5, 1))
    svc.approve(app.id, OFFICER, date(2021, 4, 2))
    svc.accept(app, BUSINESS, date(2021, 4, 3))
    svc.record_apprentices(app, 1, date(2021, 5, 1), OFFICER, date(2021, 5, 1))
    result = runner.invoke(args=["levy", "transfers", "tick", "--as-of", "2021-06-30"])
    assert result.exit_code == 0, result.output
    assert "transfer payment 2021-05 £600.00" in result.output
    assert "transfer payment 2021-06 £600.00" in result.output
    again = runner.invoke(args=["levy", "transfers", "tick", "--as-of", "2021-06-30"])
    assert again.output.strip() == "Nothing due."
    report = runner.invoke(
        args=["levy", "transfers", "report", "--year", "2021", "--format", "json"]
    )
    data = json.loads(report.output)
    assert (data["transferred"], data["businesses"], data["apprenticeships"]) == ("1200.00", 1, 1)
    assert data["other_transfers"] == "300.00"  # in the ledger, not paid by the scheme


def test_tick_rejects_a_bad_date(runner: Any) -> None:
    # 31/12/2021 is a date the web takes, so the command line takes it too
    result = runner.invoke(args=["levy", "transfers", "tick", "--as-of", "31/13/2021"])
    assert result.exit_code == 2
