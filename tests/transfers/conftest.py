"""Factories for the transfers tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from levy.domain.months import add_months
from levy.models import Organisation, Standard, User
from levy.models.transfers import BusinessProfile, TransferApplication
from levy.services import transfers as svc
from levy.services.audit import Actor
from tests import factories

OFFICER = Actor("officer@example.org")
BUSINESS = Actor("business@example.org")


def create_business(
    name: str | None = None,
    employees: int = 8,
    postcode: str = "WR1 2AB",
    district: str | None = "Worcester",
    **kw: Any,
) -> tuple[Organisation, User]:
    org = factories.create_organisation(name=name, kind="business")
    profile = BusinessProfile(
        organisation_id=org.id,
        postcode=postcode,
        district=district,
        employees=employees,
        sector=kw.pop("sector", "Advanced manufacturing"),
        pays_rates_in_county=kw.pop("pays_rates_in_county", True),
        company_number="01234567",
        contact_email=kw.pop("contact_email", ""),
        **kw,
    )
    from levy.extensions import db

    db.session.add(profile)
    db.session.flush()
    user = factories.create_user(role="employer", organisation=org)
    return org, user


def levy_for_year(year_start: int, levy: str = "100000", top_up: str = "10000") -> None:
    """A year's base: levy + top-up for each month May (year−1) to April (year);
    the defaults give 12 × 110,000 = £1,320,000."""
    for i in range(12):
        month = add_months(date(year_start - 1, 5, 1), i)
        factories.create_transaction(month, "levy", levy)
        factories.create_transaction(month, "top-up", top_up)


def application(
    org: Organisation,
    standard: Standard,
    *,
    apprentices: int = 2,
    start: date = date(2021, 5, 1),
    submit_on: date | None = date(2021, 4, 1),
    **kw: Any,
) -> TransferApplication:
    data = svc.ApplicationData(
        standard=standard,
        apprentices=apprentices,
        planned_start=start,
        provider_name=kw.pop("provider_name", "Heart of Worcestershire College"),
        provider_in_county=kw.pop("provider_in_county", True),
        target_groups=kw.pop("target_groups", ["care_leavers"]),
        social_value=kw.pop("social_value", "Roles for care leavers."),
        contact_name="Jo",
        contact_email="jo@example.org",
        **kw,
    )
    # drafted on the day it is submitted, or on its start day if that is earlier
    app = svc.create_draft(org, None, data, BUSINESS, min(submit_on or start, start))
    if submit_on is not None:
        svc.submit(app, BUSINESS, submit_on)
    return app


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
