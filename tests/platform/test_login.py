from __future__ import annotations

from typing import Any

from tests.factories import PASSWORD, create_user


def test_sign_in_and_out(client: Any, db: Any) -> None:
    create_user(role="finance", email="fran@example.org")
    response = client.post(
        "/login?next=/audit", data={"email": "Fran@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/audit"
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_next_cannot_send_user_to_another_site(client: Any, db: Any) -> None:
    create_user(role="finance", email="fran@example.org")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": "fran@example.org", "password": PASSWORD}
    )
    assert response.location == "/"


def test_wrong_password_names_the_problem(client: Any, db: Any) -> None:
    create_user(role="finance", email="fran@example.org")
    response = client.post("/login", data={"email": "fran@example.org", "password": "nope"})
    assert response.status_code == 400
    assert b"Enter a correct email address and password" in response.data
    assert b'href="#email"' in response.data


def test_failed_logins_are_throttled_per_account(client: Any, db: Any) -> None:
    create_user(role="finance", email="fran@example.org")
    for _ in range(5):
        client.post("/login", data={"email": "fran@example.org", "password": "wrong"})
    # even the right password is refused while the account is locked
    response = client.post("/login", data={"email": "fran@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert b"Too many failed sign-in attempts" in response.data
    assert client.get("/").status_code == 302


def test_nobody_can_lock_another_person_out_from_elsewhere(app: Any, client: Any, db: Any) -> None:
    create_user(role="admin", email="ada@example.org")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for _ in range(5):
        attacker.post("/login", data={"email": "ada@example.org", "password": "wrong"})
    locked = attacker.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert b"Too many failed sign-in attempts" in locked.data
    # the administrator, at her own desk, signs in as usual
    client.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    # four failures of her own do not lock her either: only five from one address do
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    for _ in range(4):
        other.post("/login", data={"email": "ada@example.org", "password": "wrong"})
    assert (
        other.post("/login", data={"email": "ada@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_failed_logins_are_throttled_per_address(client: Any, db: Any) -> None:
    create_user(role="finance", email="fran@example.org")
    for n in range(20):
        client.post("/login", data={"email": f"guess{n}@example.org", "password": "wrong"})
    response = client.post("/login", data={"email": "fran@example.org", "password": PASSWORD})
    assert b"Too many failed sign-in attempts" in response.data


def test_switched_off_account_cannot_sign_in(client: Any, db: Any) -> None:
    create_user(role="finance", email="off@example.org", active=False)
    response = client.post("/login", data={"email": "off@example.org", "password": PASSWORD})
    assert b"switched off" in response.data


def test_home_page_per_role_shows_real_figures(client: Any, login_as: Any) -> None:
    from decimal import Decimal

    from tests.factories import create_directorate, create_organisation

    org = create_organisation("Worcestershire County Council")
    create_directorate("People", org, headcount=1050, pay_bill=Decimal("31500000"))
    login_as("finance")
    page = client.get("/").get_data(as_text=True)
    assert "Worcestershire County Council headcount 2020-21" in page
    assert "1,050" in page
    assert "£31,500,000" in page


def test_home_page_shows_the_year_we_are_in(app: Any, client: Any, login_as: Any) -> None:
    from decimal import Decimal

    from tests.factories import create_directorate, create_organisation

    org = create_organisation("Worcestershire County Council")
    people = create_directorate("People", org, headcount=1050, pay_bill=Decimal("31500000"))
    from levy.extensions import db
    from levy.models import DirectorateYear

    db.session.add(DirectorateYear(directorate=people, year=2021, headcount=1071,
                                   pay_bill=Decimal("32130000")))  # fmt: skip
    login_as("finance")
    app.config["LEVY_AS_OF"] = "2021-03-31"
    try:
        page = client.get("/").get_data(as_text=True)
    finally:
        app.config.pop("LEVY_AS_OF")
    assert "headcount 2020-21" in page
    assert "1,050" in page
    assert "1,071" not in page
    assert "headcount 2021-22" in client.get("/").get_data(as_text=True)
