"""The one commit point: commit on success, roll back on any error, a DomainError onto the form."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from levy.domain.errors import DomainError, Problems
from levy.extensions import db as _db
from levy.models import Organisation
from levy.transaction import transaction


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Name")


def _count() -> int:
    return _db.session.execute(_db.select(_db.func.count(Organisation.id))).scalar_one()


def test_commits_on_success(app, db):
    before = _count()
    with transaction() as tx:
        _db.session.add(Organisation(name="Commit Test Ltd"))
    assert tx.ok and tx.error is None
    _db.session.expire_all()
    assert _count() == before + 1


def test_rolls_back_and_puts_domain_error_on_the_named_field(app, db):
    before = _count()
    with app.test_request_context(method="POST"):
        form = _Form()
        with transaction(form, field="name") as tx:
            _db.session.add(Organisation(name="Never Saved Ltd"))
            _db.session.flush()
            raise DomainError("Enter a different name")
    assert not tx.ok
    assert form.name.errors == ["Enter a different name"]
    assert _count() == before


def test_problems_go_to_their_fields_and_unknown_fields_to_the_form(app, db):
    with app.test_request_context(method="POST"):
        form = _Form()
        form.validate()
        with transaction(form) as tx:
            raise Problems([("name", "Enter a name"), ("nowhere", "Something else is wrong")])
    assert not tx.ok
    assert form.name.errors == ["Enter a name"]
    assert form.form_errors == ["Something else is wrong"]


def test_without_a_form_a_domain_error_propagates_unless_caught(app, db):
    with pytest.raises(DomainError), transaction():
        raise DomainError("no")
    with transaction(catch=True) as tx:
        raise DomainError("kept")
    assert str(tx.error) == "kept"


def _add_then_fail() -> None:
    with transaction(catch=True):
        _db.session.add(Organisation(name="Broken Ltd"))
        _db.session.flush()
        raise RuntimeError("boom")


def test_other_errors_roll_back_and_propagate(app, db):
    before = _count()
    with pytest.raises(RuntimeError):
        _add_then_fail()
    assert _count() == before
