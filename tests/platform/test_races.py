"""Races: the same import confirmed twice at once, approvals and duplicate POSTs together.

Like ``tests/transfers/test_concurrency.py`` these tests commit for real (each thread has
its own app context, session and connection to the test's file database or PostgreSQL),
so they build their data outside the per-test rollback and rebuild the database after.
Every wait is bounded: threads are joined with a timeout and must have finished.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.cli import ScriptInfo

from levy.domain.accounts import Actor
from levy.extensions import db as _db
from levy.importers import cohorts as workbook
from levy.models import Apprentice, AuditEvent, User
from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from levy.models.programme import ApprenticeStatusChange
from levy.models.transfers import TransferApplication
from levy.services import cohorts as cohorts_service
from levy.services import transfers as transfer_service
from levy.services import uploads
from levy.services.locks import lock_key
from tests import factories
from tests.conftest import reset_database
from tests.factories import (
    apprentices_book,
    create_application,
    create_business,
    levy_for_year,
    person,
    setup_reference,
)

PEOPLE = 20
JOIN_SECONDS = 60


def _references() -> list[str]:
    return [f"APP-{n:04d}" for n in range(1, PEOPLE + 1)]


def _completed_book(path: Path) -> Path:
    """The 20 apprentices, each now completed: 20 status changes against what is stored."""
    rows = [
        person(ref, Status="completed", **{"Status date": date(2022, 2, 28)})
        for ref in _references()
    ]
    return apprentices_book(path, rows)


def _run_together(targets: list[Callable[[], Any]]) -> list[Any]:
    """Start every target at the same moment (a barrier), each in its own thread; wait a
    bounded time; return what each returned or raised."""
    barrier = threading.Barrier(len(targets), timeout=JOIN_SECONDS)
    results: list[Any] = [None] * len(targets)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = targets[i]()
        except BaseException as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_SECONDS
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "a thread did not finish in time"
    return results


def _client(app: Flask, user_id: int) -> Any:
    with app.app_context():
        login_id = _db.session.get(User, user_id).get_id()  # "id:session version"
        _db.session.remove()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = login_id
        session["_fresh"] = True
    return client


def _kept(app: Flask, kind: str, name: str, *files: bytes) -> list[str]:
    """Uploads waiting for confirm, committed to the database as the preview page keeps them."""
    with app.app_context():
        tokens = [uploads.keep(kind, name, data) for data in files]
        _db.session.commit()
        _db.session.remove()
    return tokens


def _count(model: Any, *where: Any) -> int:
    return int(
        _db.session.execute(
            _db.select(_db.func.count()).select_from(model).where(*where)
        ).scalar_one()
    )


@pytest.fixture
def committed(app: Flask) -> Iterator[None]:
    """The test writes committed data; the database is rebuilt afterwards."""
    try:
        yield
    finally:
        with app.app_context():
            _db.session.remove()
        reset_database(app)


@pytest.fixture
def apprentices(app: Flask, committed: None, tmp_path: Path) -> dict[str, Any]:
    """The council, its reference data and 20 apprentices on programme, committed."""
    with app.app_context():
        setup_reference()
        rows = _on_programme_rows(tmp_path / "start.xlsx")
        cohorts_service.import_apprentices(rows, Actor("setup"))
        editor = factories.create_user(role="ld_team")
        _db.session.commit()
        ids = {"editor": editor.id}
        _db.session.remove()
    return ids


def _on_programme_rows(path: Path) -> Any:
    """The 20 apprentices on programme, read from a workbook as an import would."""
    return workbook.read_apprentices(apprentices_book(path, [person(r) for r in _references()]))


@pytest.fixture
def slow_apprentices_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each import's transaction open 0.5 s after it has written (before the commit),
    so two imports started together overlap: without the lock both read the old statuses."""
    original = cohorts_service.import_apprentices

    def slow(*args: Any, **kw: Any) -> Any:
        summary = original(*args, **kw)
        time.sleep(0.5)
        return summary

    monkeypatch.setattr(cohorts_service, "import_apprentices", slow)


def _applied_once(app: Flask) -> None:
    with app.app_context():
        changes = _count(
            ApprenticeStatusChange, ApprenticeStatusChange.reason == "changed by import"
        )
        audits = _count(AuditEvent, AuditEvent.action == "apprentice.updated")
        statuses = set(_db.session.execute(_db.select(Apprentice.status)).scalars())
        _db.session.remove()
    assert (changes, audits) == (PEOPLE, PEOPLE)
    assert statuses == {"completed"}


def test_lock_keys_are_stable_and_distinct() -> None:
    assert lock_key("apprentices") == lock_key("apprentices", None) == lock_key("apprentices", 0)
    keys = {lock_key(k, o) for k in ("apprentices", "standards", "pay-bill") for o in (None, 1, 2)}
    assert len(keys) == 9
    assert all(-(2**63) <= k < 2**63 for k in keys)


def test_same_apprentices_import_confirmed_twice_at_once_applies_once(
    app: Flask, apprentices: dict[str, Any], slow_apprentices_import: None, tmp_path: Path
) -> None:
    data = _completed_book(tmp_path / "completed.xlsx").read_bytes()
    tokens = _kept(app, "apprentices", "completed.xlsx", data, data)  # uploaded in two tabs

    def confirm(token: str) -> Callable[[], Any]:
        client = _client(app, apprentices["editor"])
        return lambda: client.post("/apprentices/import", data={"token": token})

    responses = _run_together([confirm(t) for t in tokens])
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    _applied_once(app)


def test_the_import_command_run_twice_at_once_applies_once(
    app: Flask,
    apprentices: dict[str, Any],
    slow_apprentices_import: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(_completed_book(tmp_path / "completed.xlsx"))

    def run() -> Any:
        with app.app_context():
            try:
                return app.cli.main(
                    args=["levy", "import", "apprentices", path],
                    obj=ScriptInfo(create_app=lambda: app),
                    standalone_mode=False,
                )
            finally:
                _db.session.remove()

    results = _run_together([run, run])
    assert results == [None, None]  # both ran to the end, neither exited with an error
    out = capsys.readouterr().out
    assert (
        out.count(f"Imported apprentices: {PEOPLE} rows: 0 new, {PEOPLE} changed, 0 unchanged") == 1
    )
    assert (
        out.count(f"Imported apprentices: {PEOPLE} rows: 0 new, 0 changed, {PEOPLE} unchanged") == 1
    )
    _applied_once(app)


def test_seed_demo_run_twice_at_once_loads_the_demo_once(
    app: Flask, committed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each demo step holds its import locks: the second seed waits, then finds every row
    already there (and on SQLite neither fails with "database is locked")."""

    def run() -> Any:
        with app.app_context():
            try:
                return app.cli.main(
                    args=["levy", "seed-demo"],
                    obj=ScriptInfo(create_app=lambda: app),
                    standalone_mode=False,
                )
            finally:
                _db.session.remove()

    results = _run_together([run, run])
    assert results == [None, None]
    out = capsys.readouterr().out
    assert out.count("apprentices 212 rows: 212 new, 0 changed, 0 unchanged") == 1
    assert out.count("apprentices 212 rows: 0 new, 0 changed, 212 unchanged") == 1
    assert out.count("; 5 traineeships;") == 1 and out.count("; 0 traineeships;") == 1
    assert out.count("Levy transfers: 19 new businesses, 29 new applications") == 1
    assert out.count("Levy transfers: 0 new businesses, 0 new applications") == 1
    with app.app_context():
        created = _count(AuditEvent, AuditEvent.action == "apprentice.created")
        stored = _count(Apprentice)
        applications = _count(TransferApplication)
        _db.session.remove()
    assert (created, applications) == (212, 29)
    assert stored == 217  # the 212 imported apprentices and the demo's 5 traineeships


def test_concurrent_approvals_queue_even_across_processes(
    app: Flask, committed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four officers approve four applications at once; the cap (£12,000) fits one.

    The in-process turn-taking lock is replaced by a no-op, as if each officer were served
    by a different worker process: only the database's own locking keeps them apart."""
    import contextlib

    import levy.transaction

    monkeypatch.setattr(levy.transaction, "_TURNS", contextlib.nullcontext())
    monkeypatch.setitem(app.config, "LEVY_AS_OF", date(2021, 4, 10))
    with app.app_context():
        levy_for_year(2021, levy="4000", top_up="0")
        standard = factories.create_standard(band=Decimal("15000"), duration_months=24)
        org, _ = create_business()
        ids = [create_application(org, standard).id for _ in range(4)]
        officers = [factories.create_user(role="finance").id for _ in range(4)]
        _db.session.commit()
        _db.session.remove()

    def approve(app_id: int, officer: int) -> Callable[[], Any]:
        client = _client(app, officer)
        return lambda: client.post(f"/transfers/applications/{app_id}/approve")

    responses = _run_together([approve(i, o) for i, o in zip(ids, officers, strict=True)])
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 4
    with app.app_context():
        statuses = sorted(_db.session.execute(_db.select(TransferApplication.status)).scalars())
        allowance = transfer_service.year_allowance(2021)
        _db.session.remove()
    assert statuses == ["approved", "submitted", "submitted", "submitted"]
    assert allowance.committed == Decimal("12000.00")
    assert allowance.remaining == Decimal("0.00")


@pytest.fixture
def new_hire(app: Flask, committed: None) -> dict[str, int]:
    with app.app_context():
        a = factories.create_apprentice(
            reference="APP-A",
            date_of_birth=date(1990, 5, 1),
            employment_start=date(2020, 9, 1),
            new_hire=True,
        )
        users = [factories.create_user(role="ld_team").id for _ in range(2)]
        _db.session.commit()
        ids = {"apprentice": a.id, "first": users[0], "second": users[1]}
        _db.session.remove()
    return ids


def _flashes(client: Any) -> list[str]:
    with client.session_transaction() as session:
        return [message for _, message in session.get("_flashes", [])]


def _slow(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Hold the check 0.5 s, so two requests both pass it before either writes."""
    original = getattr(module, name)

    def slow(*args: Any, **kw: Any) -> Any:
        result = original(*args, **kw)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(module, name, slow)


def _posted_by_two_at_once(
    app: Flask, new_hire: dict[str, int], url: str, form: dict[str, Any]
) -> tuple[list[str], str]:
    """The same form posted by both users at the same moment: one is recorded (302), the
    other's page (200) says on the claim that it already was. (flashes, that page)"""
    clients = [_client(app, new_hire["first"]), _client(app, new_hire["second"])]
    responses = _run_together([lambda c=c: c.post(url, data=form) for c in clients])
    assert sorted(getattr(r, "status_code", r) for r in responses) == [200, 302]
    messages = [m for c in clients for m in _flashes(c)]
    refused = next(r for r in responses if r.status_code == 200).get_data(as_text=True)
    return messages, refused


def test_incentive_applied_posted_twice_at_once_says_already_applied(
    app: Flask, new_hire: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from levy.domain import incentives as inc

    _slow(monkeypatch, inc, "apply")
    form = {
        "claim": [f"{new_hire['apprentice']}:new-hire-1"],
        "applied_on": "2021-01-11",
        "claim_reference": "BATCH-1",
        "as_of": "2021-01-20",
    }
    messages, refused = _posted_by_two_at_once(app, new_hire, "/incentives/apply", form)
    assert "1 claim marked as applied" in messages
    assert "was already applied for on 11 Jan 2021 (reference BATCH-1)" in refused
    with app.app_context():
        assert _count(IncentiveApplication) == 1
        assert _count(AuditEvent, AuditEvent.action == "incentive.applied") == 1
        _db.session.remove()


def test_incentive_paid_posted_twice_at_once_says_already_paid(
    app: Flask, new_hire: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from levy.domain import incentives as inc

    with app.app_context():
        from levy.services import incentives as svc

        apprentice = _db.session.get(Apprentice, new_hire["apprentice"])
        svc.record_application(
            apprentice, "new-hire-1", date(2021, 1, 11), "R1", Actor("setup"), date(2021, 1, 20)
        )
        _db.session.commit()
        _db.session.remove()
    _slow(monkeypatch, inc, "mark_paid")
    form = {
        "instalment": [f"{new_hire['apprentice']}:new-hire-1:1"],
        "paid_on": "2021-01-20",
        "as_of": "2021-01-20",
    }
    messages, refused = _posted_by_two_at_once(app, new_hire, "/incentives/paid", form)
    assert "1 instalment marked as paid" in messages
    assert "was already recorded as paid on 20 Jan 2021" in refused
    with app.app_context():
        assert _count(IncentiveInstalment) == 1
        assert _count(AuditEvent, AuditEvent.action == "incentive.paid") == 1
        _db.session.remove()


def test_unique_clash_at_flush_gives_the_plain_duplicate_message(
    app: Flask, new_hire: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check passed (it read before the other request committed); the insert then
    hits the unique key: the answer is the plain check's message, and the transaction
    is still usable afterwards."""
    from levy.domain.errors import DomainError
    from levy.services import incentives as svc

    with app.app_context():
        apprentice = _db.session.get(Apprentice, new_hire["apprentice"])
        _db.session.add(
            IncentiveApplication(
                apprentice_id=apprentice.id, scheme="new-hire-1", applied_on=date(2021, 1, 11),
                reference="OTHER", recorded_by="someone",
            )
        )  # fmt: skip
        _db.session.commit()
        # the other request's row is committed, but this request's check read before it was
        original = svc._applications
        calls: list[int] = []

        def first_read_misses_it(ids: Any) -> Any:
            calls.append(1)
            return {} if len(calls) == 1 else original(ids)

        monkeypatch.setattr(svc, "_applications", first_read_misses_it)
        with pytest.raises(DomainError) as caught:
            svc.record_application(
                apprentice, "new-hire-1", date(2021, 1, 12), "MINE", Actor("t"), date(2021, 1, 20)
            )
        assert "was already applied for on 11 Jan 2021 (reference OTHER)" in str(caught.value)
        assert len(calls) == 2  # the check, then the re-read after the clash
        # the savepoint was rolled back, not the transaction: it still reads and writes
        assert _count(IncentiveApplication) == 1
        factories.create_user(role="finance")
        _db.session.commit()
        _db.session.remove()


def test_ledger_import_confirmed_twice_at_once_stores_the_rows_once(
    app: Flask, committed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A double click on "Import these transactions": the same token posted twice."""

    from levy.models import LevyTransaction
    from levy.services import ledger as ledger_service

    with app.app_context():
        finance = [factories.create_user(role="finance").id for _ in range(2)]
        _db.session.commit()
        _db.session.remove()
    data = factories.transactions_book(
        [[f"2020-{month:02d}", "levy", 1000, ""] for month in range(1, 13)]
    )
    (token,) = _kept(app, "levy-transactions", "levy.xlsx", data)
    _slow(monkeypatch, ledger_service, "import_transactions")

    clients = [_client(app, user) for user in finance]
    responses = _run_together(
        [lambda c=c: c.post("/levy/import/confirm", data={"token": token}) for c in clients]
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    messages = [m for c in clients for m in _flashes(c)]
    assert any(m.startswith("Imported levy.xlsx") and "12 new" in m for m in messages), messages
    with app.app_context():
        assert _count(LevyTransaction) == 12
        assert _count(AuditEvent, AuditEvent.action == "levy.transactions.imported") == 1
        _db.session.remove()
