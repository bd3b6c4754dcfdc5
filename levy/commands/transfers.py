"""``flask levy transfers allowance|report|tick`` (issue 6's command-line contract)."""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from levy.cli import DAY, LevyGroup, levy_group
from levy.domain.accounts import Actor
from levy.domain.money import format_money
from levy.domain.months import parse_year_label
from levy.services import transfers as svc
from levy.transaction import transaction

transfers_group = LevyGroup("transfers", help="Levy transfers to local businesses.")
levy_group.add_command(transfers_group)


def _year(text: str) -> int:
    """``2024`` or ``2024-25``: the financial year starting 1 April 2024."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    try:
        return parse_year_label(text)
    except ValueError as exc:
        raise click.BadParameter(f"'{text}' is not a year like 2024 or 2024-25") from exc


FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
YEAR = click.option(
    "--year",
    "year_text",
    required=True,
    help="The financial year starting 1 April YYYY (2024 or 2024-25).",
)


@transfers_group.command("allowance")
@YEAR
@FORMAT
def allowance_command(year_text: str, fmt: str) -> None:
    """The year's transfer allowance: base, shares, cap, paid, committed, remaining."""
    allowance = svc.year_allowance(_year(year_text))
    data = allowance.as_dict()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"Transfer allowance {data['year']}")
    click.echo(f"  base (levy + top-up, May to April): {format_money(allowance.base)}")
    click.echo(
        f"  statutory share {data['statutory_percent']}%, local share {data['local_percent']}%"
    )
    click.echo(f"  cap:       {format_money(allowance.cap)}")
    click.echo(f"  paid:      {format_money(allowance.paid)}")
    click.echo(f"  committed: {format_money(allowance.committed)}")
    click.echo(f"  remaining: {format_money(allowance.remaining)}")


@transfers_group.command("report")
@YEAR
@FORMAT
def report_command(year_text: str, fmt: str) -> None:
    """What was transferred in a financial year, to how many businesses and apprenticeships."""
    report = svc.report(_year(year_text))
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    click.echo(
        f"Levy transfers {report.year_label}: {format_money(report.transferred)} to "
        f"{report.businesses} businesses funding {report.apprenticeships} "
        "apprenticeships"
    )
    if report.other_transfers:
        click.echo(f"  other transfers in the ledger: {format_money(report.other_transfers)}")
    for title, data in (
        ("district", report.by_district),
        ("sector", report.by_sector),
        ("level", report.by_level),
    ):
        for key, amount in data.items():
            click.echo(f"  by {title}: {key}: {format_money(amount)}")


@transfers_group.command("tick")
@click.option(
    "--as-of",
    "as_of",
    required=True,
    type=DAY,
    help="Run the timers and payments due by this date (YYYY-MM-DD).",
)
def tick_command(as_of: date) -> None:
    """Timers (auto-reject, auto-decline, funds expired) and monthly transfer payments.

    Idempotent: running it twice for the same date changes nothing the second time.
    """
    with transaction(catch=True) as tx:
        summary = svc.tick(as_of, Actor.cli())
    if tx.error is not None:
        click.echo(f"Error: {tx.error}", err=True)
        sys.exit(1)
    for line in summary.lines():
        click.echo(line)
