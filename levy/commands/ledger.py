"""``flask levy ledger | forecast | what-if | expire`` and ``flask levy import
levy-transactions | pay-bill`` (issue 4, command-line contract)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from levy.cli import (
    MONTH,
    MoneyParam,
    import_group,
    levy_group,
    run_import,
)
from levy.commands.output import OUTPUT
from levy.domain.accounts import Actor
from levy.domain.forecast import ForecastError
from levy.domain.import_rows import DasDownload
from levy.domain.money import format_money, money_str
from levy.domain.months import format_month, format_month_name
from levy.exports import Month, csv_text, xlsx_bytes
from levy.importers import ledger as ledger_workbook
from levy.services import ledger as service
from levy.transaction import transaction

KEYS = ("month", "funds_in", "payments", "transfers", "expired", "balance")
FORECAST_EXTRA = (
    "shortfall",
    "employer_coinvestment",
    "government_coinvestment",
    "unfunded_transfers",
)


FORMAT = click.Choice(["json", "csv", "xlsx"])
FROM_PAY_BILL_HELP = (
    "Funds in from the levy worked out from the imported pay bill for each forecast month "
    "that has one (payroll month before it); other months as without this flag."
)


def _row_values(row: Any, keys: Sequence[str]) -> list[Any]:
    return [getattr(row, k) for k in keys]


def emit(
    rows: Sequence[Any], keys: Sequence[str], fmt: str, output: str | None, sheet: str
) -> None:
    """Rows as JSON (amounts as "1234.50"), CSV, or xlsx with real formats."""
    if fmt == "json":
        data = [
            {
                k: (format_month(v) if k == "month" else money_str(v))
                for k, v in zip(keys, _row_values(r, keys), strict=True)
            }
            for r in rows
        ]
        payload = json.dumps(data, indent=2).encode() + b"\n"
    elif fmt == "csv":
        table = [
            [
                format_month(v) if k == "month" else money_str(v)
                for k, v in zip(keys, _row_values(r, keys), strict=True)
            ]
            for r in rows
        ]
        payload = csv_text(keys, table).encode()
    else:
        cells: list[list[Any]] = [
            [
                Month.of(v) if k == "month" else v
                for k, v in zip(keys, _row_values(r, keys), strict=True)
            ]
            for r in rows
        ]
        payload = xlsx_bytes({sheet: (keys, cells)})
    if output:
        Path(output).write_bytes(payload)
        click.echo(f"Wrote {len(rows)} rows to {output}", err=True)
    else:
        click.echo(payload, nl=False)


@levy_group.command("ledger")
@click.option("--to", "to", type=MONTH, help="Last month to show (default: the last with money).")
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
@click.option("--output", type=OUTPUT, help="Write to this file.")
def ledger_command(to: date | None, fmt: str, output: str | None) -> None:
    """One row per calendar month: funds in, payments, transfers, expired, balance."""
    ledger = service.get_ledger(to or service.last_month())
    emit(ledger.months, KEYS, fmt, output, "Ledger")


@levy_group.command("forecast")
@click.option("--from", "start", type=MONTH, required=True, help="First forecast month.")
@click.option(
    "--months",
    type=click.IntRange(min=1, max=600),
    required=True,
    help="How many months to forecast.",
)
@click.option(
    "--funds-in-per-month",
    type=MoneyParam(),
    help="Funds in each month (default: mean of the last 3 actual months).",
)
@click.option("--funds-in-from-pay-bill", is_flag=True, default=False, help=FROM_PAY_BILL_HELP)
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
@click.option("--output", type=OUTPUT, help="Write to this file.")
def forecast_command(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None,
    funds_in_from_pay_bill: bool,
    fmt: str,
    output: str | None,
) -> None:
    """One row per forecast month, with co-investment where the pot runs short."""
    result = service.get_forecast(
        start, months, funds_in_per_month, from_pay_bill=funds_in_from_pay_bill
    )
    emit(result.months, (*KEYS, *FORECAST_EXTRA), fmt, output, "Forecast")


@levy_group.command("what-if")
@click.option("--from", "start", type=MONTH, required=True, help="Month the extra starts begin.")
@click.option(
    "--months",
    type=click.IntRange(min=1, max=600),
    required=True,
    help="Forecast horizon in months.",
)
@click.option(
    "--price", type=MoneyParam(positive=True), required=True, help="Price of each extra start."
)
@click.option(
    "--duration",
    type=click.IntRange(min=1, max=120),
    required=True,
    help="Planned months of each extra start.",
)
@click.option("--funds-in-per-month", type=MoneyParam(), help="Funds in each month.")
@click.option("--funds-in-from-pay-bill", is_flag=True, default=False, help=FROM_PAY_BILL_HELP)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def what_if_command(
    start: date,
    months: int,
    price: Decimal,
    duration: int,
    funds_in_per_month: Decimal | None,
    funds_in_from_pay_bill: bool,
    fmt: str,
) -> None:
    """The smallest number of extra starts that stops forecast expiry."""
    try:
        result = service.get_what_if(
            start, months, price, duration, funds_in_per_month, funds_in_from_pay_bill
        )
    except ForecastError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    if result.extra_starts is None:
        click.echo("No number of extra starts up to 100,000 stops the expiry.", err=True)
    click.echo(
        json.dumps(
            {
                "extra_starts": result.extra_starts,
                "expired_before": money_str(result.expired_before),
                "expired_after": money_str(result.expired_after),
                "from": format_month(start),
                "months": months,
                "price": money_str(price),
                "duration": duration,
            },
            indent=2,
        )
    )


@levy_group.command("expire")
@click.option(
    "--as-of",
    "as_of",
    type=MONTH,
    required=True,
    help="Record computed expiries up to and including this month.",
)
def expire_command(as_of: date) -> None:
    """Record the computed expiry of each month up to --as-of (idempotent, audited)."""
    with transaction():
        written = service.record_expiries(as_of, Actor.cli())
    total = sum((amount for _, amount in written), Decimal(0))
    click.echo(
        f"Recorded expiry for {len(written)} months to {format_month(as_of)}: {format_money(total)}"
    )


@import_group.command("levy-transactions")
@click.argument("path", type=click.Path(dir_okay=False))
def import_transactions_command(path: str) -> None:
    """The levy_transactions.xlsx template, or the apprenticeship service's own
    transaction download (CSV or xlsx, recognised by its header)."""
    name = Path(path).name

    def write(parsed: Any) -> Any:
        if isinstance(parsed, DasDownload):
            return service.import_das_download(parsed, Actor.cli())
        return service.import_transactions(parsed, Actor.cli(), f"xlsx:{name}")

    summary = run_import(lambda p: ledger_workbook.read_levy_file(p, name), write, path)
    click.echo(f"Imported levy transactions ({summary.recognised}): {summary}")
    _say_balance()


def _say_balance() -> None:
    """The pot's balance after an import."""
    last = service.last_month()
    if last is None:
        return
    balance = service.get_ledger(last).months[-1].balance
    held = (
        f"holds {format_money(balance)}"
        if balance >= 0
        else f"is overdrawn by {format_money(-balance)}"
    )
    click.echo(f"The levy pot {held} at the end of {format_month_name(last)}.")


@import_group.command("pay-bill")
@click.argument("path", type=click.Path(dir_okay=False))
def import_pay_bill_command(path: str) -> None:
    """Pay bill by organisation per payroll month."""
    summary = run_import(
        ledger_workbook.read_pay_bill,
        lambda rows: service.import_pay_bill(rows, Actor.cli()),
        path,
    )
    click.echo(f"Imported pay bill: {summary}")
