"""Writers that must take turns, and unique keys hit by two requests at once.

* ``import_lock(kind, organisation_id)``: one import of a kind (for an organisation)
  at a time. PostgreSQL: ``pg_advisory_xact_lock`` on a key made from the kind and
  the organisation, held until the transaction commits or rolls back. SQLite: the
  transaction starts with ``BEGIN IMMEDIATE`` (SQLite's one write lock, so every writer
  queues). Either way the caller then reads what is stored *after* the lock, so the
  same workbook confirmed twice at once is applied once: the second sees no changes.
* ``write_transaction()``: the SQLite half alone, for a write that must start from the
  latest data (the transfer approvals).
* ``refuse_duplicate(duplicate)``: a unique-key clash at flush (another request stored
  the same row between this one's check and its write) answers with the plain
  duplicate check's message instead of a 500.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from levy.domain.errors import DomainError
from levy.extensions import SQLITE_IMMEDIATE, db


def lock_key(kind: str, organisation_id: int | None = None) -> int:
    """A stable signed 64-bit key for ``pg_advisory_xact_lock`` (the same in every process)."""
    name = f"levy-import:{kind}:{organisation_id or 0}".encode()
    return int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "big", signed=True)


def _dialect() -> str:
    return str(db.session.get_bind().dialect.name)


def _refuse_pending() -> None:
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("take the lock before changing anything in this transaction")


def write_transaction() -> None:
    """SQLite: make the rest of this unit of work one ``BEGIN IMMEDIATE`` transaction.

    A transaction that has only read so far (loading the signed-in user, the record
    on the page) is ended first: in WAL mode a read transaction that later writes fails
    at once if another writer committed meanwhile; one begun IMMEDIATE waits its turn
    (up to the busy timeout) and then reads the latest data. Nothing on other databases.
    """
    if _dialect() != "sqlite":
        return
    _refuse_pending()
    session = db.session()
    if session.in_transaction():
        session.commit()  # only reads so far: nothing is written by this commit
    session.connection(execution_options={SQLITE_IMMEDIATE: True})


def import_lock(kind: str, organisation_id: int | None = None) -> None:
    """Hold the lock for imports of ``kind`` (for ``organisation_id``) until this
    transaction ends; call it before the import reads what is stored."""
    if _dialect() == "postgresql":
        _refuse_pending()
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(kind, organisation_id)}
        )
        db.session.expire_all()  # re-read: another import may have committed while we waited
    else:
        write_transaction()


def is_unique_violation(exc: IntegrityError) -> bool:
    """A unique or primary-key clash (not a foreign key or check constraint)."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    return "UNIQUE constraint failed" in str(orig)  # SQLite


@contextmanager
def refuse_duplicate(duplicate: Callable[[], object], message: str = "") -> Iterator[None]:
    """Make and add the uniquely keyed rows inside this block; it runs in a savepoint and
    is flushed at its end. If another request stored the same key a moment ago (its
    commit came between our check and our flush), the savepoint is rolled back, so the
    transaction stays usable, and ``duplicate()`` runs: it re-reads and raises the
    ``DomainError`` the plain duplicate check raises. ``message`` is the fallback.

    Changes made before the block are flushed when the savepoint starts, outside it:
    make the change inside the block."""
    savepoint = db.session.begin_nested()
    try:
        yield
        db.session.flush()
    except IntegrityError as exc:
        savepoint.rollback()
        if not is_unique_violation(exc):
            raise
        duplicate()
        raise DomainError(
            message or "Someone else recorded this a moment ago: reload the page to see it"
        ) from None
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    savepoint.commit()
