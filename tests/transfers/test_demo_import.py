"""The transfers workbook and the demo: 2020-21 as reported, loaded twice."""

from __future__ import annotations

import secrets
from io import BytesIO
from typing import Any

import pytest

from levy.demo import DEMO_DIR
from levy.domain.accounts import Actor
from levy.domain.errors import ImportFailed
from levy.extensions import db
from levy.importers import transfers as workbook
from levy.models.transfers import TransferApplication
from levy.services import transfers as svc

ACTOR = Actor("cli:test")


def test_the_demo_reproduces_2020_21_and_loads_twice(db: Any) -> None:
    book = workbook.read(DEMO_DIR / "transfers.xlsx")
    first = svc.import_history(book, ACTOR)
    assert (first.businesses, first.applications) == (19, 29)
    report = svc.report(2020)
    assert report.as_dict()["transferred"] == "204500.00"
    assert (report.businesses, report.apprenticeships) == (18, 65)
    assert len(report.by_district) == 6  # every district of the county
    second = svc.import_history(workbook.read(DEMO_DIR / "transfers.xlsx"), ACTOR)
    assert (second.businesses, second.applications, second.payments) == (0, 0, 0)
    statuses = set(db.session.execute(db.select(TransferApplication.status)).scalars())
    assert statuses == {
        "draft",
        "submitted",
        "approved",
        "rejected",
        "accepted",
        "funds used",
        "declined",
        "withdrawn",
        "withdrawn after acceptance",
        "funds expired",
    }


def test_a_bad_workbook_names_every_problem(db: Any) -> None:
    book = workbook.template()
    book[workbook.BUSINESSES].append(
        ["Acme", "01234567", "", "nowhere", "lots", "Retail", "maybe", "yes", ""]
    )
    book[workbook.APPLICATIONS].append(
        [
            "LT-1",
            "Unknown Ltd",
            "ST1",
            "Thing",
            3,
            "5000",
            12,
            1,
            "2021-05-01",
            "P",
            "yes",
            "martians",
            "",
            "pending",
            None,
            None,
            None,
            None,
            None,
            "",
        ]
    )
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFailed) as err:
        workbook.read(buffer.getvalue())
    messages = [str(e) for e in err.value.errors]
    assert any("Businesses, row 2, Postcode" in m for m in messages)
    assert any("Businesses, row 2, Employees" in m for m in messages)
    assert any("Businesses, row 2, VCSE" in m for m in messages)
    assert any("Applications, row 2, Business" in m for m in messages)
    assert any("Applications, row 2, Open to" in m for m in messages)
    assert any("Applications, row 2, Status" in m for m in messages)


def test_the_seeded_demo_keeps_2020_21_within_its_allowance(live_database: str) -> None:
    from levy import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": live_database,
            "SECRET_KEY": secrets.token_hex(32),
        }
    )
    with app.app_context():
        report = svc.report(2020)
        assert report.as_dict()["transferred"] == "204500.00"
        assert (report.businesses, report.apprenticeships) == (18, 65)
        allowance = svc.year_allowance(2020)
        assert allowance.paid >= report.transferred
        assert allowance.committed == 0  # each first-year share was paid in the year
        assert allowance.remaining >= 0
        db.session.remove()
