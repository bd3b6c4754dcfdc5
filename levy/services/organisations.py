"""Organisations and directorates: lookups and the directorate import."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from flask import current_app
from sqlalchemy.orm import contains_eager

from levy.domain.accounts import Actor
from levy.domain.import_rows import AgeRow, DirectorateRow
from levy.extensions import db
from levy.models import Directorate, DirectorateYear, Organisation
from levy.services.audit import record, snapshot, upsert_audited
from levy.services.imports import ImportSummary

YEAR_FIELDS = ("headcount", "pay_bill", "aged_under_30", "aged_50_plus", "aged_55_plus")


def find_organisation(name: str) -> Organisation | None:
    return db.session.execute(
        db.select(Organisation).where(db.func.lower(Organisation.name) == name.strip().lower())
    ).scalar_one_or_none()


def find_directorate(organisation: Organisation, name: str) -> Directorate | None:
    return db.session.execute(
        db.select(Directorate).where(
            Directorate.organisation_id == organisation.id,
            db.func.lower(Directorate.name) == name.strip().lower(),
        )
    ).scalar_one_or_none()


def directorates_called(name: str) -> list[Directorate]:
    """Every directorate with this name (any case), whatever its organisation."""
    return list(
        db.session.execute(
            db.select(Directorate)
            .join(Organisation)
            .where(db.func.lower(Directorate.name) == name.strip().lower())
        ).scalars()
    )


def get_or_create_organisation(name: str, actor: Actor, kind: str | None = None) -> Organisation:
    org = find_organisation(name)
    if org is None:
        if kind is None:
            council = current_app.config["COUNCIL_NAME"].lower()
            lowered = name.lower()
            # the directorate import is for the council and the companies it owns
            kind = "council" if lowered == council else "company"
        org = Organisation(name=name, kind=kind, levy_payer=kind in ("council", "company"))
        db.session.add(org)
        db.session.flush()
        record(
            actor,
            "organisation.created",
            "Organisation",
            org.id,
            None,
            {"name": org.name, "kind": org.kind},
        )
    return org


def get_or_create_directorate(org: Organisation, name: str, actor: Actor) -> Directorate:
    directorate = find_directorate(org, name)
    if directorate is None:
        directorate = Directorate(
            organisation=org, name=name, is_schools=name.strip().lower() == "schools"
        )
        db.session.add(directorate)
        db.session.flush()
        record(
            actor,
            "directorate.created",
            "Directorate",
            directorate.id,
            None,
            {"organisation": org.name, "name": name},
        )
    return directorate


def import_directorates(
    rows: list[DirectorateRow], ages: list[AgeRow], actor: Actor
) -> ImportSummary:
    """Create what is missing and set each year's figures; audited; flushes, never commits."""
    summary = ImportSummary(rows=len(rows))
    age_by_key = {(a.organisation.lower(), a.directorate.lower(), a.year): a for a in ages}
    for row in rows:
        org = get_or_create_organisation(row.organisation, actor)
        directorate = get_or_create_directorate(org, row.directorate, actor)
        year = db.session.execute(
            db.select(DirectorateYear).filter_by(directorate_id=directorate.id, year=row.year)
        ).scalar_one_or_none()
        age = age_by_key.get((row.organisation.lower(), row.directorate.lower(), row.year))
        values = {"headcount": row.headcount, "pay_bill": row.pay_bill}
        if age:
            values |= {
                "aged_under_30": age.under_30,
                "aged_50_plus": age.over_50,
                "aged_55_plus": age.over_55,
            }
        _, outcome = upsert_audited(
            actor,
            year,
            partial(DirectorateYear, directorate=directorate, year=row.year),
            values,
            YEAR_FIELDS,
            ("directorate_year.created", "directorate_year.updated"),
            created=partial(_year_created, directorate),
        )
        summary.count(outcome)
    db.session.flush()
    return summary


def _year_created(directorate: Directorate, year: DirectorateYear) -> dict[str, Any]:
    """A new year's audit entry: its figures, with the directorate and the year by name."""
    return snapshot(year, YEAR_FIELDS) | {"directorate": directorate.label, "year": year.year_label}


def directorates_for(user: object) -> list[Directorate]:
    """The directorates ``user`` may see (a directorate manager: their own; everyone else:
    all), with their organisations, by organisation then name."""
    query = (
        db.select(Directorate)
        .join(Organisation)
        .options(contains_eager(Directorate.organisation))
        .order_by(Organisation.name, Directorate.name)
    )
    if getattr(user, "role", None) == "directorate_manager":
        query = query.where(Directorate.id.in_([d.id for d in user.directorates]))  # type: ignore[attr-defined]  # a manager is a User, with directorates
    return list(db.session.execute(query).scalars())


def workforce_year(this_year: int) -> int | None:
    """The financial year (its starting year) with figures: ``this_year``, else the
    nearest before it, else the earliest there is; None if none are imported."""
    return (
        db.session.execute(
            db.select(db.func.max(DirectorateYear.year)).where(DirectorateYear.year <= this_year)
        ).scalar()
        or db.session.execute(db.select(db.func.min(DirectorateYear.year))).scalar()
    )


def workforce_by_organisation(year: int) -> list[tuple[str, int, Decimal]]:
    """(organisation, headcount, pay bill) for one financial year, by organisation name."""
    rows = db.session.execute(
        db.select(
            Organisation.name,
            db.func.sum(DirectorateYear.headcount),
            db.func.sum(DirectorateYear.pay_bill),
        )
        .join(Directorate, Directorate.organisation_id == Organisation.id)
        .join(DirectorateYear, DirectorateYear.directorate_id == Directorate.id)
        .where(DirectorateYear.year == year)
        .group_by(Organisation.name)
        .order_by(Organisation.name)
    ).all()
    return [(name, headcount, pay_bill) for name, headcount, pay_bill in rows]
