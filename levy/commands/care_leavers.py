"""``flask levy import placements FILE`` (issue 7, 11): all or nothing, like the other imports."""

from __future__ import annotations

import click

from levy import clock
from levy.cli import import_group, run_import
from levy.domain.accounts import Actor
from levy.importers import placements as placement_workbook
from levy.services import care_leavers


@import_group.command("placements")
@click.argument("path", type=click.Path(dir_okay=False))
def import_placements_command(path: str) -> None:
    """Young people and their placements (optional: follow-ups, vacancies, applicants)."""
    today = clock.today()
    summary = run_import(
        lambda p: placement_workbook.read(p, today),
        lambda parsed: care_leavers.import_placements(parsed, Actor.cli(), today),
        path,
    )
    click.echo(f"Imported placements: {summary}")
