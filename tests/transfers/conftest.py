"""Fixtures for the transfers tests; the factories they call are in tests/factories.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from levy.models import Standard, User
from tests import factories


@pytest.fixture
def standard(db: Any) -> Standard:
    """Band £15,000, 24 months: 2 apprentices reserve 15,000 × 2 × 0.8 ÷ 24 × 12 = £12,000."""
    return factories.create_standard(
        band=Decimal("15000"), duration_months=24, title="Engineering technician"
    )


@pytest.fixture
def short_standard(db: Any) -> Standard:
    """Band £9,000, 12 months: 1 apprentice reserves £9,000."""
    return factories.create_standard(
        band=Decimal("9000"), duration_months=12, title="Customer service practitioner", level=2
    )


@pytest.fixture
def sign_in(login_as: Any, client: Any) -> Any:
    """``login_as`` that also works for a second user in the same test: the test's app
    context is shared by the client's requests, so Flask-Login's cached user is dropped."""
    from flask import g

    def switch(role: str | None = None, user: User | None = None, **kw: Any) -> User:
        if user is None:
            user = login_as(role, **kw)
        else:
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
        g.pop("_login_user", None)
        from levy.extensions import db

        db.session.commit()  # keep the setup even if the view rolls back (a savepoint here)
        return user

    return switch
