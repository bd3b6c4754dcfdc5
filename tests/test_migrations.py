"""The migrations build the schema from empty, and agree with the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from levy.extensions import db as _db
from levy.models import Base


def test_head_matches_models(app: Flask) -> None:
    # the session fixture built this database with `flask db upgrade` from empty
    with app.app_context(), _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
        assert diff == []
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert context.get_current_revision() == script.get_current_head()


def test_revisions_are_numbered_and_linear(app: Flask) -> None:
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        revisions = list(script.walk_revisions())
        assert len(script.get_heads()) == 1
        # walk_revisions goes from head to base: the chain runs 0001, 0002, ... in order
        chain = [r.revision for r in reversed(revisions)]
        assert chain == [f"{n:04d}" for n in range(1, len(chain) + 1)]


def test_upgrade_from_empty_with_the_cli(tmp_path: Any) -> None:
    from levy import create_app

    url = f"sqlite:///{tmp_path}/fresh.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(_db.inspect(_db.engine).get_table_names())
    assert {
        "organisation",
        "directorate",
        "user_account",
        "audit_event",
        "levy_transaction",
        "apprentice",
        "alembic_version",
    } <= tables
