"""The layer rules of docs/architecture.md, checked over the source (no import needed).

Each rule reads a module's syntax tree and reports ``path:line: message``. The
``test_rule_*`` tests feed the checker a small source string with the violation, so
every rule is shown able to fail.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEVY = ROOT / "levy"

FRAMEWORKS = ("flask", "sqlalchemy", "werkzeug")
DOMAIN_MAY_NOT = ("levy.extensions", "levy.models", "levy.services", "levy.views")
SERVICES_MAY_NOT = ("levy.importers", "levy.views")
CLOCK_CALLS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
}
# "today" and "now" are read only here (levy.clock.today(); the UTC timestamp default).
CLOCK_FILES = {"levy/clock.py", "levy/models/base.py"}

# Commits a service makes that are not the end of a unit of work, each with its reason.
# (path, function): reason. A stale entry fails test_service_exceptions_still_exist.
SERVICE_COMMITS = {
    ("levy/services/locks.py", "write_transaction"): (
        "ends a transaction that has only read (it refuses pending changes) before "
        "taking SQLite's write lock; called by levy.transaction"
    ),
}


def _imported(node: ast.AST, path: str) -> list[str]:
    """The modules (and ``module.name``s) an import statement names, relative ones resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    module = node.module or ""
    if node.level:
        package = path.removesuffix(".py").split("/")[: -node.level]
        module = ".".join([*package, *([module] if module else [])])
    return [module] + [f"{module}.{alias.name}" for alias in node.names]


def _under(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _is_framework(name: str) -> bool:
    top = name.split(".", maxsplit=1)[0]
    return top in FRAMEWORKS or top.startswith("flask_")


def _dotted(node: ast.AST) -> str:
    """``db.session.commit`` for that attribute chain ('' if it is not plain names)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call):  # db.session().commit
        return _dotted(node.func) + "()." + ".".join(reversed(parts)) if parts else ""
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _functions(tree: ast.AST) -> dict[ast.AST, str]:
    """Each node -> the name of the outermost function holding it."""
    owner: dict[ast.AST, str] = {}
    for top in ast.walk(tree):
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(top):
                owner.setdefault(node, top.name)
    return owner


def check_source(source: str, path: str) -> list[str]:
    """Every layer-rule violation in ``source`` (a file at ``path`` relative to the repo)."""
    tree = ast.parse(source, filename=path)
    found: list[str] = []
    domain = path.startswith("levy/domain/")
    views = path.startswith("levy/views/")
    services = path.startswith("levy/services/")
    owner = _functions(tree) if services else {}

    def report(node: ast.AST, message: str) -> None:
        found.append(f"{path}:{getattr(node, 'lineno', 0)}: {message}")

    for node in ast.walk(tree):
        names = _imported(node, path)
        if domain:
            for name in names:
                if _is_framework(name) or _under(name, DOMAIN_MAY_NOT):
                    report(node, f"the domain imports {name} (it must stay pure)")
                    break
        if views:
            for name in names:
                if name == "levy.extensions.db":
                    report(node, "a view imports levy.extensions.db (call a service instead)")
        if services:
            for name in names:
                if _under(name, SERVICES_MAY_NOT):
                    report(node, f"a service imports {name} (services sit below it)")
                    break
        if isinstance(node, ast.Attribute):
            chain = _dotted(node)
            if views and chain.endswith(("db.session", "db.select")):
                report(node, f"a view uses {chain} (read through a service)")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            chain = _dotted(node.func)
            if views and method in ("commit", "rollback"):
                report(node, f"a view calls .{method}() (use levy.transaction.transaction())")
            allowed = (path, owner.get(node, "")) in SERVICE_COMMITS
            if services and method == "commit" and "session" in chain and not allowed:
                report(node, f"a service calls {chain}() (services flush, never commit)")
            target = node.func.value
            receiver = (
                target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            )
            if (receiver, method) in CLOCK_CALLS and path not in CLOCK_FILES:
                report(
                    node, f"{receiver}.{method}() outside levy/clock.py (use levy.clock.today())"
                )
    return found


def _sources() -> list[Path]:
    return sorted(LEVY.rglob("*.py"))


def test_the_source_keeps_the_layer_rules() -> None:
    problems = []
    for file in _sources():
        path = file.relative_to(ROOT).as_posix()
        problems += check_source(file.read_text(encoding="utf-8"), path)
    assert problems == [], "\n".join(problems)


def test_service_exceptions_still_exist() -> None:
    for path, function in SERVICE_COMMITS:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert function in names, f"{path}: {function} is gone; drop it from SERVICE_COMMITS"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("levy/domain/x.py", "import flask\n", "levy/domain/x.py:1: the domain imports flask"),
        (
            "levy/domain/x.py",
            "from flask_login import current_user\n",
            "levy/domain/x.py:1: the domain imports flask_login",
        ),
        (
            "levy/domain/x.py",
            "\nfrom sqlalchemy.orm import Session\n",
            "levy/domain/x.py:2: the domain imports sqlalchemy.orm",
        ),
        (
            "levy/domain/x.py",
            "from werkzeug.exceptions import NotFound\n",
            "levy/domain/x.py:1: the domain imports werkzeug.exceptions",
        ),
        (
            "levy/domain/x.py",
            "from levy.models.ledger import Entry\n",
            "levy/domain/x.py:1: the domain imports levy.models.ledger",
        ),
        (
            "levy/domain/x.py",
            "from levy import services\n",
            "levy/domain/x.py:1: the domain imports levy.services",
        ),
        (
            "levy/domain/x.py",
            "import levy.extensions\n",
            "levy/domain/x.py:1: the domain imports levy.extensions",
        ),
        (
            "levy/domain/x.py",
            "from levy.views.main import bp\n",
            "levy/domain/x.py:1: the domain imports levy.views.main",
        ),
        (
            "levy/views/x.py",
            "from levy.extensions import db\n",
            "levy/views/x.py:1: a view imports levy.extensions.db",
        ),
        (
            "levy/views/x.py",
            "def f():\n    return db.session.get(User, 1)\n",
            "levy/views/x.py:2: a view uses db.session",
        ),
        (
            "levy/domain/transfers/x.py",
            "from ...models import Organisation\n",
            "levy/domain/transfers/x.py:1: the domain imports levy.models",
        ),
        (
            "levy/views/x.py",
            "import levy.extensions\nuser = levy.extensions.db.session.get(User, 1)\n",
            "levy/views/x.py:2: a view uses levy.extensions.db.session",
        ),
        (
            "levy/views/x.py",
            "rows = db.select(User)\n",
            "levy/views/x.py:1: a view uses db.select",
        ),
        (
            "levy/views/x.py",
            "def f(s):\n    s.commit()\n",
            "levy/views/x.py:2: a view calls .commit()",
        ),
        (
            "levy/views/x.py",
            "def f(s):\n    s.rollback()\n",
            "levy/views/x.py:2: a view calls .rollback()",
        ),
        (
            "levy/services/x.py",
            "from levy.importers.service_download import ServiceDownload\n",
            "levy/services/x.py:1: a service imports levy.importers.service_download",
        ),
        (
            "levy/services/x.py",
            "from levy.views import args\n",
            "levy/services/x.py:1: a service imports levy.views",
        ),
        (
            "levy/services/x.py",
            "def f():\n    db.session.commit()\n",
            "levy/services/x.py:2: a service calls db.session.commit()",
        ),
        (
            "levy/services/x.py",
            "def f(session):\n    session.commit()\n",
            "levy/services/x.py:2: a service calls session.commit()",
        ),
        (
            "levy/services/locks.py",
            "def other():\n    db.session().commit()\n",
            "levy/services/locks.py:2: a service calls db.session().commit()",
        ),
        (
            "levy/services/x.py",
            "x = date.today()\n",
            "levy/services/x.py:1: date.today() outside levy/clock.py",
        ),
        (
            "levy/views/x.py",
            "x = datetime.now()\n",
            "levy/views/x.py:1: datetime.now() outside levy/clock.py",
        ),
        (
            "levy/commands/x.py",
            "import datetime\nx = datetime.date.today()\n",
            "levy/commands/x.py:2: date.today() outside levy/clock.py",
        ),
        (
            "levy/domain/x.py",
            "x = datetime.datetime.now(UTC)\n",
            "levy/domain/x.py:1: datetime.now() outside levy/clock.py",
        ),
    ],
)
def test_rule_reports_file_and_line(path: str, source: str, expected: str) -> None:
    problems = check_source(source, path)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("levy/domain/x.py", "from datetime import date\nfrom levy.domain.money import Money\n"),
        ("levy/views/x.py", "from levy.transaction import transaction\nfrom levy import clock\n"),
        (
            "levy/services/x.py",
            "from levy.domain.import_rows import Row\nfrom levy.extensions import db\n",
        ),
        ("levy/services/x.py", "def f():\n    db.session.flush()\n    savepoint.commit()\n"),
        ("levy/services/locks.py", "def write_transaction():\n    session.commit()\n"),
        ("levy/clock.py", "def today():\n    return date.today()\n"),
        ("levy/models/base.py", "def utcnow():\n    return datetime.now(UTC)\n"),
        ("levy/commands/x.py", "def f():\n    db.session.rollback()\n    db.session.commit()\n"),
    ],
)
def test_allowed_code_passes(path: str, source: str) -> None:
    assert check_source(source, path) == []


def _tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    files = []
    for name in filter(None, listed.split("\0")):
        file = ROOT / name
        if not file.is_file() or file.is_symlink():
            continue
        data = file.read_bytes()
        if b"\0" not in data[:8192]:
            files.append(file)
    return files


# Spelt in pieces so that this file does not mention them itself.
NOTES = "DOMAIN" + ".md"
SHARED = ".." + "/shared"


def mentions_private_notes(text: str) -> bool:
    return NOTES.lower() in text.lower() or SHARED in text


def test_no_tracked_file_cites_private_notes() -> None:
    """The rules are cited as docs/rules.md; nothing points at notes outside the repository."""
    assert mentions_private_notes(f"see {NOTES} §3")
    assert mentions_private_notes(f"{SHARED}/notes.txt")
    assert not mentions_private_notes("see docs/rules.md §3")
    found = [
        file.relative_to(ROOT).as_posix()
        for file in _tracked_text_files()
        if mentions_private_notes(file.read_text(encoding="utf-8", errors="replace"))
    ]
    assert found == [], found
