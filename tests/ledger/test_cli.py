"""The command-line contract of issue 4, against the migrated (empty) test database."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from levy.extensions import db as _db
from levy.models import AuditEvent, LevyTransaction
from levy.models.levy_pot import RecordedExpiry
from tests import factories

KEYS = {"month", "funds_in", "payments", "transfers", "expired", "balance"}
DATA = Path(__file__).parent / "data"


def count(model: Any) -> int:
    return _db.session.execute(_db.select(_db.func.count()).select_from(model)).scalar_one()


def may_2017_pot() -> None:
    factories.create_transaction(date(2017, 5, 1), "levy", "10000")
    factories.create_transaction(date(2017, 5, 1), "top-up", "1000")
    factories.create_transaction(date(2017, 6, 1), "payment", "500")


def invoke(runner: Any, *args: str) -> Any:
    return runner.invoke(args=["levy", *args])


def test_empty_database_gives_empty_ledger(runner):
    result = invoke(runner, "ledger", "--to", "2021-03", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_ledger_json_to_first_expiry(runner):
    """£11,000 in May 2017, £500 paid June 2017: £10,500 expires May 2019."""
    may_2017_pot()
    result = invoke(runner, "ledger", "--to", "2019-05", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 25
    assert set(rows[0]) >= KEYS
    assert rows[0] == {
        "month": "2017-05",
        "funds_in": "11000.00",
        "payments": "0.00",
        "transfers": "0.00",
        "expired": "0.00",
        "balance": "11000.00",
    }
    assert rows[-1]["month"] == "2019-05"
    assert rows[-1]["expired"] == "10500.00"
    assert rows[-1]["balance"] == "0.00"


def test_ledger_csv_and_xlsx(runner, tmp_path):
    may_2017_pot()
    result = invoke(runner, "ledger", "--to", "2017-06", "--format", "csv")
    table = list(csv.reader(io.StringIO(result.output)))
    assert table[0] == ["month", "funds_in", "payments", "transfers", "expired", "balance"]
    assert table[2] == ["2017-06", "0.00", "500.00", "0.00", "0.00", "10500.00"]
    out = tmp_path / "ledger.xlsx"
    result = invoke(runner, "ledger", "--to", "2017-06", "--format", "xlsx", "--output", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Ledger"]
    assert sheet["F3"].value == 10500
    assert "£" in sheet["F3"].number_format


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["ledger", "--to", "2021-13"], "'--to'"),
        (["ledger", "--format", "pdf"], "'--format'"),
        (["forecast", "--from", "2021-04", "--months", "-1"], "'--months'"),
        (["forecast", "--from", "April", "--months", "3"], "'--from'"),
        (
            ["forecast", "--from", "2021-04", "--months", "3", "--funds-in-per-month", "x"],
            "'--funds-in-per-month'",
        ),
        (
            [
                "what-if",
                "--from",
                "2021-04",
                "--months",
                "12",
                "--price",
                "abc",
                "--duration",
                "12",
            ],
            "'--price'",
        ),
        (
            ["what-if", "--from", "2021-04", "--months", "12", "--price", "0", "--duration", "12"],
            "'--price'",
        ),
        (
            [
                "what-if",
                "--from",
                "2021-04",
                "--months",
                "12",
                "--price",
                "6000",
                "--duration",
                "0",
            ],
            "'--duration'",
        ),
        (["expire", "--as-of", "2021"], "'--as-of'"),
    ],
)
def test_bad_arguments_exit_2_naming_the_option(runner, args, option):
    result = invoke(runner, *args)
    assert result.exit_code == 2
    assert option in result.output


def test_forecast_and_what_if(runner):
    """Lots: Apr 2019 £10,000 (expires Apr 2021). Forecast from April 2021, nothing in."""
    factories.create_transaction(date(2019, 4, 1), "levy", "10000")
    result = invoke(
        runner,
        "forecast",
        "--from",
        "2021-04",
        "--months",
        "2",
        "--funds-in-per-month",
        "0",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["month"] for r in rows] == ["2021-04", "2021-05"]
    assert set(rows[0]) >= KEYS
    assert rows[0]["expired"] == "10000.00"
    # £6,000 over 12 months: £400 a month each; 25 starts use the £10,000 in April
    result = invoke(
        runner,
        "what-if",
        "--from",
        "2021-04",
        "--months",
        "2",
        "--price",
        "6000",
        "--duration",
        "12",
        "--funds-in-per-month",
        "0",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["extra_starts"] == 25
    assert (data["expired_before"], data["expired_after"]) == ("10000.00", "0.00")


def test_forecast_ignores_actuals_from_its_first_month(runner):
    factories.create_transaction(date(2021, 1, 1), "levy", "900")
    factories.create_transaction(date(2021, 2, 1), "levy", "1200")
    factories.create_transaction(date(2021, 3, 1), "levy", "1500")
    factories.create_transaction(date(2021, 4, 1), "levy", "99999")
    result = invoke(runner, "forecast", "--from", "2021-04", "--months", "1")
    [row] = json.loads(result.output)
    # mean of Jan-Mar 2021 (1,200, all top-up-free as entered) -> 1,200.00
    assert row["funds_in"] == "1200.00"
    assert row["balance"] == "4800.00"


def test_forecast_on_empty_database(runner):
    result = invoke(runner, "forecast", "--from", "2021-04", "--months", "3", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 4


def test_forecast_includes_apprentice_payments(runner):
    factories.create_transaction(date(2021, 3, 1), "levy", "100000")
    band = factories.create_standard(band=Decimal("5000"))
    factories.create_apprentice(
        planned_start=date(2021, 4, 1),
        planned_end=date(2022, 3, 31),
        agreed_price=Decimal("6000"),
        status="future",
        standard=band,
    )
    result = invoke(
        runner, "forecast", "--from", "2021-04", "--months", "1", "--funds-in-per-month", "0"
    )
    [row] = json.loads(result.output)
    # price capped at the £5,000 band: 80% = 4,000 over 12 month-ends = 333.33
    assert row["payments"] == "333.33"


def test_expire_is_idempotent_and_audited(runner):
    may_2017_pot()
    result = invoke(runner, "expire", "--as-of", "2019-05")
    assert result.exit_code == 0, result.output
    assert "Recorded expiry for 25 months" in result.output
    assert "£10,500.00" in result.output
    assert count(RecordedExpiry) == 25
    audits = count(AuditEvent)
    result = invoke(runner, "expire", "--as-of", "2019-05")
    assert "Recorded expiry for 0 months" in result.output
    assert count(RecordedExpiry) == 25
    assert count(AuditEvent) == audits
    # a recorded expiry is not recomputed, even when later data would change it
    factories.create_transaction(date(2019, 5, 1), "payment", "500")
    rows = json.loads(invoke(runner, "ledger", "--to", "2019-05").output)
    assert rows[-1]["expired"] == "10500.00"


def test_import_levy_transactions(runner, tmp_path):
    path = factories.transactions_file(
        tmp_path / "t.xlsx",
        [
            ["2021-01", "levy", 1000, "Dec payroll"],
            ["2021-01", "top-up", 100, ""],
            ["2021-02", "payment", 250.5, "ACME"],
            ["2021-02", "adjustment", -20, "correction"],
        ],
    )
    result = invoke(runner, "import", "levy-transactions", str(path))
    assert result.exit_code == 0, result.output
    line, balance = result.output.strip().splitlines()
    assert "4 rows, 2 months (2021-01 to 2021-02)" in line
    assert "in £1,080.00, out £250.50" in line
    # 1,000 + 100 - 250.50 - 20, from the ledger the import works out and stores
    assert balance == "The levy pot holds £829.50 at the end of February 2021."
    rows = json.loads(invoke(runner, "ledger").output)
    assert [r["balance"] for r in rows] == ["1100.00", "829.50"]
    assert count(LevyTransaction) == 4
    again = invoke(runner, "import", "levy-transactions", str(path))
    assert again.exit_code == 0
    assert "0 new, 4 already there" in again.output
    assert count(LevyTransaction) == 4


def test_an_import_that_leaves_the_pot_overdrawn_says_so(runner, tmp_path):
    path = factories.transactions_file(
        tmp_path / "t.xlsx", [["2021-01", "levy", 100, ""], ["2021-02", "payment", 300, ""]]
    )
    result = invoke(runner, "import", "levy-transactions", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        "The levy pot is overdrawn by £200.00 at the end of February 2021."
    )


def test_import_of_a_missing_file_names_it(runner, tmp_path):
    missing = tmp_path / "levy_transactions.xlsx"
    result = invoke(runner, "import", "levy-transactions", str(missing))
    assert result.exit_code == 1
    assert f"File, -, -: no such file: {missing}" in result.stderr
    assert "Traceback" not in result.output
    assert count(LevyTransaction) == 0


def test_import_errors_write_nothing(runner, tmp_path):
    path = factories.transactions_file(
        tmp_path / "t.xlsx", [["2021-13", "levy", 1000, ""], ["2021-01", "gift", 1, ""]]
    )
    result = invoke(runner, "import", "levy-transactions", str(path))
    assert result.exit_code == 1
    assert "Transactions, row 2, Month:" in result.output
    assert "Transactions, row 3, Type:" in result.output
    assert count(LevyTransaction) == 0


def test_import_service_download(runner):
    path = DATA / "esfaTransactions_20260722101500.csv"
    result = invoke(runner, "import", "levy-transactions", str(path))
    assert result.exit_code == 0, result.output
    assert "v2 levy account" in result.output
    assert count(LevyTransaction) == 8
    expiry = _db.session.execute(_db.select(RecordedExpiry)).scalar_one()
    assert (expiry.month, expiry.amount, expiry.source) == (
        date(2026, 7, 1),
        Decimal("350.00"),
        "service",
    )
    again = invoke(runner, "import", "levy-transactions", str(path))
    assert "0 new, 8 already there" in again.output
    assert count(LevyTransaction) == 8
