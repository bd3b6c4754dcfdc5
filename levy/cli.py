"""The ``flask levy`` command group.

Commands are thin: parse the arguments, call one service, commit once, print.
Areas add their commands in ``levy/commands/<area>.py`` (discovered), to
``levy_group`` or its ``import_group`` and ``export_group``.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

from levy.domain.errors import DomainError, ImportFailed
from levy.domain.fields import FieldError, parse_amount, parse_day, parse_int, parse_month
from levy.extensions import db, is_busy
from levy.services.locks import import_lock
from levy.transaction import transaction


class LevyCommand(click.Command):
    """A ``flask levy`` command: a database that cannot be reached, or has no tables yet,
    is one line and exit 1 for every command, not a traceback (imports say it their own
    way, ``run_import``)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if not _is_database_problem(exc):
                raise
            click.echo(f"Error: {database_problem(exc)}", err=True)
            sys.exit(1)


def _is_database_problem(exc: Exception) -> bool:
    """The database is unreachable, dropped us, or lacks a table."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, ProgrammingError) and _missing_table(exc)


def _missing_table(exc: Exception) -> bool:
    orig = getattr(exc, "orig", exc)  # SQLite: "no such table"; PostgreSQL: UndefinedTable
    return "no such table" in str(orig) or type(orig).__name__ == "UndefinedTable"


class LevyGroup(AppGroup):
    """``AppGroup`` whose commands are ``LevyCommand``s, and whose subgroups are its kind."""

    command_class = LevyCommand
    group_class = type


levy_group = LevyGroup("levy", help="Apprenticeship levy: imports, forecasts, demo data, users.")
import_group = LevyGroup("import", help="Import a workbook (all or nothing).")
export_group = LevyGroup("export", help="Export records to a workbook or CSV.")
levy_group.add_command(import_group)
levy_group.add_command(export_group)


# --- option types: a bad value exits 2 with a message naming the option -------------


# They call ``levy.domain.fields``, like the web forms and the workbook importers, so the
# command line takes every spelling the web takes (2021-03-31, 31/03/2021, 31 March 2021).


class DayParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_day(value)
        except FieldError as exc:
            self.fail(str(exc), param, ctx)


class MonthParam(click.ParamType):
    name = "YYYY-MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_month(value)
        except FieldError as exc:
            self.fail(str(exc), param, ctx)


class IntParam(click.ParamType):
    """A whole number within bounds (and always within a database integer)."""

    name = "INTEGER"

    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return parse_int(value, minimum=self.minimum, maximum=self.maximum)
        except FieldError as exc:
            self.fail(str(exc), param, ctx)


class MoneyParam(click.ParamType):
    name = "AMOUNT"

    def __init__(self, positive: bool = False) -> None:
        self.positive = positive

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            amount = parse_amount(value, minimum=None)
        except FieldError as exc:
            self.fail(str(exc), param, ctx)
        if amount < 0 or (self.positive and amount == 0):
            self.fail(f"'{value}' must be more than 0", param, ctx)
        return amount


DAY = DayParam()
MONTH = MonthParam()


def fail_import(exc: ImportFailed) -> None:
    """Print every problem as ``sheet, row, column: message`` on stderr and exit 1."""
    db.session.rollback()
    for error in exc.errors:
        click.echo(str(error), err=True)
    click.echo(f"Nothing was imported: {len(exc.errors)} problem(s).", err=True)
    sys.exit(1)


def run_import(
    read: Callable[[Path], Any],
    write: Callable[[Any], Any],
    path: str,
    *,
    kind: str | None = None,
    organisation_id: int | None = None,
) -> Any:
    """Read and check the whole file, then write it and commit; all or nothing.

    The write holds the import lock for ``kind`` (default: the command's name, as in
    ``flask levy import apprentices``), the same lock the web import takes, so two runs
    at once take turns and the second sees what the first stored. A database that is
    down or drops the connection mid-import prints one line and exits 1.
    """
    kind = kind or click.get_current_context().info_name or "import"
    try:
        parsed = read(Path(path))
        with transaction():  # commits, or rolls back and re-raises
            import_lock(kind, organisation_id)
            result = write(parsed)
    except ImportFailed as exc:
        fail_import(exc)
    except DomainError as exc:
        click.echo(f"Nothing was imported: {exc}", err=True)
        sys.exit(1)
    except (OperationalError, InterfaceError) as exc:
        _rollback_quietly()
        click.echo(f"Nothing was imported: {database_problem(exc)}", err=True)
        sys.exit(1)
    return result


def database_problem(exc: Exception) -> str:
    """The database refused or dropped us: say which, without a traceback."""
    if is_busy(exc):  # another writer held on past the wait
        return "the database is busy with another import: try again in a minute"
    if _missing_table(exc):
        return "the database has no tables yet: run `flask --app wsgi db upgrade` first"
    return "the database is not reachable"


def _rollback_quietly() -> None:
    """Roll back after a lost connection; the rollback itself may find it gone too."""
    with contextlib.suppress(OperationalError, InterfaceError):
        db.session.rollback()
    db.session.remove()


def init_app(app: Flask) -> None:
    from levy import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}")
    if "levy" not in app.cli.commands:
        app.cli.add_command(levy_group)
