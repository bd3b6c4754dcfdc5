"""A command with the database down, cut off mid-import, or without its tables yet: one
line, exit 1, no traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from levy.services import organisations
from tests.conftest import free_port, make_app
from tests.factories import directorates_book
from tests.platform.test_import_directorates import GOOD

IS_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
MESSAGE = "Nothing was imported: the database is not reachable"


def _import(app: Flask, path: Path) -> Any:
    return app.test_cli_runner().invoke(args=["levy", "import", "directorates", str(path)])


def _refused(result: Any) -> None:
    assert result.exit_code == 1, result.output
    assert MESSAGE in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-levy-folder/levy.db",  # the file cannot be opened
        f"postgresql://levy:levy@127.0.0.1:{free_port()}/levy",  # nothing listens there
    ],
    ids=["sqlite", "postgresql"],
)
def test_import_with_the_database_unreachable(url: str, tmp_path: Path) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    _refused(_import(app, directorates_book(tmp_path / "d.xlsx", GOOD)))


@pytest.mark.postgres
@pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_import_cut_off_mid_way_by_the_outage(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server drops the import's connection after it has started writing."""
    original = organisations.import_directorates

    def cut_off(*args: Any, **kw: Any) -> Any:
        from levy.extensions import db

        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        original(*args, **kw)
        admin = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        try:
            with admin.begin() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            admin.dispose()
        return original(*args, **kw)  # the next statement finds the connection gone

    monkeypatch.setattr(organisations, "import_directorates", cut_off)  # the command calls it
    _refused(_import(app, directorates_book(tmp_path / "d.xlsx", GOOD)))
    with app.app_context():  # nothing was kept, and the service carries on
        from levy.extensions import db
        from levy.models import Organisation

        assert db.session.execute(db.select(db.func.count(Organisation.id))).scalar_one() == 0
        db.session.remove()


@pytest.mark.parametrize(
    "args",
    [
        ["levy", "ledger"],  # reads stored figures first, then wires the database
        ["levy", "cohorts", "--as-of", "2021-03-31"],
        ["levy", "forecast", "--from", "2021-04", "--months", "3"],
    ],
    ids=["ledger", "cohorts", "forecast"],
)
def test_a_command_on_a_database_without_tables_says_how_to_make_them(
    args: list[str], tmp_path: Path
) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.db'}")
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        "Error: the database has no tables yet: run `flask --app wsgi db upgrade` first"
    )
    assert "Traceback" not in result.output


def test_a_command_with_the_database_unreachable_says_so(tmp_path: Path) -> None:
    url = f"postgresql://levy:levy@127.0.0.1:{free_port()}/levy"  # nothing listens there
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    result = app.test_cli_runner().invoke(args=["levy", "ledger", "--to", "2021-03"])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == "Error: the database is not reachable"


def test_an_import_on_a_database_without_tables_says_how_to_make_them(tmp_path: Path) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.db'}")
    result = _import(app, directorates_book(tmp_path / "d.xlsx", GOOD))
    assert result.exit_code == 1, result.output
    assert "Nothing was imported: the database has no tables yet" in result.stderr
