"""Two officers approving at the same moment cannot both get the last of the allowance.

These tests commit for real (threads need to see each other's data), so they build
their data outside the per-test rollback and rebuild the database afterwards.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from levy.domain.errors import DomainError
from levy.extensions import db as _db
from levy.models.transfers import TransferApplication
from levy.services import transfers as svc
from levy.transaction import serialised
from tests import factories
from tests.conftest import reset_database
from tests.factories import OFFICER, create_application, create_business, levy_for_year

IS_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture
def two_applications(app: Flask) -> Any:
    """Cap £12,000 (base 12 × 4,000 × 25%) and two applications reserving £12,000 each."""
    with app.app_context():
        levy_for_year(2021, levy="4000", top_up="0")
        standard = factories.create_standard(band=Decimal("15000"), duration_months=24)
        org, _ = create_business()
        ids = [create_application(org, standard).id, create_application(org, standard).id]
        _db.session.commit()
        _db.session.remove()
    try:
        yield ids
    finally:
        reset_database(app)


def _race(app: Flask, ids: list[int], *, wrap: bool) -> list[str]:
    barrier = threading.Barrier(len(ids))
    results: list[str] = []

    def approve(app_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                if wrap:
                    with serialised():
                        svc.approve(app_id, OFFICER, date(2021, 4, 10))
                        time.sleep(0.3)  # hold the transaction open: the other must wait
                        _db.session.commit()
                else:
                    svc.approve(app_id, OFFICER, date(2021, 4, 10))
                    time.sleep(0.3)
                    _db.session.commit()
                results.append("approved")
            except DomainError as exc:
                _db.session.rollback()
                results.append(str(exc))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _check(app: Flask, results: list[str]) -> None:
    assert results.count("approved") == 1, results
    refused = next(r for r in results if r != "approved")
    assert "only £0.00 of the £12,000.00 allowance remains" in refused
    with app.app_context():
        statuses = sorted(_db.session.execute(_db.select(TransferApplication.status)).scalars())
        assert statuses == ["approved", "submitted"]
        allowance = svc.year_allowance(2021)
        assert allowance.committed == Decimal("12000.00")
        assert allowance.remaining == Decimal("0.00")
        _db.session.remove()


@pytest.mark.postgres
@pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_concurrent_approvals_on_postgresql_row_lock(app: Flask, two_applications: Any) -> None:
    # only the SELECT … FOR UPDATE on the policy row stands between the two
    _check(app, _race(app, two_applications, wrap=False))


@pytest.mark.skipif(IS_POSTGRES, reason="the SQLite path")
def test_concurrent_approvals_on_sqlite_take_turns(app: Flask, two_applications: Any) -> None:
    _check(app, _race(app, two_applications, wrap=True))
