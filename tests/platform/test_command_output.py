"""``--output`` into a folder that does not exist (issue 26 §7): one line naming the
folder and exit 1, before any work, on every command that writes a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOWNLOAD = str(ROOT / "imports" / "demo" / "esfa_transactions.csv")

COMMANDS = [
    ["export", "apprentices", "--format", "xlsx"],
    ["export", "apprentices", "--format", "csv"],
    ["expiry-by-directorate", "--year", "2020", "--format", "xlsx"],
    ["reconcile", DOWNLOAD, "--format", "xlsx"],
    ["report", "quarterly", "--quarter", "2020-Q4", "--format", "docx"],
    ["report", "quarterly", "--quarter", "2020-Q4", "--format", "json"],
    ["ledger", "--format", "csv"],
    ["forecast", "--from", "2021-04", "--months", "3", "--format", "csv"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_a_missing_folder_is_one_line_and_exit_1(
    runner: Any, tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "no-such-folder"
    result = runner.invoke(args=["levy", *args, "--output", str(missing / "out.file")])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines == [
        f"Error: cannot write {missing / 'out.file'}: the folder {missing} does not exist; "
        "create it first or choose another --output"
    ]
    assert not missing.exists()


def test_a_file_where_the_folder_should_be(runner: Any, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("not a folder")
    out = tmp_path / "plain" / "report.docx"
    args = ["levy", "report", "quarterly", "--quarter", "2020-Q4", "--format", "docx"]
    result = runner.invoke(args=[*args, "--output", str(out)])
    assert result.exit_code == 1
    assert f"the folder {tmp_path / 'plain'} is not a folder" in result.output


def test_an_existing_folder_is_written(runner: Any, tmp_path: Path) -> None:
    out = tmp_path / "apprentices.csv"
    args = ["levy", "export", "apprentices", "--format", "csv", "--output", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("Reference,")


def test_the_real_command_prints_no_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "LEVY_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
    }
    out = tmp_path / "missing" / "quarter.xlsx"
    args = ["report", "quarterly", "--quarter", "2020-Q4", "--format", "xlsx"]
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "levy", *args, "--output", str(out)],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"Error: cannot write {out}: the folder {out.parent} does not exist; "
        "create it first or choose another --output"
    )
