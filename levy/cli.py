"""The ``flask levy`` command group.

Commands are thin: parse the arguments, call one service, commit once, print.
Areas add their commands in ``levy/commands/<area>.py`` (discovered), to
``levy_group`` or its ``import_group`` and ``export_group``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

from levy.domain.errors import DomainError
from levy.extensions import db
from levy.importers.workbook import ImportFailed

levy_group = AppGroup("levy", help="Apprenticeship levy: imports, forecasts, demo data, users.")
import_group = AppGroup("import", help="Import a workbook (all or nothing).")
export_group = AppGroup("export", help="Export records to a workbook or CSV.")
levy_group.add_command(import_group)
levy_group.add_command(export_group)


def fail_import(exc: ImportFailed) -> None:
    """Print every problem as ``sheet, row, column: message`` on stderr and exit 1."""
    db.session.rollback()
    for error in exc.errors:
        click.echo(str(error), err=True)
    click.echo(f"Nothing was imported: {len(exc.errors)} problem(s).", err=True)
    sys.exit(1)


def run_import(read: Callable[[Path], Any], write: Callable[[Any], Any], path: str) -> Any:
    """Read and check the whole file, then write it and commit; all or nothing."""
    try:
        parsed = read(Path(path))
        result = write(parsed)
    except ImportFailed as exc:
        fail_import(exc)
    except DomainError as exc:
        db.session.rollback()
        click.echo(f"Nothing was imported: {exc}", err=True)
        sys.exit(1)
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def init_app(app: Flask) -> None:
    from levy import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}")
    if "levy" not in app.cli.commands:
        app.cli.add_command(levy_group)
