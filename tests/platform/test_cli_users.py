from __future__ import annotations

from typing import Any

import pytest

from levy.extensions import db as _db
from levy.models import AuditEvent, User
from tests.factories import create_directorate, create_organisation


def test_create_user_with_password_on_stdin_is_audited(runner: Any) -> None:
    directorate = create_directorate("People", create_organisation("Worcestershire County Council"))
    result = runner.invoke(
        args=[
            "levy",
            "create-user",
            "m@example.org",
            "--role",
            "directorate_manager",
            "--directorate",
            "People",
            "--password-stdin",
        ],
        input="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    user = _db.session.execute(_db.select(User).filter_by(email="m@example.org")).scalar_one()
    assert user.directorates == [directorate]
    assert user.check_password("a-long-password")
    event = _db.session.execute(
        _db.select(AuditEvent).filter_by(action="user.created")
    ).scalar_one()
    assert event.after["role"] == "directorate_manager"
    assert event.actor_label.startswith("cli:")


def test_create_user_refuses_bad_input(runner: Any, db: Any) -> None:
    result = runner.invoke(
        args=["levy", "create-user", "x@example.org", "--role", "wizard", "--password-stdin"],
        input="a-long-password\n",
    )
    assert result.exit_code == 2
    assert "--role" in result.output
    result = runner.invoke(
        args=["levy", "create-user", "x@example.org", "--role", "finance", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code == 1
    assert "12 characters" in result.stderr
    result = runner.invoke(
        args=[
            "levy",
            "create-user",
            "x@example.org",
            "--role",
            "directorate_manager",
            "--directorate",
            "Nowhere",
            "--password-stdin",
        ],
        input="a-long-password\n",
    )
    assert result.exit_code == 2
    assert "no directorate called 'Nowhere'" in result.output
    assert _db.session.execute(_db.select(_db.func.count(User.id))).scalar_one() == 0


def test_admin_manages_users_on_a_page(client: Any, login_as: Any) -> None:
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "new@example.org",
            "name": "New Person",
            "role": "finance",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 302
    user = _db.session.execute(_db.select(User).filter_by(email="new@example.org")).scalar_one()
    response = client.post(
        f"/admin/users/{user.id}",
        data={"email": "new@example.org", "name": "New Person", "role": "ld_team"},
    )
    assert response.status_code == 302
    assert user.role == "ld_team"
    event = _db.session.execute(
        _db.select(AuditEvent).filter_by(action="user.updated")
    ).scalar_one()
    assert event.before == {"role": "finance"} and event.after == {"role": "ld_team"}
    # a manager without a directorate is refused with a message, nothing saved
    response = client.post(
        f"/admin/users/{user.id}",
        data={"email": "new@example.org", "name": "New Person", "role": "directorate_manager"},
    )
    assert response.status_code == 200
    assert b"needs at least one directorate" in response.data
    assert client.get("/admin/users/999999").status_code == 404


def test_audit_page_filters_and_downloads(client: Any, login_as: Any) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    login_as("admin")
    client.post(
        "/admin/users/new",
        data={
            "email": "a@example.org",
            "name": "A",
            "role": "finance",
            "password": "a-long-password",
        },
    )
    login_as("finance")
    page = client.get("/audit?action=user.created").get_data(as_text=True)
    assert "a@example.org" in page
    assert "1 events" in page
    assert "is not a date" in client.get("/audit?from=31/02/2021x").get_data(as_text=True)
    response = client.get("/audit.xlsx?action=user.created")
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("When (UTC)", "Who", "Action")
    assert rows[1][2] == "user.created"
    assert sheet["A2"].is_date


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["cohorts", "--as-of", "2021-02-30", "--format", "json"], "--as-of"),
        # 31/03/2021 is taken, as on the web; 31/02/2021 does not exist
        (["quotas", "--year", "2020", "--today", "31/02/2021", "--format", "json"], "--today"),
        (["incentives", "due", "--as-of", "yesterday", "--format", "json"], "--as-of"),
        (["transfers", "tick", "--as-of", "2021-13-01"], "--as-of"),
        (["ledger", "--to", "2021-13", "--format", "json"], "--to"),
        (
            [
                "what-if",
                "--from",
                "2021-04",
                "--months",
                "12",
                "--price",
                "abc",
                "--duration",
                "12",
                "--format",
                "json",
            ],
            "--price",
        ),
    ],
)
def test_bad_dates_months_and_amounts_exit_2_naming_the_option(
    runner: Any, args: list[str], option: str
) -> None:
    result = runner.invoke(args=["levy", *args])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output
