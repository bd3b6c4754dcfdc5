"""Standards (with their dated funding bands) and training providers: imports and lookups."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from levy.domain.accounts import Actor
from levy.domain.cohort_rows import PROVIDERS_SHEET, ProviderRow, StandardRow
from levy.domain.errors import ImportFailed, RowError
from levy.extensions import db
from levy.models import FundingBand, Provider, Standard
from levy.services.audit import record, upsert_audited
from levy.services.imports import ImportSummary

STANDARD_FIELDS = ("title", "level", "route", "duration_months", "otj_minimum_hours")
PROVIDER_FIELDS = ("ukprn", "in_county", "employer_provider")


def standard_choices() -> list[Any]:
    """(id, reference, title) of every standard, by reference."""
    return list(
        db.session.execute(
            db.select(Standard.id, Standard.reference, Standard.title).order_by(Standard.reference)
        ).all()
    )


def provider_choices() -> list[Any]:
    """(id, name) of every provider, by name."""
    return list(
        db.session.execute(db.select(Provider.id, Provider.name).order_by(Provider.name)).all()
    )


def import_standards(rows: Sequence[StandardRow], actor: Actor) -> ImportSummary:
    """Create or update each standard and its dated bands; audited; idempotent."""
    summary = ImportSummary(rows=len(rows))
    existing = {s.reference: s for s in db.session.execute(db.select(Standard)).scalars()}
    new_here: set[str] = set()
    for row in rows:
        values = {
            "title": row.title,
            "level": row.level,
            "route": row.route,
            "duration_months": row.duration_months,
        }
        if row.otj_minimum_hours is not None:  # a standard not on the sheet keeps its own
            values["otj_minimum_hours"] = row.otj_minimum_hours
        created = row.reference in new_here  # a later band row of a standard just added
        standard, outcome = upsert_audited(
            actor,
            existing.get(row.reference),
            partial(Standard, reference=row.reference),
            values,
            STANDARD_FIELDS,
            ("standard.created", "standard.updated"),
            created={"reference": row.reference, **values},
        )
        if outcome == "created":
            existing[row.reference] = standard
            summary.created += 1
            new_here.add(row.reference)
            created = True
        changed = outcome == "changed"
        band = next((b for b in standard.bands if b.valid_from == row.valid_from), None)
        if band is None:
            band = FundingBand(valid_from=row.valid_from, maximum=row.band_maximum)
            standard.bands.append(band)
            db.session.flush()
            record(
                actor,
                "funding_band.created",
                "FundingBand",
                band.id,
                None,
                {
                    "standard": row.reference,
                    "valid_from": row.valid_from,
                    "maximum": row.band_maximum,
                },
            )
            changed = True
        elif band.maximum != row.band_maximum:
            record(
                actor,
                "funding_band.updated",
                "FundingBand",
                band.id,
                {"maximum": band.maximum},
                {"maximum": row.band_maximum},
            )
            band.maximum = row.band_maximum
            changed = True
        if created:
            continue
        if changed:
            summary.changed += 1
        else:
            summary.unchanged += 1
    db.session.flush()
    return summary


def import_providers(rows: Sequence[ProviderRow], actor: Actor) -> ImportSummary:
    summary = ImportSummary(rows=len(rows))
    by_name = {p.name.lower(): p for p in db.session.execute(db.select(Provider)).scalars()}
    by_ukprn = {p.ukprn: p for p in by_name.values()}
    errors = []
    for row in rows:
        other = by_ukprn.get(row.ukprn)
        if other is not None and other.name.lower() != row.name.lower():
            errors.append(
                RowError(
                    PROVIDERS_SHEET,
                    row.row,
                    "UKPRN",
                    f"{row.ukprn} already belongs to {other.name}",
                )
            )
    if errors:
        raise ImportFailed(errors)
    for row in rows:
        values = {
            "ukprn": row.ukprn,
            "in_county": row.in_county,
            "employer_provider": row.employer_provider,
        }
        _, outcome = upsert_audited(
            actor,
            by_name.get(row.name.lower()),
            partial(Provider, name=row.name),
            values,
            PROVIDER_FIELDS,
            ("provider.created", "provider.updated"),
            created={"name": row.name, **values},
        )
        summary.count(outcome)
    db.session.flush()
    return summary
