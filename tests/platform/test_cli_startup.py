"""One app for every command (issue 21): `flask --app wsgi ...` builds the whole app, the
database and the pages included, whatever the command; the heavy libraries (openpyxl,
python-docx) are imported only by the commands that read or write a workbook or paper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MODULES = ("flask_sqlalchemy", "levy.models", "levy.views", "openpyxl", "docx")
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


def test_every_command_gets_the_whole_app_but_not_the_heavy_libraries(tmp_path):
    for args in (("levy", "--help"), ("levy", "create-user", "--help"), ("routes",)):
        loaded = _modules_after(tmp_path, *args)
        assert loaded == {
            "flask_sqlalchemy": True,
            "levy.models": True,
            "levy.views": True,
            "openpyxl": False,
            "docx": False,
        }, args
