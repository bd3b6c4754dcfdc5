"""The one commit point: views and commands call a service inside ``transaction()``.

Services write and ``flush()``; they never commit. A view or command wraps the one
service call it makes::

    with transaction(form, field="email") as tx:
        user = create_user(...)
    if tx.ok:
        flash(...)
        return redirect(...)

On leaving the block the session commits. If the block raises, the session rolls
back; a ``DomainError`` is then put on the form (on the field it names, else on
``field``, else as a form-level error) and swallowed, so the view re-renders the
form with the message. Without a form a ``DomainError`` is kept in ``tx.error``
when ``catch=True`` (for a button that posts no form), and raised otherwise.
Any other exception rolls back and propagates.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from levy.domain.errors import DomainError


def _session() -> Any:
    """The request's or command's session (imported here, so a command module can import
    this one without SQLAlchemy: ``flask levy --help`` stays quick)."""
    from levy.extensions import db

    return db.session


class transaction:  # noqa: N801 - used like a function: ``with transaction(...)``
    def __init__(self, form: Any = None, field: str | None = None, *, catch: bool = False) -> None:
        self.form = form
        self.field = field
        self.catch = catch or form is not None
        self.ok = False
        self.error: DomainError | None = None

    def __enter__(self) -> transaction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if exc is None:
            _session().commit()
            self.ok = True
            return False
        _session().rollback()
        if isinstance(exc, DomainError) and self.catch:
            self.error = exc
            if self.form is not None:
                put_on_form(self.form, exc, self.field)
            return True
        return False


def discard() -> None:
    """Roll back whatever a failed request left in its session (the error pages call it)."""
    _session().rollback()


def put_on_form(form: Any, error: DomainError, default_field: str | None = None) -> None:
    """Each (field, message) of ``error`` next to its field; unknown fields go to the form."""
    for name, message in error.problems:
        field = getattr(form, name or default_field or "", None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


_TURNS = threading.Lock()


@contextmanager
def serialised() -> Iterator[None]:
    """Around ``transaction()`` for a check-then-reserve write (an approval against an allowance).

    PostgreSQL needs nothing more: the service's ``SELECT … FOR UPDATE`` makes concurrent
    writers queue. SQLite has no row locks, so such blocks in this process take turns, each
    from a fresh ``BEGIN IMMEDIATE`` transaction: what the request has only read so far is
    ended first (nothing is written yet), so the block sees the rows the previous turn
    committed, and writers in other processes queue on SQLite's write lock.
    """
    if _session().get_bind().dialect.name != "sqlite":
        yield
        return
    from levy.services.locks import write_transaction

    with _TURNS:
        write_transaction()  # nothing written yet: ends the read, takes the write lock
        yield
