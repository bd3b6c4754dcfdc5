"""Cohort commands: import standards/providers/apprentices, cohorts, quotas, export."""

from __future__ import annotations

import json
import sys
from datetime import date

import click

from levy import clock
from levy.cli import DAY, export_group, import_group, levy_group, run_import
from levy.commands.output import OUTPUT
from levy.domain.accounts import Actor
from levy.domain.quotas import QuotaMethod
from levy.exports import write_file
from levy.importers import cohorts as workbook
from levy.services import cohorts as service


@import_group.command("standards")
@click.argument("path", type=click.Path(dir_okay=False))
def import_standards_command(path: str) -> None:
    """Apprenticeship standards and their dated funding bands (sheet Standards)."""
    summary = run_import(
        workbook.read_standards, lambda rows: service.import_standards(rows, Actor.cli()), path
    )
    click.echo(f"Imported standards: {summary}")


@import_group.command("providers")
@click.argument("path", type=click.Path(dir_okay=False))
def import_providers_command(path: str) -> None:
    """Training providers (sheet Providers)."""
    summary = run_import(
        workbook.read_providers, lambda rows: service.import_providers(rows, Actor.cli()), path
    )
    click.echo(f"Imported providers: {summary}")


@import_group.command("apprentices")
@click.argument("path", type=click.Path(dir_okay=False))
def import_apprentices_command(path: str) -> None:
    """Apprentices and their breaks in learning (sheets Apprentices and Breaks)."""
    summary = run_import(
        lambda source: workbook.read_apprentices(source, service.known_names()),
        lambda rows: service.import_apprentices(rows, Actor.cli()),
        path,
    )
    click.echo(f"Imported apprentices: {summary}")


@levy_group.command("cohorts")
@click.option("--as-of", "as_of", type=DAY, help="The census date, YYYY-MM-DD (default today).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
def cohorts_command(as_of: date | None, fmt: str) -> None:
    """Apprentices on programme, on a break and in the future cohort on a date."""
    count = service.cohort(as_of or clock.today())
    data = count.as_dict()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(
        f"As of {data['as_of']}: {data['on_programme']} on programme "
        f"({data['on_break']} on a break), {data['future']} in the future cohort"
    )
    for key in ("by_organisation", "by_directorate", "by_level", "by_age_band"):
        click.echo(f"{key.replace('_', ' ').capitalize()}:")
        counts = data[key]
        assert isinstance(counts, dict)
        for name, value in counts.items():
            click.echo(f"  {name}: {value}")


@levy_group.command("quotas")
@click.option("--year", required=True, type=int, help="Financial year starting 1 April YYYY.")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text")
@click.option(
    "--method",
    type=click.Choice([m.value for m in QuotaMethod]),
    help="Override the method finance chose for the year.",
)
@click.option("--today", type=DAY, help="Count as of this date instead of today (YYYY-MM-DD).")
def quotas_command(year: int, fmt: str, method: str | None, today: date | None) -> None:
    """Each directorate's fair share of starts, starts so far and on programme."""
    lines = service.quotas(
        year, today or clock.today(), method=QuotaMethod(method) if method else None
    )
    if fmt == "json":
        click.echo(json.dumps([line.as_dict() for line in lines], indent=2))
        return
    for line in lines:
        click.echo(
            f"{line.organisation} / {line.directorate}: headcount {line.headcount}, "
            f"target {line.target_starts}, starts {len(line.starts)}, on programme "
            f"{len(line.on_programme)}, {line.rag.value}"
        )


@export_group.command("apprentices")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), required=True)
@click.option("--output", required=True, type=OUTPUT)
def export_apprentices_command(fmt: str, output: str) -> None:
    """Every apprentice with the import template's columns (re-imports unchanged)."""
    people, breaks = service.export_rows()
    write_file(output, fmt, workbook.export_sheets(people, breaks))
    count = len(people)
    click.echo(f"Exported {count} apprentices to {output}")
    sys.stdout.flush()
