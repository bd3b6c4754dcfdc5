"""`flask levy --help` starts without SQLAlchemy or Alembic (issue 13): the database is
wired when a command runs, Flask-Migrate is imported only for `flask db` commands, openpyxl
only when a workbook is read or written; `flask levy` builds the app without its pages (no
views, forms, zxcvbn, python-docx or Talisman)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MODULES = (
    "sqlalchemy",
    "flask_sqlalchemy",
    "levy.models",
    "levy.extensions",
    "alembic",
    "flask_migrate",
    "openpyxl",
    "docx",
    "zxcvbn",
    "flask_talisman",
    "govuk_frontend_wtf.main",
    "levy.views",
    "levy.services.users",
)
PROBE = f"""
import json, sys
MODULES = {MODULES!r}
from flask.cli import main
sys.argv = ["flask", "--app", "wsgi", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps({{m: m in sys.modules for m in MODULES}}))
"""


def run_probed(
    tmp_path: Path, *args: str, database_url: str | None = None
) -> tuple[str, dict[str, bool]]:
    """``flask --app wsgi ARGS`` in a fresh process: (what it printed, which of
    ``MODULES`` it had imported by the end)."""
    env = {
        **os.environ,
        "LEVY_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'cli.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    *output, loaded = result.stdout.strip().splitlines()
    return "\n".join(output), json.loads(loaded)


def _modules_after(tmp_path: Path, *args: str) -> dict[str, bool]:
    return run_probed(tmp_path, *args)[1]


def test_levy_help_does_not_import_alembic(tmp_path):
    loaded = _modules_after(tmp_path, "levy", "--help")
    assert loaded == dict.fromkeys(MODULES, False)


def test_levy_command_help_is_quick_too(tmp_path):
    loaded = _modules_after(tmp_path, "levy", "create-user", "--help")
    assert not any(loaded.values()), loaded


def test_a_command_that_runs_wires_the_database(tmp_path):
    loaded = _modules_after(tmp_path, "levy", "send-mail")  # exits: no MAIL_SERVER
    assert loaded["sqlalchemy"] and loaded["levy.models"]


def test_routes_still_load_the_pages(tmp_path):
    loaded = _modules_after(tmp_path, "routes")
    assert loaded["levy.views"] and loaded["govuk_frontend_wtf.main"] and loaded["flask_talisman"]


def test_db_commands_still_load_flask_migrate(tmp_path):
    loaded = _modules_after(tmp_path, "db", "--help")
    assert loaded["alembic"] and loaded["flask_migrate"]
