"""Uploads that would exhaust a worker (issue 26 §4) are refused before they are parsed:
a workbook whose parts unzip past ``LEVY_IMPORT_MAX_UNZIPPED_BYTES`` (a 200 MB shared
string in a 0.2 MB file), or a sheet of more rows than ``LEVY_IMPORT_MAX_ROWS`` (a million
empty rows), and the same for CSV. On the command line: the message and exit 1, with the
process's peak memory under 300 MB."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from levy.domain.errors import ImportFailed
from levy.importers import ledger as ledger_import
from levy.importers.workbook import Limits, check_archive, limited_rows
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
CHUNK = b"x" * MB


def _rewrite(source: bytes, target: Path, parts: dict[str, Any]) -> Path:
    """``source`` (an xlsx) written to ``target`` with ``parts`` replaced or added: text,
    or a function streaming into the part (nothing large is held in memory)."""
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        names = [i.filename for i in original.infolist()]
        for name in [*names, *(n for n in parts if n not in names)]:
            part = parts.get(name)
            if part is None:
                out.writestr(name, original.read(name))
            elif isinstance(part, str):
                out.writestr(name, part)
            else:
                with out.open(name, "w", force_zip64=True) as stream:
                    part(stream)
    return target


def _book() -> bytes:
    """A levy transactions workbook: its header and one row."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = ledger_import.SHEET
    sheet.append(list(ledger_import.HEADER))
    sheet.append(["2021-01", "levy", 1000, "Levy"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def shared_string_bomb(target: Path, megabytes: int = 200) -> Path:
    """The workbook with its Reference cell a shared string of ``megabytes`` MB of ``x``
    (as Excel stores text: ``xl/sharedStrings.xml``, linked from the workbook)."""
    source = _book()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        sheet, rels, types = (
            z.read(n).decode()
            for n in (
                "xl/worksheets/sheet1.xml",
                "xl/_rels/workbook.xml.rels",
                "[Content_Types].xml",
            )
        )
    inline = '<c r="D2" t="inlineStr"><is><t>Levy</t></is></c>'
    assert inline in sheet
    sheet = sheet.replace(inline, '<c r="D2" t="s"><v>0</v></c>')
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="/xl/sharedStrings.xml" Id="rId9"/>'
        "</Relationships>",
    )
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )

    def strings(part: Any) -> None:
        part.write(
            b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats'
            b'.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        for _ in range(megabytes):
            part.write(CHUNK)
        part.write(b"</t></si></sst>")

    parts = {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/_rels/workbook.xml.rels": rels,
        "[Content_Types].xml": types,
        "xl/sharedStrings.xml": strings,
    }
    return _rewrite(source, target, parts)


def empty_rows(target: Path, rows: int = 1_000_000, *, dimension: bool = False) -> Path:
    """The same workbook with ``rows`` empty rows below its data, written as raw XML;
    with no size record (as write-only tools leave it) unless ``dimension``."""
    source = _book()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r"<dimension [^>]*/>", "", sheet)
    if dimension:
        sheet = sheet.replace("<sheetViews>", f'<dimension ref="A1:D{rows + 2}"/><sheetViews>')
        assert "<dimension" in sheet
    head, tail = sheet.split("</sheetData>")

    def write(part: Any) -> None:
        part.write(head.encode())
        for start in range(3, rows + 3, 10_000):
            stop = min(start + 10_000, rows + 3)
            part.write("".join(f'<row r="{i}"/>' for i in range(start, stop)).encode())
        part.write(("</sheetData>" + tail).encode())

    return _rewrite(source, target, {"xl/worksheets/sheet1.xml": write})


def _message(refused: pytest.ExceptionInfo[ImportFailed]) -> str:
    return "\n".join(str(e) for e in refused.value.errors)


def _refusal(read: Any, *args: Any) -> str:
    """The problems ``read(*args)`` is refused with, one a line."""
    with pytest.raises(ImportFailed) as refused:
        read(*args)
    return _message(refused)


# --- the checks, in process ---------------------------------------------------------------


def test_a_shared_string_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    bomb = shared_string_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 1 * MB
    started = time.monotonic()
    with pytest.raises(ImportFailed) as refused:
        ledger_import.read_levy_file(bomb, "bomb.xlsx")
    assert time.monotonic() - started < 2  # nothing was unzipped
    assert _message(refused) == (
        "File, -, -: the workbook unzips to 200.0 MB, more than the 50.0 MB an import takes: "
        "remove what the import does not need (other sheets, pictures, formatting) or split "
        "it into smaller files"
    )


def test_a_part_compressed_like_a_zip_bomb_is_refused_under_the_size_limit(
    tmp_path: Path,
) -> None:
    bomb = shared_string_bomb(tmp_path / "small-bomb.xlsx", megabytes=20)
    with pytest.raises(ImportFailed) as refused:
        check_archive(bomb)
    assert "the workbook's part xl/sharedStrings.xml unzips to 20.0 MB from" in _message(refused)
    assert "which no real workbook does" in _message(refused)
    check_archive(_book())  # an ordinary workbook passes
    check_archive(b"not a zip")  # left for the reader to name


def test_a_million_empty_rows_stop_at_the_limit(tmp_path: Path) -> None:
    book = empty_rows(tmp_path / "rows.xlsx")
    assert book.stat().st_size < 3 * MB  # small as uploads go
    started = time.monotonic()
    with pytest.raises(ImportFailed) as refused:
        ledger_import.read_transactions(book)
    assert time.monotonic() - started < 20
    assert _message(refused) == (
        "Transactions, -, -: has more than 100,000 rows, the most an import takes: split it "
        "into smaller files, or delete the empty rows below the data"
    )


def test_a_size_record_over_the_limit_is_refused_at_once(tmp_path: Path) -> None:
    book = empty_rows(tmp_path / "sized.xlsx", rows=200_000, dimension=True)
    started = time.monotonic()
    assert "has more than 100,000 rows" in _refusal(ledger_import.read_transactions, book)
    assert time.monotonic() - started < 2


def test_the_row_count_is_after_the_header() -> None:
    rows = [("Month",), *[("2021-01",)] * 3]
    assert len(list(limited_rows(rows, "Sheet", limit=3))) == 4
    assert _refusal(lambda: list(limited_rows(rows, "Sheet", limit=2))).startswith(
        "Sheet, -, -: has more than 2 rows"
    )


def test_the_settings_set_the_limits(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "LEVY_IMPORT_MAX_ROWS", 2)
    monkeypatch.setitem(app.config, "LEVY_IMPORT_MAX_UNZIPPED_BYTES", 60_000)
    three = factories.transactions_book([["2021-01", "levy", 1000, ""]] * 3)
    with app.app_context():
        assert _refusal(ledger_import.read_transactions, three).startswith(
            "Transactions, -, -: has more than 2 rows"
        )
        assert len(ledger_import.read_transactions(_book())) == 1
        check_archive(_book(), Limits(unzipped_bytes=60_000))
        assert "more than the 10 KB an import takes" in _refusal(
            check_archive, _book(), Limits(unzipped_bytes=10_000)
        )
    assert Limits() == Limits(50 * MB, 100_000)


def test_a_csv_has_the_same_limits(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    header = "Transaction date,Transaction type,Description,Total\n"
    many = (header + "01/04/2021,Levy,x,1\n" * 100_001).encode()
    with pytest.raises(ImportFailed) as refused:
        ledger_import.read_das_download(many, "download.csv")
    assert _message(refused).startswith("download.csv, -, -: has more than 100,000 rows")
    monkeypatch.setitem(app.config, "LEVY_IMPORT_MAX_UNZIPPED_BYTES", 1000)
    with app.app_context(), pytest.raises(ImportFailed) as refused:
        ledger_import.read_das_download(many, "download.csv")
    assert "download.csv, -, -: the file is 1.9 MB, more than the 1 KB an import takes" in (
        _message(refused)
    )


def test_an_upload_is_refused_with_the_message(client: Any, login_as: Any, tmp_path: Path) -> None:
    login_as("finance")
    bomb = shared_string_bomb(tmp_path / "bomb.xlsx").read_bytes()
    response = client.post(
        "/levy/import",
        data={"file": (io.BytesIO(bomb), "bomb.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The workbook was not imported" in page
    assert "the workbook unzips to 200.0 MB, more than the 50.0 MB an import takes" in page


# --- the real command, its exit code and its peak memory ------------------------------------

FLASK = (sys.executable, "-m", "flask", "--app", "wsgi")
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(done.stderr)
print(peak_kb)
sys.exit(done.returncode)
"""


@pytest.fixture(scope="module")
def command_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("import-limits")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'limits.db'}",
        "LEVY_INSTANCE_PATH": str(tmp),
    }
    env.pop("TEST_DATABASE_URL", None)
    upgrade = subprocess.run(
        [*FLASK, "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    return env


def _import(env: dict[str, str], kind: str, path: Path) -> tuple[int, str, int]:
    """(exit code, stderr, peak memory in MB) of ``flask --app wsgi levy import KIND PATH``."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *FLASK, "levy", "import", kind, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stderr, int(done.stdout.split()[-1]) // 1024


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (shared_string_bomb, "File, -, -: the workbook unzips to 200.0 MB, more than the 50.0 MB"),
        (empty_rows, "Transactions, -, -: has more than 100,000 rows, the most an import takes"),
    ],
    ids=["shared-string", "million-rows"],
)
def test_the_command_refuses_with_exit_1_under_300_mb(
    command_env: dict[str, str], tmp_path: Path, make: Any, message: str
) -> None:
    path = make(tmp_path / "hostile.xlsx")
    code, stderr, peak_mb = _import(command_env, "levy-transactions", path)
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[0].startswith(message)
    assert stderr.splitlines()[-1] == "Nothing was imported: 1 problem(s)."
    assert peak_mb < 300


def test_the_apprentices_command_refuses_a_bomb_too(
    command_env: dict[str, str], tmp_path: Path
) -> None:
    code, stderr, peak_mb = _import(
        command_env, "apprentices", shared_string_bomb(tmp_path / "apprentices.xlsx")
    )
    assert code == 1, stderr
    assert "the workbook unzips to 200.0 MB" in stderr and "Traceback" not in stderr
    assert peak_mb < 300
