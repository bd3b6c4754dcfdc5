"""The ledger, forecast and what-if commands read a current stored projection without SQLAlchemy
(issue 13, ``levy/services/stored_read.py``): same figures as the whole path, never a
stale one, and anything the shortcut cannot read goes the whole way.

The shortcut opens its own connection, so these tests use the committed demo database
(``live_database``: SQLite here, PostgreSQL in the PostgreSQL pass), not the per-test
transaction the other command tests run in.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from levy import create_app
from levy.commands import ledger as ledger_commands
from levy.extensions import db
from levy.services import ledger as service
from levy.services.projection import mark_stale
from levy.services.stored_read import (
    last_levy_month,
    stored_ledger,
    stored_projection,
    stored_texts,
)
from tests.platform.test_cli_startup import run_probed

ROOT = Path(__file__).resolve().parents[2]
# a key of its own (13 months from April 2021), so no other test has stored it
FORECAST = ["levy", "forecast", "--from", "2021-04", "--months", "13"]
WHAT_IF = ["levy", "what-if", *FORECAST[2:], "--price", "9000", "--duration", "18"]


@pytest.fixture(scope="module")
def demo_app(live_database: str) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": live_database, "SECRET_KEY": "x" * 32})


def _change(app: Flask) -> None:
    """Commit a change of the inputs, as any write to them does: nothing stored is current."""
    with app.app_context():
        mark_stale()
        db.session.commit()


def _invoke(app: Flask, args: list[str]) -> Any:
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _whole_way_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("went the whole way although a current projection is stored")

    monkeypatch.setattr(service, "get_forecast", forbidden)
    monkeypatch.setattr(service, "get_ledger", forbidden)
    monkeypatch.setattr(service, "get_what_if", forbidden)
    monkeypatch.setattr(ledger_commands, "wire_now", forbidden)


def test_a_stored_projection_is_read_without_computing_and_gives_the_same_figures(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    _change(demo_app)  # whatever an earlier run stored: this run computes
    with demo_app.app_context():
        assert stored_projection(demo_app, date(2021, 4, 1), 13, None, False) is None
    computed = _invoke(demo_app, FORECAST)  # computes and stores
    computed_what_if = _invoke(demo_app, WHAT_IF)
    assert len(computed) == 13 and computed[0]["month"] == "2021-04"
    assert any(row["funds_in"] != "0.00" for row in computed)  # the demo's levy, not nothing

    with monkeypatch.context() as patched:
        _whole_way_forbidden(patched)
        assert _invoke(demo_app, FORECAST) == computed
        assert _invoke(demo_app, WHAT_IF) == computed_what_if
        csv = demo_app.test_cli_runner().invoke(args=[*FORECAST, "--format", "csv"])
        assert csv.exit_code == 0 and csv.output.count("\n") == 14  # header and 13 months


def test_a_change_makes_the_shortcut_miss_and_the_command_recompute(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _invoke(demo_app, FORECAST)
    assert stored_projection(demo_app, date(2021, 4, 1), 13, None, False) is not None
    _change(demo_app)
    assert stored_projection(demo_app, date(2021, 4, 1), 13, None, False) is None
    with monkeypatch.context() as patched:
        _whole_way_forbidden(patched)
        refused = demo_app.test_cli_runner().invoke(args=FORECAST)
        assert isinstance(refused.exception, AssertionError)  # it did try the whole way
    assert _invoke(demo_app, FORECAST) == first  # recomputed: the data did not change
    assert stored_projection(demo_app, date(2021, 4, 1), 13, None, False) is not None


def test_other_arguments_are_other_projections(demo_app: Flask) -> None:
    _invoke(demo_app, FORECAST)
    assert stored_projection(demo_app, date(2021, 4, 1), 97, None, False) is None
    assert stored_projection(demo_app, date(2021, 5, 1), 13, None, False) is None
    found = stored_projection(demo_app, date(2021, 4, 1), 13, None, False)
    assert found is not None and found.months == 13 and found.start == date(2021, 4, 1)
    assert found.dues is None  # the summary only, unless asked for the detail
    detailed = stored_projection(demo_app, date(2021, 4, 1), 13, None, False, detail=True)
    assert detailed is not None and detailed.dues is not None and detailed.opening is not None


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:levy.db?mode=memory",
        "sqlite:///levy%20db.db",
        "mysql://someone@127.0.0.1/levy",
        "postgresql+psycopg://nobody@127.0.0.1:1/levy",  # nothing listens on port 1
    ],
)
def test_urls_the_shortcut_cannot_read_go_the_whole_way(url: str, tmp_path: Path) -> None:
    assert stored_texts(url, str(tmp_path), "account:1|anything", detail=False) is None


def test_a_missing_database_file_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.db"
    assert stored_texts(f"sqlite:///{missing}", str(tmp_path), "k", detail=False) is None
    assert not missing.exists()


def test_a_database_without_tables_goes_the_whole_way(tmp_path: Path) -> None:
    empty = tmp_path / "instance" / "empty.db"
    empty.parent.mkdir()
    sqlite3.connect(empty).close()
    # relative to the instance folder, as Flask-SQLAlchemy reads a relative SQLite path
    assert stored_texts("sqlite:///empty.db", str(empty.parent), "k", detail=False) is None


@pytest.mark.parametrize(
    ("args", "rows"),
    [
        (["levy", "forecast", "--from", "2021-05", "--months", "11"], 11),
        (["levy", "ledger", "--to", "2020-12"], 44),  # May 2017 (the first levy) to December 2020
    ],
)
def test_the_command_reads_stored_figures_without_importing_sqlalchemy(
    demo_app: Flask, live_database: str, tmp_path: Path, args: list[str], rows: int
) -> None:
    _change(demo_app)
    computed, first = run_probed(tmp_path, *args, database_url=live_database)
    read, second = run_probed(tmp_path, *args, database_url=live_database)
    assert json.loads(read) == json.loads(computed) and len(json.loads(read)) == rows
    assert first["sqlalchemy"] and first["levy.models"]  # computed and stored it
    assert not second["sqlalchemy"] and not second["levy.models"]  # read it


def test_a_stored_ledger_is_read_without_computing_and_gives_the_same_rows(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    _change(demo_app)
    with demo_app.app_context():
        last = service.last_month()
    assert last is not None
    assert last_levy_month(demo_app.config["SQLALCHEMY_DATABASE_URI"], demo_app.instance_path) == (
        last
    )
    assert stored_ledger(demo_app, None) is None  # nothing current stored yet
    whole = _invoke(demo_app, ["levy", "ledger"])  # works it out and stores it
    to_2020 = _invoke(demo_app, ["levy", "ledger", "--to", "2020-03"])
    assert whole[-1]["month"] == f"{last:%Y-%m}" and to_2020[-1]["month"] == "2020-03"
    assert any(row["expired"] != "0.00" for row in whole)  # the demo's own expiries

    with monkeypatch.context() as patched:
        _whole_way_forbidden(patched)
        assert _invoke(demo_app, ["levy", "ledger"]) == whole
        assert _invoke(demo_app, ["levy", "ledger", "--to", "2020-03"]) == to_2020

    _change(demo_app)
    assert stored_ledger(demo_app, None) is None
    with monkeypatch.context() as patched:
        _whole_way_forbidden(patched)
        refused = demo_app.test_cli_runner().invoke(args=["levy", "ledger"])
        assert isinstance(refused.exception, AssertionError)  # it did try the whole way
