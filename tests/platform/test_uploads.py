"""Uploads waiting for "confirm" live in the database (issue 13): they expire after a
day, and a second app server on the same database can finish the import."""

from __future__ import annotations

import io
from datetime import timedelta

from flask_migrate import upgrade

from levy import create_app
from levy.extensions import db as _db
from levy.models import LevyTransaction, User
from levy.models.base import utcnow
from levy.models.uploads import PendingUpload
from levy.services import uploads
from tests.factories import transactions_book


def test_a_kept_upload_is_read_once_and_expires_after_a_day(db):
    now = utcnow()
    token = uploads.keep("levy-transactions", "t.xlsx", b"one", now=now)
    assert uploads.take(token, "apprentices", now=now) is None  # another kind of upload
    assert uploads.take(token, "levy-transactions", now=now + timedelta(hours=23)) == (
        "t.xlsx",
        b"one",
    )
    assert uploads.take(token, "levy-transactions", now=now) is None  # confirm works once

    old = uploads.keep("levy-transactions", "old.xlsx", b"two", now=now)
    assert uploads.take(old, "levy-transactions", now=now + timedelta(days=1, seconds=1)) is None
    assert db.session.execute(db.select(PendingUpload)).first() is None

    # keeping a new upload clears the expired ones of every kind
    stale = uploads.keep("apprentices", "a.xlsx", b"three", now=now - timedelta(days=2))
    uploads.keep("levy-transactions", "new.xlsx", b"four", now=now)
    tokens = set(db.session.execute(db.select(PendingUpload.token)).scalars())
    assert stale not in tokens and len(tokens) == 1


def _server(url: str) -> object:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "shared-secret",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )


def test_confirm_works_from_a_second_app_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = _server(url), _server(url)
    with first.app_context():  # type: ignore[attr-defined]
        upgrade()
        user = User(email="finance@uploads.test", role="finance")
        user.set_password("finance-password-1")
        _db.session.add(user)
        _db.session.commit()
        login_id = user.get_id()  # "id:session version"
    clients = []
    for app in (first, second):
        client = app.test_client()  # type: ignore[attr-defined]
        with client.session_transaction() as session:
            session["_user_id"] = login_id
            session["_fresh"] = True
        clients.append(client)
    data = transactions_book([["2021-01", "levy", 1000, ""], ["2021-02", "payment", 50, ""]])
    page = (
        clients[0]
        .post(
            "/levy/import",
            data={"file": (io.BytesIO(data), "t.xlsx")},
            content_type="multipart/form-data",
        )
        .get_data(as_text=True)
    )
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = clients[1].post("/levy/import/confirm", data={"token": token})
    assert response.status_code == 302
    with second.app_context():  # type: ignore[attr-defined]
        count = _db.session.execute(_db.select(_db.func.count(LevyTransaction.id))).scalar()
        assert count == 2
        assert _db.session.execute(_db.select(PendingUpload)).first() is None
        _db.session.remove()
        _db.engine.dispose()
