"""``flask levy expiry-by-directorate``, ``flask levy reconcile FILE`` and ``flask levy
report quarterly`` (issue 15, ``docs/insight.md``). Reading only: nothing is written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app

from levy import clock
from levy.cli import LevyGroup, levy_group
from levy.commands.output import OUTPUT
from levy.domain.errors import DomainError, ImportFailed
from levy.domain.months import MonthError, Quarter, parse_quarter
from levy.importers import service_download as download
from levy.services import insight as service
from levy.services import insight_files as files

report_group = LevyGroup("report", help="Reports: the quarterly report.")


def _output(payload: bytes, output: str | None, what: str) -> None:
    if output:
        Path(output).write_bytes(payload)
        click.echo(f"Wrote {what} to {output}", err=True)
    elif payload[:2] == b"PK":
        raise click.UsageError("xlsx and docx need --output FILE")
    else:
        click.echo(payload, nl=False)


def _json(data: Any) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode() + b"\n"


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@levy_group.command("expiry-by-directorate")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    required=True,
    help="The financial year's start year: 2020 is April 2020 to March 2021.",
)
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json")
@click.option("--output", type=OUTPUT, help="Write to this file.")
def expiry_by_directorate_command(year: int, fmt: str, output: str | None) -> None:
    """Funds each directorate generated, used, left unused, and its share of the expiry."""
    try:
        report = service.expiry_by_directorate(year)
    except DomainError as exc:
        _fail(str(exc))
    if fmt == "json":
        _output(_json([row.as_dict() for _, row in report.rows]), output, "the expiry shares")
    else:
        _output(files.expiry_xlsx(report), output, "the expiry shares")


@levy_group.command("reconcile")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json")
@click.option("--output", type=OUTPUT, help="Write to this file.")
def reconcile_command(file: str, fmt: str, output: str | None) -> None:
    """Compare the apprenticeship service's transaction download with our records and
    ledger; changes nothing."""
    try:
        parsed = download.read_service_download(Path(file), Path(file).name)
        result = service.reconcile(parsed, service.payment_lag(current_app.config))
    except ImportFailed as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        _fail(f"Nothing was compared: {len(exc.errors)} problem(s) in the file.")
    except DomainError as exc:
        _fail(str(exc))
    if fmt == "json":
        _output(_json(result.as_dict()), output, "the reconciliation")
    else:
        _output(files.reconcile_xlsx(result), output, "the reconciliation")


class QuarterParam(click.ParamType):
    name = "YYYY-QN"

    def convert(self, value: Any, param: Any, ctx: Any) -> Quarter:
        if isinstance(value, Quarter):
            return value
        try:
            return parse_quarter(value)
        except MonthError as exc:
            self.fail(str(exc), param, ctx)


@report_group.command("quarterly")
@click.option(
    "--quarter",
    type=QuarterParam(),
    required=True,
    help="A financial-year quarter: 2020-Q4 is January to March 2021.",
)
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "docx"]), default="json")
@click.option("--output", type=OUTPUT, help="Write to this file.")
def quarterly_command(quarter: Quarter, fmt: str, output: str | None) -> None:
    """The quarterly report: indicators with targets, RAG and direction."""
    try:
        report = service.quarterly_report(quarter, clock.today())
    except DomainError as exc:
        _fail(str(exc))
    if fmt == "json":
        _output(_json(report.as_dict()), output, "the quarterly report")
    elif fmt == "xlsx":
        _output(files.quarterly_xlsx(report), output, "the quarterly report")
    else:
        config = current_app.config
        payload = files.quarterly_docx(report, config["COUNCIL_NAME"], config["SERVICE_NAME"])
        _output(payload, output, "the quarterly report")


levy_group.add_command(report_group)
