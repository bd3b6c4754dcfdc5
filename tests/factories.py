"""Small factories with keyword defaults; each flushes so ids exist, none commits."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from levy.extensions import db
from levy.models import (
    Apprentice,
    Directorate,
    DirectorateYear,
    FundingBand,
    LevyTransaction,
    Organisation,
    Provider,
    Standard,
    User,
)

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"


def create_organisation(name: str | None = None, kind: str = "council", **kw: Any) -> Organisation:
    org = Organisation(
        name=name or f"Organisation {next(_seq)}",
        kind=kind,
        levy_payer=kw.pop("levy_payer", kind != "business"),
        **kw,
    )
    db.session.add(org)
    db.session.flush()
    return org


def create_directorate(
    name: str | None = None,
    organisation: Organisation | None = None,
    headcount: int | None = None,
    pay_bill: Decimal | None = None,
    year: int = 2020,
    **kw: Any,
) -> Directorate:
    directorate = Directorate(
        name=name or f"Directorate {next(_seq)}",
        organisation=organisation or create_organisation(),
        **kw,
    )
    db.session.add(directorate)
    if headcount is not None:
        db.session.add(
            DirectorateYear(
                directorate=directorate,
                year=year,
                headcount=headcount,
                pay_bill=pay_bill or Decimal("0"),
            )
        )
    db.session.flush()
    return directorate


def create_user(
    role: str = "ld_team",
    email: str | None = None,
    password: str = PASSWORD,
    directorates: list[Directorate] | None = None,
    organisation: Organisation | None = None,
    **kw: Any,
) -> User:
    if role == "directorate_manager" and not directorates:
        directorates = [create_directorate()]
    if role == "employer" and organisation is None:
        organisation = create_organisation(kind="business")
    user = User(
        email=email or f"user{next(_seq)}@example.org",
        role=role,
        directorates=directorates or [],
        organisation=organisation,
        **kw,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def create_standard(
    reference: str | None = None,
    level: int = 3,
    band: Decimal | None = None,
    duration_months: int = 18,
    valid_from: date = date(2018, 8, 1),
    **kw: Any,
) -> Standard:
    standard = Standard(
        reference=reference or f"TST{next(_seq):05d}",
        title=kw.pop("title", "Business administrator"),
        level=level,
        route=kw.pop("route", "Business and administration"),
        duration_months=duration_months,
        **kw,
    )
    standard.bands.append(FundingBand(valid_from=valid_from, maximum=band or Decimal("5000")))
    db.session.add(standard)
    db.session.flush()
    return standard


def create_provider(
    name: str | None = None, employer_provider: bool = False, in_county: bool = True, **kw: Any
) -> Provider:
    n = next(_seq)
    provider = Provider(
        name=name or f"Provider {n}",
        ukprn=kw.pop("ukprn", f"{19000000 + n}"),
        employer_provider=employer_provider,
        in_county=in_county,
        **kw,
    )
    db.session.add(provider)
    db.session.flush()
    return provider


def create_apprentice(
    directorate: Directorate | None = None,
    standard: Standard | None = None,
    provider: Provider | None = None,
    planned_start: date = date(2020, 9, 1),
    planned_end: date = date(2022, 2, 28),
    status: str = "on programme",
    **kw: Any,
) -> Apprentice:
    directorate = directorate or create_directorate()
    n = next(_seq)
    apprentice = Apprentice(
        reference=kw.pop("reference", f"TAPP{n:05d}"),
        first_name=kw.pop("first_name", "Sam"),
        last_name=kw.pop("last_name", f"Apprentice{n}"),
        date_of_birth=kw.pop("date_of_birth", date(2000, 5, 17)),
        organisation=directorate.organisation,
        directorate=directorate,
        standard=standard or create_standard(),
        provider=provider or create_provider(),
        agreed_price=kw.pop("agreed_price", Decimal("5000")),
        planned_start=planned_start,
        planned_end=planned_end,
        actual_start=kw.pop("actual_start", planned_start if status != "future" else None),
        status=status,
        **kw,
    )
    db.session.add(apprentice)
    db.session.flush()
    return apprentice


def create_transaction(
    month: date,
    type: str,
    amount: Decimal | str,
    reference: str = "",
    **kw: Any,
) -> LevyTransaction:
    row = LevyTransaction(month=month, type=type, amount=Decimal(amount), reference=reference, **kw)
    db.session.add(row)
    db.session.flush()
    return row
