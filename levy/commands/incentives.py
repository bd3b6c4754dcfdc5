"""``flask levy incentives due|apply|paid`` (issue 7 command-line contract)."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal

import click

from levy import clock
from levy.cli import DAY, LevyGroup, MoneyParam, levy_group
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.domain.schemes import SCHEMES
from levy.services import incentives as service
from levy.transaction import transaction

incentives_group = LevyGroup(
    "incentives", help="Incentive payments: what is due, applications, payments."
)
levy_group.add_command(incentives_group)


@incentives_group.command("due")
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    default=None,
    help="The date to work statuses out on (YYYY-MM-DD); today if left out.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True
)
def due_command(as_of: date | None, fmt: str) -> None:
    """Every instalment of every scheme each apprentice is eligible for."""
    day = as_of or clock.today()
    rows = service.due_rows(day)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(f"No incentive instalments as of {day.isoformat()}.")
        return
    click.echo(
        f"{'Apprentice':<14}{'Scheme':<22}{'#':<3}{'Amount':>10}  {'Due':<11} "
        f"{'Status':<12} Application"
    )
    for r in rows:
        click.echo(
            f"{r['apprentice']:<14}{r['scheme']:<22}{r['instalment']:<3}{r['amount']:>10}  "
            f"{r['due_date'] or '-':<11} {r['status']:<12} {r['application']}"
        )


def _fail(exc: DomainError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(1)


@incentives_group.command("apply")
@click.argument("reference")
@click.option("--scheme", required=True, type=click.Choice(list(SCHEMES)))
@click.option(
    "--date",
    "day",
    type=DAY,
    required=True,
    help="The date applied (or the provider was told), YYYY-MM-DD.",
)
@click.option("--claim-reference", "claim_reference", required=True, help="The claim reference.")
def apply_command(reference: str, scheme: str, day: date, claim_reference: str) -> None:
    """Record that the application for SCHEME was made for apprentice REFERENCE."""
    with transaction(catch=True) as tx:
        apprentice = service.find_apprentice(reference)
        row = service.record_application(
            apprentice, scheme, day, claim_reference, Actor.cli(), clock.today()
        )
    if tx.error:
        _fail(tx.error)
        return
    click.echo(
        f"{reference}: {scheme} applied on {row.applied_on.isoformat()} (reference {row.reference})"
    )


@incentives_group.command("paid")
@click.argument("reference")
@click.option("--scheme", required=True, type=click.Choice(list(SCHEMES)))
@click.option("--instalment", "number", required=True, type=click.IntRange(1, 3))
@click.option(
    "--date", "day", type=DAY, required=True, help="The date the payment was received, YYYY-MM-DD."
)
@click.option(
    "--amount", "value", type=MoneyParam(), required=True, help="The amount received, like 1000.00."
)
def paid_command(reference: str, scheme: str, number: int, day: date, value: Decimal) -> None:
    """Record instalment K of SCHEME as paid for apprentice REFERENCE."""
    with transaction(catch=True) as tx:
        apprentice = service.find_apprentice(reference)
        row = service.record_payment(
            apprentice, scheme, number, day, value, Actor.cli(), clock.today()
        )
    if tx.error:
        _fail(tx.error)
        return
    click.echo(
        f"{reference}: {scheme} instalment {row.number} paid on {row.paid_on.isoformat()}, "
        f"{row.amount:.2f}"
    )
