"""Database errors reach the error log without their SQL parameters (issue 26 §7): an
integrity error is logged by its constraint, never by the names and dates that broke it."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from levy.views.errors import describe_database_error
from tests import factories


def _duplicate_apprentice(db: Any) -> IntegrityError:
    first = factories.create_apprentice(reference="DUP-1")
    db.session.flush()
    try:
        factories.create_apprentice(
            directorate=first.directorate,
            reference="DUP-1",
            first_name="Zebedee",
            last_name="Quixwell",
            date_of_birth=date(1999, 12, 31),
        )
    except IntegrityError as exc:
        return exc
    raise AssertionError("the duplicate reference was stored")


def test_an_integrity_error_logs_the_constraint_not_the_values(
    app: Any, db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    error = _duplicate_apprentice(db)
    assert "Zebedee" in str(error)  # what used to be logged (the parameters)
    with caplog.at_level(logging.ERROR), app.test_request_context("/apprentices/new"):
        response = app.make_response(app.handle_user_exception(error))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    logged = "\n".join(
        r.getMessage() + (str(r.exc_info[1]) if r.exc_info else "") for r in caplog.records
    )
    assert "unhandled error on /apprentices/new: IntegrityError: constraint " in logged
    assert "apprentice" in logged  # uq_apprentice_reference, or SQLite's apprentice.reference
    assert "test_error_log_privacy.py" in logged  # where it was raised
    for value in ("Zebedee", "Quixwell", "1999-12-31", "DUP-1", "[parameters:"):
        assert value not in logged


def test_an_unreachable_database_is_logged_without_parameters() -> None:
    class Driver(Exception):
        pass

    error = OperationalError(
        "INSERT INTO apprentice (first_name) VALUES (?)", ("Zebedee",), Driver("disk I/O error")
    )
    assert "Zebedee" in str(error)
    assert describe_database_error(error) == "OperationalError: disk I/O error"
