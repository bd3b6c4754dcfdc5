"""Every ``flask levy`` command as people run it: ``flask --app wsgi levy ...`` in a
process of its own, from the repository's root, on a database of its own.

* every command in the tree answers ``--help`` (the tree is walked, so a new command is
  covered without editing this file);
* every command in the README's table runs on the demo, seeded by ``seed-demo`` on a
  database built by ``flask --app wsgi db upgrade``: on SQLite, and on PostgreSQL in the
  PostgreSQL pass (``TEST_DATABASE_URL``); each README command needs a case below;
* careless arguments give a short message and exit 1 or 2.

No traceback anywhere: a traceback is what a person must never see.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest

from levy import create_app
from levy.config import database_url
from tests.conftest import IS_POSTGRES

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "imports" / "demo"
FLASK = (sys.executable, "-m", "flask", "--app", "wsgi")
TIMEOUT = 120  # seconds for one process: far beyond any command on the demo


def _leaves(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if isinstance(command, click.Group):
        context = click.Context(command, info_name=path[-1] if path else "levy")
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, f"levy {' '.join(path)} lists {name} but cannot load it"
            yield from _leaves(sub, (*path, name))
    else:
        yield path


def levy_commands() -> list[tuple[str, ...]]:
    """Every leaf of ``flask levy``, as the app the command line builds registers them."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    return sorted(_leaves(app.cli.commands["levy"], ()))


COMMANDS = levy_commands()


def readme_commands() -> list[tuple[str, ...]]:
    """The commands of the README's table (``levy import standards FILE`` gives
    ``("import", "standards")``), in the table's order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    found: list[tuple[str, ...]] = []
    for line in section.splitlines():
        if not line.startswith("| `levy "):
            continue
        first_cell = line.split(" | ", 1)[0]
        for span in re.findall(r"`levy ([^`]*)`", first_cell):
            words: list[str] = []
            for word in span.split():
                if not re.fullmatch(r"[a-z][a-z-]*", word):
                    break  # EMAIL, FILE, --option, [...]: the arguments begin
                words.append(word)
            if tuple(words) not in found:
                found.append(tuple(words))
    return found


def process_env(url: str, instance: Path) -> dict[str, str]:
    """The environment of a person's shell: this database, this instance folder, and no
    ``FLASK_*`` setting of the machine running the tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.pop("SECRET_KEY", None)
    env.update(DATABASE_URL=url, LEVY_INSTANCE_PATH=str(instance))
    return env


def run(
    args: tuple[str, ...] | list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FLASK, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]


# --- every command answers --help --------------------------------------------------


@pytest.fixture(scope="module")
def helps(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], Any]:
    """``--help`` of every command, one process per core at a time (two at least)."""
    tmp = tmp_path_factory.mktemp("help")
    env = process_env(f"sqlite:///{tmp / 'never-made.db'}", tmp / "instance")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = pool.map(lambda path: run(["levy", *path, "--help"], env), COMMANDS)
        return dict(zip(COMMANDS, results, strict=True))


def test_the_tree_holds_the_commands_people_use() -> None:
    assert len(COMMANDS) >= 25
    assert ("import", "apprentices") in COMMANDS and ("seed-demo",) in COMMANDS
    assert ("transfers", "tick") in COMMANDS and ("report", "quarterly") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_answers_help(
    path: tuple[str, ...], helps: dict[tuple[str, ...], Any]
) -> None:
    result = helps[path]
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert f"levy {' '.join(path)} [OPTIONS]" in result.stdout
    assert "--help" in result.stdout


def test_every_readme_command_is_a_command() -> None:
    listed = readme_commands()
    assert len(listed) >= 25
    assert [c for c in listed if c not in COMMANDS] == []


# --- every README command on the demo ----------------------------------------------


@dataclass
class Step:
    args: tuple[str, ...]
    expect: str = ""  # a fragment of the output that shows the command did its work
    stdin: str | None = None
    json: bool = False  # the output is JSON
    output: str = ""  # the file it writes (under the test's folder)
    smtp: bool = False  # with FLASK_MAIL_SERVER set to the test's SMTP sink


def s(command: str, *more: str | Path, **kw: Any) -> Step:
    """``s("ledger --to 2021-03", output=...)``: the words as a shell splits them, then
    the rest as they are (paths from the repository, which may hold spaces)."""
    return Step((*shlex.split(command), *map(str, more)), **kw)


PASSWORD = "plum-ferry-lantern-42\n"
OUT = "{out}"  # the test's own folder, filled in when the step runs
DOWNLOAD = DEMO / "esfa_transactions.csv"  # the apprenticeship service's transaction download

# One case per README command; each stands on its own (its own email addresses, its own
# apprentice and scheme), so any one of them can run alone on the seeded demo.
CASES: dict[tuple[str, ...], list[Step]] = {
    ("seed-demo",): [s("seed-demo", expect="Users: 0 created")],  # again: nothing new
    ("create-user",): [
        s(
            "create-user sam.patel@example.org --role directorate_manager"
            " --directorate People --password-stdin",
            stdin=PASSWORD,
            expect="Created sam.patel@example.org",
        ),
        s(
            "create-user ed@example.org --role employer"
            " --organisation 'Worcestershire County Council' --password-stdin",
            stdin=PASSWORD,
            expect="Created ed@example.org",
        ),
    ],
    ("deactivate-user",): [
        s("create-user off@example.org --role finance --password-stdin", stdin=PASSWORD),
        s("deactivate-user off@example.org", expect="Switched off off@example.org"),
    ],
    ("activate-user",): [
        s("create-user on@example.org --role finance --password-stdin", stdin=PASSWORD),
        s("deactivate-user on@example.org"),
        s("activate-user on@example.org", expect="Switched on on@example.org"),
    ],
    ("import", "directorates"): [
        s("import directorates", DEMO / "directorates.xlsx", expect="27 unchanged")
    ],
    ("import", "levy-transactions"): [
        s("import levy-transactions", DEMO / "levy_transactions.xlsx", expect="288 already"),
        s("import levy-transactions", DOWNLOAD, expect="The levy pot holds"),
    ],
    ("import", "pay-bill"): [s("import pay-bill", DEMO / "pay_bill.xlsx", expect="96 unchanged")],
    ("import", "standards"): [
        s("import standards", DEMO / "standards.xlsx", expect="32 unchanged")
    ],
    ("import", "providers"): [s("import providers", DEMO / "providers.xlsx", expect="7 unchanged")],
    ("import", "apprentices"): [
        s("import apprentices", DEMO / "apprentices.xlsx", expect="212 unchanged")
    ],
    ("import", "placements"): [
        s("import placements", DEMO / "placements.xlsx", expect="0 new or changed")
    ],
    ("ledger",): [
        s("ledger --to 2021-03 --format json", json=True, expect='"2021-03"'),
        s("ledger --to 2021-03 --format xlsx --output {out}/ledger.xlsx", output="ledger.xlsx"),
    ],
    ("forecast",): [
        s("forecast --from 2021-04 --months 12 --format json", json=True, expect='"2022-03"'),
        s(
            "forecast --from 2021-04 --months 6 --funds-in-from-pay-bill --format csv",
            expect="2021-09",
        ),
        s(
            "forecast --from 2021-04 --months 6 --funds-in-per-month 70000 --format xlsx"
            " --output {out}/forecast.xlsx",
            output="forecast.xlsx",
        ),
    ],
    ("what-if",): [
        s(
            "what-if --from 2021-04 --months 12 --price 9000 --duration 18 --format json",
            json=True,
            expect='"extra_starts"',
        )
    ],
    ("expire",): [s("expire --as-of 2021-03", expect="Recorded expiry")],
    ("cohorts",): [
        s("cohorts --as-of 2021-03-31 --format json", json=True, expect='"on_programme": 146')
    ],
    ("quotas",): [s("quotas --year 2020 --format json", json=True, expect='"target_starts"')],
    ("export", "apprentices"): [
        s(
            "export apprentices --format xlsx --output {out}/apprentices.xlsx",
            output="apprentices.xlsx",
            expect="Exported 212 apprentices",
        ),
        s(
            "export apprentices --format csv --output {out}/apprentices.csv",
            output="apprentices.csv",
            expect="Exported 212 apprentices",
        ),
    ],
    ("incentives", "due"): [
        s("incentives due --as-of 2021-03-31 --format json", json=True, expect='"new-hire-1"')
    ],
    ("incentives", "apply"): [
        s(
            "incentives apply APP-0002 --scheme 16-18-employer --date 2021-03-01"
            " --claim-reference CLM-0001",
            expect="16-18-employer applied",
        )
    ],
    ("incentives", "paid"): [
        s(
            "incentives apply APP-0002 --scheme care-leaver-bursary --date 2021-03-01"
            " --claim-reference CLM-0002"
        ),
        s(
            "incentives paid APP-0002 --scheme care-leaver-bursary --instalment 1"
            " --date 2021-03-20 --amount 1000",
            expect="instalment 1 paid",
        ),
    ],
    ("transfers", "allowance"): [
        s("transfers allowance --year 2020 --format json", json=True, expect='"cap": "214225.00"')
    ],
    ("transfers", "report"): [
        s("transfers report --year 2020 --format json", json=True, expect='"businesses": 18')
    ],
    ("expiry-by-directorate",): [
        s("expiry-by-directorate --year 2020 --format json", json=True, expect='"pay_bill_share"'),
        s(
            "expiry-by-directorate --year 2020 --format xlsx --output {out}/expiry.xlsx",
            output="expiry.xlsx",
        ),
    ],
    ("reconcile",): [
        s("reconcile", DOWNLOAD, "--format", "json", json=True, expect='"problems"'),
        s(
            "reconcile",
            DOWNLOAD,
            "--format",
            "xlsx",
            "--output",
            "{out}/reconcile.xlsx",
            output="reconcile.xlsx",
        ),
    ],
    ("report", "quarterly"): [
        s("report quarterly --quarter 2020-Q4 --format json", json=True, expect='"indicators"'),
        s(
            "report quarterly --quarter 2020-Q4 --format docx --output {out}/quarterly.docx",
            output="quarterly.docx",
        ),
    ],
    ("transfers", "tick"): [s("transfers tick --as-of 2021-03-31", expect="Nothing due")],
    # last: three months on, the timers reject late applications and tell the business by
    # email (the demo's outbox is empty); send-mail hands those to the SMTP sink
    ("send-mail",): [
        s("transfers tick --as-of 2021-06-30", expect="rejected"),
        s("send-mail", expect="unsent messages", smtp=True),
    ],
}


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own: a file on SQLite; on PostgreSQL a database made for this
    module on the test server and dropped afterwards."""
    if not IS_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('cli-db') / 'levy.db'}"
        return
    from sqlalchemy import create_engine, make_url, text

    server = make_url(database_url(os.environ["TEST_DATABASE_URL"], ""))
    name = f"levy_cli_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def demo_env(cli_database: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a shell on a database built and seeded as the README says."""
    env = process_env(cli_database, tmp_path_factory.mktemp("cli-instance"))
    for args in (("db", "upgrade"), ("levy", "seed-demo")):
        result = run(args, env)
        no_traceback(result)
        assert result.returncode == 0, result.stderr
    return env


class _Sink(socketserver.StreamRequestHandler):
    """Just enough SMTP to take messages and count them."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    self.server.received += 1  # type: ignore[attr-defined]
                    self.wfile.write(b"250 taken\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_sink() -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    server.received = 0  # type: ignore[attr-defined]
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_every_readme_command_has_a_case() -> None:
    assert [c for c in readme_commands() if c not in CASES] == []


@pytest.mark.parametrize("command", list(CASES), ids=" ".join)
def test_every_readme_command_runs_on_the_demo(
    command: tuple[str, ...], demo_env: dict[str, str], tmp_path: Path, request: Any
) -> None:
    sink = None
    if any(step.smtp for step in CASES[command]):
        sink = request.getfixturevalue("smtp_sink")
        mail = {"FLASK_MAIL_SERVER": "127.0.0.1", "FLASK_MAIL_PORT": str(sink.server_address[1])}
    for step in CASES[command]:
        env = {**demo_env, **mail} if step.smtp else demo_env
        args = [a.replace(OUT, str(tmp_path)) for a in step.args]
        result = run(["levy", *args], env, step.stdin)
        no_traceback(result)
        assert result.returncode == 0, f"levy {' '.join(args)}: {result.stderr[-2000:]}"
        assert step.expect in result.stdout, result.stdout[-2000:]
        if step.json:
            assert json.loads(result.stdout)
        if step.output:
            assert (tmp_path / step.output).stat().st_size > 0
    if sink is not None:
        sent = re.search(r"Sent (\d+) of (\d+)", result.stdout)
        assert sent and sent[1] == sent[2] and int(sent[1]) > 0, result.stdout
        assert sink.received == int(sent[1])  # type: ignore[attr-defined]


# --- careless arguments --------------------------------------------------------------


def short_refusal(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    no_traceback(result)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 4, result.stderr
    assert result.stdout == ""


WHAT_IF = ("what-if", "--from", "2021-04", "--months", "12", "--duration", "18")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("ledger", "--to", "2021-13"), 2, "'2021-13' is not a month"),
        (("forecast", "--from", "April", "--months", "12"), 2, "'April' is not a month"),
        (("forecast", "--from", "2021-04", "--months", "12", "--bogus"), 2, "No such option"),
        ((*WHAT_IF, "--price", "lots"), 2, "'lots' is not an amount"),
        (("report", "quarterly", "--quarter", "2020-Q5"), 2, "'2020-Q5' is not a quarter"),
        (("cohorts", "--as-of", "yesterday"), 2, "'yesterday'"),
        (("reconcile", "/nonexistent/download.csv"), 2, "does not exist"),
        (("no-such-command",), 2, "No such command"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_careless_arguments_get_a_short_message(
    args: tuple[str, ...], code: int, message: str, tmp_path: Path
) -> None:
    """Refused before the database is opened (there is none here)."""
    env = process_env(f"sqlite:///{tmp_path / 'levy.db'}", tmp_path / "instance")
    short_refusal(run(["levy", *args], env), code, message)
    assert not (tmp_path / "levy.db").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("import", "apprentices", "/nonexistent/apprentices.xlsx"), 1, "no such file"),
        (("import", "levy-transactions", "/nonexistent/levy.xlsx"), 1, "no such file"),
        (("import", "apprentices", str(DEMO / "esfa_transactions.csv")), 1, "not an Excel"),
        (
            (
                "incentives",
                "apply",
                "APP-9999",
                "--scheme",
                "16-18-employer",
                "--date",
                "2021-03-01",
                "--claim-reference",
                "X",
            ),
            1,
            "no apprentice with the reference",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_wrong_file_or_reference_gets_a_short_message(
    args: tuple[str, ...], code: int, message: str, demo_env: dict[str, str]
) -> None:
    short_refusal(run(["levy", *args], demo_env), code, message)
