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
from flask.cli import AppGroup, ScriptInfo

from levy.domain.errors import DomainError, ImportFailed
from levy.domain.fields import FieldError, parse_amount, parse_day, parse_int, parse_month


def lazy_module(name: str) -> Any:
    """``name``, imported the first time one of its attributes is used: commands take their
    services and workbook readers this way so ``flask levy --help`` stays quick (issue 13)."""

    class _Lazy:
        def __getattr__(self, attr: str) -> Any:
            return getattr(importlib.import_module(name), attr)

    return _Lazy()


class LevyCommand(click.Command):
    """A ``flask levy`` command: wires the database into the app just before it runs, so
    listing the commands and their options (``--help``) needs no SQLAlchemy (issue 13).

    ``wire=False``: the command wires it itself, with :func:`wire_now`, once it knows it
    needs it (the ledger, forecast and what-if first look for stored figures without it).

    A database that cannot be reached, or has no tables yet, is one line and exit 1 for
    every command, not a traceback (imports say it their own way, ``run_import``)."""

    def __init__(self, *args: Any, wire: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wire = wire

    def invoke(self, ctx: click.Context) -> Any:
        if self.wire:
            from levy import wire_data

            wire_data(ctx.ensure_object(ScriptInfo).load_app())  # the app ``with_appcontext`` uses
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if not _is_database_problem(exc):
                raise
            click.echo(f"Error: {database_problem(exc)}", err=True)
            sys.exit(1)


def _is_database_problem(exc: Exception) -> bool:
    """The database is unreachable, dropped us, or lacks a table (SQLAlchemy's errors for
    them; SQLAlchemy is not imported at all if the command never reached the database)."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None:
        return False
    if isinstance(exc, errors.OperationalError | errors.InterfaceError):
        return True
    return isinstance(exc, errors.ProgrammingError) and _missing_table(exc)


def _missing_table(exc: Exception) -> bool:
    orig = getattr(exc, "orig", exc)  # SQLite: "no such table"; PostgreSQL: UndefinedTable
    return "no such table" in str(orig) or type(orig).__name__ == "UndefinedTable"


def wire_now() -> None:
    """Wire the database into the running command's app (a ``wire=False`` command)."""
    from flask import current_app

    from levy import wire_data

    wire_data(current_app._get_current_object())  # type: ignore[attr-defined]  # the real app


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
    from levy.extensions import db

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
    from sqlalchemy.exc import InterfaceError, OperationalError

    from levy.services.locks import import_lock
    from levy.transaction import transaction

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
    if "database is locked" in str(
        getattr(exc, "orig", exc)
    ):  # SQLite: another writer held on past the wait
        return "the database is busy with another import: try again in a minute"
    if _missing_table(exc):
        return "the database has no tables yet: run `flask --app wsgi db upgrade` first"
    return "the database is not reachable"


def _rollback_quietly() -> None:
    """Roll back after a lost connection; the rollback itself may find it gone too."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    from levy.extensions import db

    with contextlib.suppress(OperationalError, InterfaceError):
        db.session.rollback()
    db.session.remove()


# --- Flask-Migrate, imported only when a `flask db` command runs ---------------------


class _LazyMigrateConfig:
    """``app.extensions["migrate"]``: Flask-Migrate's config, built (importing Alembic)
    the first time something reads it, e.g. ``flask_migrate.upgrade()``."""

    def __init__(self, db: Any, directory: str) -> None:
        self._db, self._directory = db, directory
        self._real: Any = None

    def _load(self) -> Any:
        if self._real is None:
            from flask_migrate import Migrate, _MigrateConfig

            migrate = Migrate(
                db=self._db, directory=self._directory, render_as_batch=True, compare_type=True
            )
            self._real = _MigrateConfig(migrate, self._db, **migrate.alembic_ctx_kwargs)
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._load(), name)


class _LazyDbGroup(click.Group):
    """``flask db``: Flask-Migrate's command group, imported when it is used."""

    def _load(self) -> None:
        from flask_migrate.cli import db as real

        self.params, self.callback, self.commands = real.params, real.callback, real.commands

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        self._load()
        return super().make_context(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)


def init_migrate(app: Flask, db: Any, directory: str) -> None:
    app.extensions["migrate"] = _LazyMigrateConfig(db, directory)
    app.cli.add_command(_LazyDbGroup("db", help="Perform database migrations."))


def init_app(app: Flask) -> None:
    from levy import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}")
    if "levy" not in app.cli.commands:
        app.cli.add_command(levy_group)
