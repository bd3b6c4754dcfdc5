"""Counting apprentices: census records, the cohort on a date, a directorate's cohort page,
workforce age profiles, and the commitments the levy forecast pays."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from levy.domain.cohorts import (
    ApprenticeRecord,
    CohortCount,
    Status,
    age_at_start,
    commitment_for,
    count_cohort,
    future_cohort,
    starts_by_month,
)
from levy.domain.commitments import Commitment, ScheduledPayment, schedule
from levy.domain.money import format_percent
from levy.domain.months import add_months, financial_year, month_of
from levy.extensions import db
from levy.models import (
    Apprentice,
    Directorate,
    DirectorateYear,
    Organisation,
    Provider,
    Standard,
)
from levy.services.cohorts.lists import (
    apprentice_query,
    band_on,
    breaks_by_apprentice,
    funding_bands,
    load_rows,
)


def directorate_records(
    directorate_ids: Iterable[int] | None = None,
) -> list[tuple[int, ApprenticeRecord]]:
    """(directorate id, census record) for every apprenticeship: plain columns, two queries."""
    query = (
        db.select(
            Apprentice.id,
            Apprentice.directorate_id,
            Apprentice.reference,
            Apprentice.date_of_birth,
            Apprentice.planned_start,
            Apprentice.actual_start,
            Apprentice.status,
            Apprentice.status_date,
            Organisation.name,
            Directorate.name,
            Standard.reference,
            Standard.level,
            Provider.employer_provider,
        )
        .join(Organisation, Apprentice.organisation_id == Organisation.id)
        .join(Directorate, Apprentice.directorate_id == Directorate.id)
        .outerjoin(Standard, Apprentice.standard_id == Standard.id)
        .outerjoin(Provider, Apprentice.provider_id == Provider.id)
        .where(Apprentice.programme_type == "apprenticeship")
    )
    if directorate_ids is not None:
        query = query.where(Apprentice.directorate_id.in_(list(directorate_ids)))
    raw = db.session.execute(query).all()
    breaks = breaks_by_apprentice([r[0] for r in raw] if len(raw) < 900 else None)
    result = []
    for (
        apprentice_id,
        directorate_id,
        reference,
        born,
        planned,
        actual,
        status_text,
        status_date,
        org,
        directorate,
        standard,
        level,
        employer,
    ) in raw:
        status = Status(status_text)
        result.append(
            (
                directorate_id,
                ApprenticeRecord(
                    reference=reference,
                    organisation=org,
                    directorate=directorate,
                    level=level or "",
                    date_of_birth=born,
                    planned_start=planned,
                    actual_start=actual,
                    completed_on=status_date if status is Status.COMPLETED else None,
                    withdrawn_on=status_date if status is Status.WITHDRAWN else None,
                    cancelled_on=status_date if status is Status.CANCELLED else None,
                    breaks=tuple(breaks.get(apprentice_id, ())),
                    standard=standard or "",
                    route=""
                    if employer is None
                    else ("employer-provider" if employer else "external provider"),
                ),
            )
        )
    return result


def records(directorate_ids: Iterable[int] | None = None) -> list[ApprenticeRecord]:
    return [rec for _, rec in directorate_records(directorate_ids)]


def cohort(as_of: date, directorate_ids: Iterable[int] | None = None) -> CohortCount:
    return count_cohort(records(directorate_ids), as_of)


def commitments(as_of: date) -> list[tuple[str, Commitment]]:
    """Commitments of apprentices on programme on ``as_of`` and of the future cohort,
    for the levy forecast (issue 5 item 6)."""
    bands = funding_bands()
    result = []
    for row in load_rows(apprentice_query(), with_warnings=False):
        rec = row.record()
        if not (rec.on_programme(as_of) or rec.future(as_of)):
            continue
        a = row.apprentice
        start = a.actual_start or a.planned_start
        commitment = commitment_for(
            agreed_price=a.agreed_price,
            band_maximum=band_on(bands.get(a.standard_id, []), start),  # type: ignore[arg-type]  # has a standard
            start=start,
            planned_end=a.planned_end,
            status=Status(a.status),
            status_date=a.status_date,
            breaks=row.breaks,
        )
        if commitment is not None:
            result.append((a.reference, commitment))
    return result


@dataclass
class WorkforceProfile:
    """An organisation's staff ages (sum of its directorates' figures) beside its apprentices'."""

    organisation: str
    year: int | None = None
    headcount: int = 0
    under_30: int = 0
    aged_50_plus: int = 0
    aged_55_plus: int = 0
    apprentices: dict[str, int] = field(default_factory=dict)

    def share(self, value: int) -> str:
        return format_percent(Decimal(value) / self.headcount) if self.headcount else "–"


def workforce_profiles(
    as_of: date, directorate_ids: Iterable[int] | None = None
) -> list[WorkforceProfile]:
    """Per organisation, the latest year's age profile up to ``as_of``'s financial year and
    the ages of apprentices on programme on ``as_of`` (docs/rules.md §1: succession planning)."""
    year = financial_year(as_of).start.year
    wanted = None if directorate_ids is None else set(directorate_ids)
    query = (
        db.select(Organisation.name, Directorate.id, DirectorateYear)
        .join(Directorate, Directorate.organisation_id == Organisation.id)
        .join(DirectorateYear, DirectorateYear.directorate_id == Directorate.id)
        .where(DirectorateYear.year <= year, DirectorateYear.aged_50_plus.is_not(None))
        .order_by(DirectorateYear.year)
    )
    latest: dict[int, tuple[str, DirectorateYear]] = {}
    for org, directorate_id, figures in db.session.execute(query).all():
        if wanted is None or directorate_id in wanted:
            latest[directorate_id] = (org, figures)  # later years overwrite earlier ones
    profiles: dict[str, WorkforceProfile] = {}
    for org, figures in latest.values():
        p = profiles.setdefault(org, WorkforceProfile(org))
        p.year = max(p.year or figures.year, figures.year)
        p.headcount += figures.headcount
        p.under_30 += figures.aged_under_30 or 0
        p.aged_50_plus += figures.aged_50_plus or 0
        p.aged_55_plus += figures.aged_55_plus or 0
    for rec in records(directorate_ids):
        if not rec.on_programme(as_of):
            continue
        p = profiles.setdefault(rec.organisation, WorkforceProfile(rec.organisation))
        age = age_at_start(rec.date_of_birth, as_of)
        band = "under 30" if age < 30 else "50 and over" if age >= 50 else "30 to 49"
        p.apprentices[band] = p.apprentices.get(band, 0) + 1
    return [profiles[k] for k in sorted(profiles)]


def commitment_schedules(as_of: date) -> list[tuple[str, list[ScheduledPayment]]]:
    """Each commitment's payments month by month (docs/rules.md §3): what the levy forecast
    adds for apprentices on programme and the future cohort."""
    return [(reference, schedule(c)) for reference, c in commitments(as_of)]


def get_directorate(directorate_id: int) -> Directorate | None:
    return db.session.get(Directorate, directorate_id)


@dataclass
class DirectorateCohort:
    """A directorate's cohort page on ``as_of``: the count, starts in the last 12 months,
    the future cohort, the staff age profile of the latest year and apprentices' ages."""

    count: CohortCount
    months: dict[str, int]
    peak: int
    future: list[ApprenticeRecord]
    profile: dict[str, Any] | None
    apprentice_ages: dict[str, int]


def directorate_cohort(directorate: Directorate, as_of: date) -> DirectorateCohort:
    recs = records([directorate.id])
    months = starts_by_month(recs, add_months(month_of(as_of), -11), as_of)
    year = db.session.execute(
        db.select(DirectorateYear)
        .where(
            DirectorateYear.directorate_id == directorate.id,
            DirectorateYear.year <= financial_year(as_of).start.year,
        )
        .order_by(DirectorateYear.year.desc())
        .limit(1)
    ).scalar_one_or_none()
    profile = None
    if year is not None and year.headcount and year.aged_50_plus is not None:
        profile = {
            "under_30": year.aged_under_30,
            "aged_50_plus": year.aged_50_plus,
            "aged_55_plus": year.aged_55_plus,
            "headcount": year.headcount,
            "label": year.year_label,
        }
    on_programme = [r for r in recs if r.on_programme(as_of)]
    return DirectorateCohort(
        count=count_cohort(recs, as_of),
        months=months,
        peak=max(months.values()) if months else 0,
        future=future_cohort(recs, as_of),
        profile=profile,
        apprentice_ages={
            "under_30": sum(1 for r in on_programme if age_at_start(r.date_of_birth, as_of) < 30),
            "aged_50_plus": sum(
                1 for r in on_programme if age_at_start(r.date_of_birth, as_of) >= 50
            ),
            "total": len(on_programme),
        },
    )
