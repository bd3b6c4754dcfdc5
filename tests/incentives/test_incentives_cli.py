"""``flask levy incentives due|apply|paid``: the documented output, refusals and audit."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from levy.models import ApprenticeBreak, AuditEvent
from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from tests import factories


def _due(runner: Any, as_of: str) -> list[dict[str, Any]]:
    result = runner.invoke(args=["levy", "incentives", "due", "--as-of", as_of, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_due_on_an_empty_database(runner: Any) -> None:
    assert _due(runner, "2021-03-31") == []


def test_due_lists_every_instalment_of_every_eligible_scheme(runner: Any, db: Any) -> None:
    # 17 at the start, new hire 1 Sep 2020: new-hire-1 (£1,000 x 2) and 16-18 (£500 x 2)
    young = factories.create_apprentice(
        reference="APP-1",
        date_of_birth=date(2003, 5, 1),
        employment_start=date(2020, 9, 1),
        new_hire=True,
    )
    # 30 at the start: new-hire-1 £750 x 2; a 14-day break pushes day 90 to 13 Dec 2020
    older = factories.create_apprentice(
        reference="APP-2",
        date_of_birth=date(1990, 5, 1),
        employment_start=date(2020, 9, 1),
        new_hire=True,
    )
    db.session.add(
        ApprenticeBreak(apprentice=older, start=date(2020, 10, 1), end=date(2020, 10, 14))
    )
    # an existing employee: no scheme at all
    factories.create_apprentice(reference="APP-3", date_of_birth=date(1990, 5, 1))
    db.session.flush()
    rows = _due(runner, "2020-12-01")
    assert [(r["apprentice"], r["scheme"], r["instalment"]) for r in rows] == [
        ("APP-1", "new-hire-1", 1),
        ("APP-1", "new-hire-1", 2),
        ("APP-1", "16-18-employer", 1),
        ("APP-1", "16-18-employer", 2),
        ("APP-2", "new-hire-1", 1),
        ("APP-2", "new-hire-1", 2),
    ]
    first = rows[0]
    assert {k: first[k] for k in ("amount", "due_date", "status", "application")} == {
        "amount": "1000.00",
        "due_date": "2020-11-29",
        "status": "due",
        "application": "not applied",
    }
    assert rows[2]["amount"] == "500.00"
    assert rows[4]["amount"] == "750.00"
    assert rows[4]["due_date"] == "2020-12-13"
    assert rows[4]["status"] == "not yet due"
    assert young.id != older.id


def test_withdrawal_forfeits_with_null_due_date(runner: Any, db: Any) -> None:
    factories.create_apprentice(
        reference="APP-W",
        date_of_birth=date(1990, 5, 1),
        employment_start=date(2020, 9, 1),
        new_hire=True,
        status="withdrawn",
        status_date=date(2020, 11, 1),
    )
    rows = _due(runner, "2021-03-31")
    assert [(r["status"], r["due_date"]) for r in rows] == [("forfeited", None)] * 2


def test_leaving_employment_forfeits_what_was_not_yet_due(runner: Any, db: Any) -> None:
    # starts 1 Sep 2020: day 90 is 29 Nov 2020, day 365 is 31 Aug 2021; left on 1 Jun 2021
    factories.create_apprentice(
        reference="APP-L",
        date_of_birth=date(1990, 5, 1),
        employment_start=date(2020, 9, 1),
        new_hire=True,
        left_employment_on=date(2021, 6, 1),
    )
    rows = _due(runner, "2021-09-30")
    assert [(r["instalment"], r["status"], r["due_date"]) for r in rows] == [
        (1, "due", "2020-11-29"),
        (2, "forfeited", None),
    ]


def test_missed_application_window(runner: Any, db: Any) -> None:
    factories.create_apprentice(reference="APP-M", employment_start=date(2020, 9, 1), new_hire=True)
    assert {r["application"] for r in _due(runner, "2021-05-31")} == {"not applied"}
    assert {r["application"] for r in _due(runner, "2021-06-01")} == {"missed"}


def test_apply_then_paid(runner: Any, db: Any) -> None:
    factories.create_apprentice(
        reference="APP-P",
        date_of_birth=date(1990, 5, 1),
        employment_start=date(2020, 9, 1),
        new_hire=True,
    )
    result = runner.invoke(
        args=[
            "levy",
            "incentives",
            "apply",
            "APP-P",
            "--scheme",
            "new-hire-1",
            "--date",
            "2021-01-11",
            "--claim-reference",
            "INC-0001",
        ]
    )
    assert result.exit_code == 0, result.output
    app = db.session.execute(db.select(IncentiveApplication)).scalar_one()
    assert (app.scheme, app.applied_on, app.reference) == (
        "new-hire-1",
        date(2021, 1, 11),
        "INC-0001",
    )
    result = runner.invoke(
        args=[
            "levy",
            "incentives",
            "paid",
            "APP-P",
            "--scheme",
            "new-hire-1",
            "--instalment",
            "1",
            "--date",
            "2021-01-20",
            "--amount",
            "750.00",
        ]
    )
    assert result.exit_code == 0, result.output
    paid = db.session.execute(db.select(IncentiveInstalment)).scalar_one()
    assert (paid.number, paid.amount) == (1, Decimal("750.00"))
    rows = _due(runner, "2021-02-01")
    assert [(r["status"], r["application"]) for r in rows] == [
        ("paid", "applied"),
        ("not yet due", "applied"),
    ]
    actions = (
        db.session.execute(
            db.select(AuditEvent.action).where(AuditEvent.action.like("incentive.%"))
        )
        .scalars()
        .all()
    )
    assert actions == ["incentive.applied", "incentive.paid"]
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "incentive.paid")
    ).scalar_one()
    assert event.before["status"] == "due"
    assert event.after["status"] == "paid"
    assert event.after["amount"] == "750.00"
    assert event.actor_label.startswith("cli:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["apply", "APP-R", "--scheme", "new-hire-1", "--date", "2021-06-01",
          "--claim-reference", "X"], "closed on 31 May 2021: the claim is missed"),
        (["apply", "APP-R", "--scheme", "new-hire-2", "--date", "2021-06-01",
          "--claim-reference", "X"], "not eligible for the New-hire incentive, phase 2"),
        (["paid", "APP-R", "--scheme", "new-hire-1", "--instalment", "1", "--date", "2020-12-01",
          "--amount", "1000"], "record the application for new-hire-1 before a payment"),
        (["apply", "NOPE", "--scheme", "new-hire-1", "--date", "2021-01-01",
          "--claim-reference", "X"], "no apprentice with the reference 'NOPE'"),
    ],
)  # fmt: skip
def test_refused_moves_exit_1_with_the_reason(
    runner: Any, db: Any, args: list[str], message: str
) -> None:
    factories.create_apprentice(reference="APP-R", employment_start=date(2020, 9, 1), new_hire=True)
    result = runner.invoke(args=["levy", "incentives", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.execute(db.select(IncentiveApplication)).first() is None


def test_bad_dates_and_schemes_are_usage_errors(runner: Any, db: Any) -> None:
    # the command line takes what the web takes (31/03/2021 too), so refuse a date
    # that does not exist
    result = runner.invoke(args=["levy", "incentives", "due", "--as-of", "31/02/2021"])
    assert result.exit_code == 2
    assert "'31/02/2021' is not a date: write it like 2021-03-31" in result.output
    result = runner.invoke(
        args=[
            "levy",
            "incentives",
            "apply",
            "A",
            "--scheme",
            "new-hire-9",
            "--date",
            "2021-01-01",
            "--claim-reference",
            "X",
        ]
    )
    assert result.exit_code == 2
