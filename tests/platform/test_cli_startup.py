"""`flask levy --help` starts without Alembic (issue 13): Flask-Migrate is imported only
for `flask db` commands, openpyxl only when a workbook is read or written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from flask.cli import main
sys.argv = ["flask", "--app", "wsgi", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps({m: m in sys.modules for m in ("alembic", "flask_migrate", "openpyxl")}))
"""


def _modules_after(tmp_path: Path, *args: str) -> dict[str, bool]:
    env = {
        **os.environ,
        "LEVY_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
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
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_levy_help_does_not_import_alembic(tmp_path):
    loaded = _modules_after(tmp_path, "levy", "--help")
    assert loaded == {"alembic": False, "flask_migrate": False, "openpyxl": False}


def test_db_commands_still_load_flask_migrate(tmp_path):
    loaded = _modules_after(tmp_path, "db", "--help")
    assert loaded["alembic"] and loaded["flask_migrate"]
