"""Passwords, equal sign-in work for unknown emails, registration, the outbox."""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

import pytest

from levy import mail
from levy.domain.errors import DomainError
from levy.extensions import db as _db
from levy.models import Organisation, User
from levy.models.transfers import OutboxMessage
from levy.services import users
from levy.services.transfers import send_message
from tests.conftest import CHEAP_PASSWORD_HASH
from tests.factories import PASSWORD, create_user


@pytest.mark.parametrize(
    ("password", "email", "message"),
    [
        ("short-one", "", "12 characters or more"),
        ("sam.patel@example.org", "sam.patel@example.org", "must not be your email address"),
        ("SAM.PATEL.EXAMPLE", "sam.patel.example@example.org", "must not be your email"),
        ("password1234", "", "most commonly used"),
        ("qwertyuiop123", "", "most commonly used"),
        ("iloveyou!!!!", "", "most commonly used"),
        ("PASSWORD1234", "", "most commonly used"),
    ],
)
def test_weak_passwords_are_refused(password: str, email: str, message: str) -> None:
    with pytest.raises(DomainError, match=message) as caught:
        users.check_password(password, email)
    assert caught.value.field == "password"


@pytest.mark.parametrize(
    "password", ["correct-horse-battery", "worcestershire-demo", "plum ferry x"]
)
def test_long_uncommon_passwords_pass(password: str) -> None:
    users.check_password(password, "sam@example.org")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        (" " * 12, 'Repeats like "aaa" are easy to guess'),
        ("a" * 12, 'Repeats like "aaa" are easy to guess'),
        ("a" * 100, "aaa"),  # longer than zxcvbn scores: the first 72 characters are
        ("qwertyuiopas", "similar to a commonly used password"),
        ("asdfghjklzxc", "similar to a commonly used password"),
        ("iloveyoutoomuch", "similar to a commonly used password"),
        ("passwordpassword", 'Repeats like "abcabcabc"'),
    ],
)
def test_guessable_passwords_are_refused_saying_why(password: str, why: str) -> None:
    with pytest.raises(DomainError, match="This password is too easy to guess") as caught:
        users.check_password(password, "sam.patel@example.org", "Sam Patel")
    assert why in str(caught.value)
    assert caught.value.field == "password"


@pytest.mark.parametrize(
    "password", ["739184625073", "123456789012", "0121 496 0000 55", "20240229202402"]
)
def test_digits_alone_are_refused_at_any_length(password: str) -> None:
    with pytest.raises(DomainError, match="A password of digits alone is easy to guess"):
        users.check_password(password)


def test_the_persons_name_and_email_count_as_known_words() -> None:
    # strong for anyone else, guessable for the person whose name it is
    users.check_password("zephyrinequaxley", "zq@example.org")
    with pytest.raises(DomainError, match="too easy to guess"):
        users.check_password("zephyrinequaxley", "zq@example.org", "Zephyrine Quaxley")
    with pytest.raises(DomainError, match="too easy to guess"):
        users.check_password("zephyrinequaxley", "zephyrine.quaxley@example.org")
    assert users.password_strength("zephyrinequaxley", "", "Zephyrine Quaxley")[0] < 3
    assert users.password_strength("zephyrinequaxley")[0] == 4


def test_demo_and_test_passwords_are_strong_enough() -> None:
    from levy.demo import DEMO_PASSWORD
    from levy.demo.platform import DEMO_USERS

    for email, _role, name, _scope, _org in DEMO_USERS:
        users.check_password(DEMO_PASSWORD, email, name)
    users.check_password(DEMO_PASSWORD, "shop@example.org", "Malvern Hills Joinery (demo)")
    users.check_password(PASSWORD, "user1@example.org", "")


def test_passwords_are_hashed_with_scrypt_unless_configured(
    app: Any, db: Any, monkeypatch: Any
) -> None:
    # the tests hash with a cheap method (tests/conftest.py); the app's own default is scrypt
    assert app.config["PASSWORD_HASH_METHOD"] == CHEAP_PASSWORD_HASH
    cheap = create_user(role="finance", email="cheap@example.org")
    assert cheap.password_hash.startswith("pbkdf2:sha256:1$")
    monkeypatch.delitem(app.config, "PASSWORD_HASH_METHOD")
    user = create_user(role="finance", email="real@example.org")
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")
    # the dummy hash for unknown emails follows the method, so both cost the same
    assert users._dummy_hash().startswith("scrypt:32768:8:1$")
    assert cheap.check_password(PASSWORD)  # a hash made by another method still checks


def test_the_deny_list_holds_ten_thousand_common_passwords() -> None:
    common = users.common_passwords()
    assert len(common) == 10_000
    assert {"password", "123456", "qwerty", "letmein"} <= common


def test_admin_and_cli_refuse_a_common_password(client: Any, login_as: Any, runner: Any) -> None:
    login_as("admin")
    page = client.post(
        "/admin/users/new",
        data={
            "email": "new@example.org",
            "name": "New",
            "role": "ld_team",
            "password": "password1234",
        },
    )
    assert page.status_code == 200
    assert "most commonly used" in page.get_data(as_text=True)
    result = runner.invoke(
        args=["levy", "create-user", "x@example.org", "--role", "finance", "--password-stdin"],
        input="x@example.org\n",
    )
    assert result.exit_code == 1
    assert "must not be your email address" in result.output
    assert users.find_user("new@example.org") is None and users.find_user("x@example.org") is None


def test_an_unknown_email_costs_a_password_check(client: Any, db: Any, monkeypatch: Any) -> None:
    real = create_user(role="finance", email="fran@example.org")
    _db.session.commit()
    checked: list[str] = []
    original = users.check_password_hash

    def spy(hashed: str, password: str) -> bool:
        checked.append(hashed)
        return original(hashed, password)

    monkeypatch.setattr(users, "check_password_hash", spy)
    client.post("/login", data={"email": "nobody@example.org", "password": "guess-guess-1"})
    assert checked == [users._dummy_hash()]
    # the dummy hash is made the way real ones are, so it costs the same
    assert checked[0].split("$")[0] == real.password_hash.split("$")[0]
    client.post("/login", data={"email": "fran@example.org", "password": "guess-guess-1"})
    assert len(checked) == 1  # a known account checks its own hash instead


def _registration(email: str, legal_name: str) -> dict[str, str]:
    return {
        "contact_name": "Sam Patel",
        "email": email,
        "password": "a-long-password",
        "password_again": "a-long-password",
        "legal_name": legal_name,
        "company_number": "",
        "charity_number": "1190001",
        "address": "2 Load Street, Bewdley",
        "postcode": "DY12 2AE",
        "employees": "4",
        "pays_levy": "no",
        "is_vcse": "yes",
        "sector": "Tourism and hospitality",
        "pays_rates_in_county": "yes",
        "serves_county_residents": "yes",
    }


def test_registration_answers_the_same_for_an_existing_email(
    client: Any, db: Any, monkeypatch: Any
) -> None:
    create_user(role="finance", email="fran@example.org", name="Fran")
    _db.session.commit()
    hashed: list[str] = []
    from levy.models import user as user_model

    def spy(password: str, **method: str) -> str:
        hashed.append(password)
        return "scrypt:x"

    monkeypatch.setattr(users, "generate_password_hash", spy)
    monkeypatch.setattr(user_model, "generate_password_hash", spy)
    new = client.post("/transfers/register", data=_registration("sam@example.org", "New Ltd"))
    taken = client.post("/transfers/register", data=_registration("fran@example.org", "Other Ltd"))
    assert new.status_code == taken.status_code == 200

    def page(response: Any) -> str:
        return re.sub(r'nonce="[^"]+"', "", response.get_data(as_text=True))

    assert page(new).replace("sam@example.org", "fran@example.org") == page(taken)
    assert hashed == ["a-long-password", "a-long-password"]  # the same work both ways
    assert (
        _db.session.execute(
            _db.select(Organisation).where(Organisation.name == "Other Ltd")
        ).scalar_one_or_none()
        is None
    )
    told = _db.session.execute(
        _db.select(OutboxMessage).where(OutboxMessage.to == "fran@example.org")
    ).scalar_one()
    assert told.subject == "You already have an account"
    assert "Other Ltd" in told.body and "http://localhost/login" in told.body


def test_a_weak_password_gets_the_same_answer_whether_the_email_has_an_account(
    client: Any, db: Any
) -> None:
    create_user(role="finance", email="fran@example.org", name="Fran")
    _db.session.commit()
    weak = {"password": "aaaaaaaaaaaa", "password_again": "aaaaaaaaaaaa"}
    new = client.post(
        "/transfers/register", data={**_registration("sam@example.org", "New Ltd"), **weak}
    )
    taken = client.post(
        "/transfers/register", data={**_registration("fran@example.org", "Other Ltd"), **weak}
    )
    assert new.status_code == taken.status_code == 400
    for response in (new, taken):
        page = response.get_data(as_text=True)
        assert "This password is too easy to guess" in page
        assert 'href="#password"' in page
    assert _db.session.execute(_db.select(OutboxMessage)).scalars().all() == []


def test_the_confirmation_link_uses_the_base_url_and_never_reaches_the_log(
    app: Any, client: Any, db: Any, monkeypatch: Any, caplog: Any
) -> None:
    monkeypatch.setitem(app.config, "LEVY_BASE_URL", "https://levy.example.gov.uk")
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/transfers/register",
        data=_registration("sam@example.org", "Bewdley Bakes"),
        headers={"Host": "localhost"},
    )
    assert response.status_code == 200
    message = _db.session.execute(_db.select(OutboxMessage)).scalar_one()
    link = re.search(r"(\S+/transfers/confirm/)(\S+)", message.body)
    assert link and link.group(1) == "https://levy.example.gov.uk/transfers/confirm/"
    token = link.group(2)
    assert token not in caplog.text
    assert "confirm/" not in caplog.text


class FakeSMTP:
    sent: ClassVar[list[str]] = []
    in_transaction: ClassVar[list[bool]] = []

    def __init__(self, host: str, port: int, timeout: int) -> None:
        pass

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send_message(self, message: Any) -> None:
        FakeSMTP.in_transaction.append(_db.session().in_transaction())
        FakeSMTP.sent.append(message["To"])


@pytest.fixture
def smtp(app: Any, monkeypatch: Any) -> type[FakeSMTP]:
    FakeSMTP.sent, FakeSMTP.in_transaction = [], []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    return FakeSMTP


def test_mail_waits_for_the_commit_and_a_rollback_sends_nothing(
    db: Any, smtp: type[FakeSMTP]
) -> None:
    dropped = send_message("gone@example.org", "Never", "Rolled back")
    dropped_id = dropped.id
    _db.session.rollback()
    assert mail.deliver_committed() == 0
    kept = send_message("jo@example.org", "Hello", "Body")
    assert smtp.sent == []  # nothing leaves while the transaction is open
    _db.session.commit()
    assert mail.deliver_committed() == 1
    assert smtp.sent == ["jo@example.org"]
    assert smtp.in_transaction == [False]  # no transaction (so no lock) while sending
    _db.session.refresh(kept)
    assert kept.sent_at is not None
    assert "gone@example.org" not in smtp.sent and dropped_id not in mail.committed_ids()


def test_a_request_sends_its_mail_after_committing(client: Any, db: Any, smtp: Any) -> None:
    response = client.post("/transfers/register", data=_registration("sam@example.org", "Bakes"))
    assert response.status_code == 200
    assert smtp.sent == ["sam@example.org"]
    assert smtp.in_transaction == [False]


def test_send_mail_sends_what_is_left(runner: Any, db: Any, smtp: Any, monkeypatch: Any) -> None:
    send_message("a@example.org", "One", "Body")
    send_message("b@example.org", "Two", "Body")
    _db.session.info.pop(mail._COMMITTED, None)
    _db.session.info.pop(mail._WRITTEN, None)
    _db.session.commit()
    result = runner.invoke(args=["levy", "send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 of 2 unsent messages" in result.output
    assert sorted(smtp.sent) == ["a@example.org", "b@example.org"]
    again = runner.invoke(args=["levy", "send-mail"])
    assert "Sent 0 of 0" in again.output
    monkeypatch.delitem(runner.app.config, "MAIL_SERVER")
    refused = runner.invoke(args=["levy", "send-mail"])
    assert refused.exit_code == 1 and "MAIL_SERVER is not set" in refused.output


def test_users_cannot_sign_in_with_their_email_as_password(db: Any) -> None:
    with pytest.raises(DomainError, match="email address"):
        users.create_user(
            "lee.jones@example.org", "ld_team", "lee.jones@example.org", users.Actor.cli()
        )
    assert (
        _db.session.execute(_db.select(User).where(User.email == "lee.jones@example.org")).first()
        is None
    )
    assert PASSWORD  # the factories' password is long and uncommon
    users.check_password(PASSWORD, "someone@example.org")
