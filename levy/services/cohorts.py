"""Apprentices, standards, providers, cohorts and quotas: load, call the domain, write, audit.

Services flush and never commit; the view or command commits once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import selectinload

from levy.domain.cohorts import (
    FINAL,
    TRANSITIONS,
    ApprenticeRecord,
    CohortCount,
    Status,
    StatusTransitionError,
    age_at_start,
    check_record,
    commitment_for,
    count_cohort,
    transition,
)
from levy.domain.commitments import Break, Commitment, ScheduledPayment, schedule
from levy.domain.errors import DomainError
from levy.domain.money import format_percent, money_str
from levy.domain.months import financial_year, financial_year_starting
from levy.domain.programme_checks import ProgrammePlan, ProgrammeWarning, programme_warnings
from levy.domain.quotas import (
    DirectorateFigures,
    QuotaMethod,
    Rag,
    TargetLine,
    directorate_targets,
    public_sector_report,
    rag_status,
)
from levy.domain.screening import (
    RecruitRequest as RecruitRequestFacts,
)
from levy.domain.screening import (
    ScreeningOutcome,
    count_by_directorate,
    validate_request,
)
from levy.extensions import db
from levy.importers.cohorts import (
    APPRENTICES_SHEET,
    BREAKS_SHEET,
    ApprenticeRow,
    ProviderRow,
    StandardRow,
)
from levy.importers.workbook import ImportFailed, RowError
from levy.models import (
    Apprentice,
    ApprenticeBreak,
    ApprenticeStatusChange,
    Directorate,
    DirectorateYear,
    FundingBand,
    Organisation,
    Provider,
    Standard,
)
from levy.models.cohorts import QuotaSetting, RecruitRequest
from levy.services.audit import Actor, record, record_change, snapshot
from levy.services.imports import ImportSummary

APPRENTICE_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "organisation_id",
    "directorate_id",
    "standard_id",
    "provider_id",
    "agreed_price",
    "employment_start",
    "planned_start",
    "actual_start",
    "planned_end",
    "status",
    "status_date",
    "left_employment_on",
    "new_hire",
    "care_leaver",
    "ehc_plan",
)
STANDARD_FIELDS = ("title", "level", "route", "duration_months", "otj_minimum_hours")
PROVIDER_FIELDS = ("ukprn", "in_county", "employer_provider")


# --- standards and providers ----------------------------------------------------


def import_standards(rows: Sequence[StandardRow], actor: Actor) -> ImportSummary:
    """Create or update each standard and its dated bands; audited; idempotent."""
    summary = ImportSummary(rows=len(rows))
    existing = {s.reference: s for s in db.session.execute(db.select(Standard)).scalars()}
    new_here: set[str] = set()
    for row in rows:
        standard = existing.get(row.reference)
        values = {
            "title": row.title,
            "level": row.level,
            "route": row.route,
            "duration_months": row.duration_months,
        }
        if row.otj_minimum_hours is not None:  # a standard not on the sheet keeps its own
            values["otj_minimum_hours"] = row.otj_minimum_hours
        changed = False
        if standard is None:
            standard = Standard(reference=row.reference, **values)
            db.session.add(standard)
            db.session.flush()
            existing[row.reference] = standard
            record(
                actor,
                "standard.created",
                "Standard",
                standard.id,
                None,
                {"reference": row.reference, **values},
            )
            summary.created += 1
            new_here.add(row.reference)
            created = True
        else:
            created = row.reference in new_here  # a later band row of a standard just added
            before = snapshot(standard, STANDARD_FIELDS)
            for key, value in values.items():
                setattr(standard, key, value)
            changed = (
                record_change(actor, "standard.updated", standard, STANDARD_FIELDS, before)
                is not None
            )
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
                    "Providers", row.row, "UKPRN", f"{row.ukprn} already belongs to {other.name}"
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
        provider = by_name.get(row.name.lower())
        if provider is None:
            provider = Provider(name=row.name, **values)
            db.session.add(provider)
            db.session.flush()
            record(
                actor,
                "provider.created",
                "Provider",
                provider.id,
                None,
                {"name": row.name, **values},
            )
            summary.created += 1
            continue
        before = snapshot(provider, PROVIDER_FIELDS)
        for key, value in values.items():
            setattr(provider, key, value)
        if record_change(actor, "provider.updated", provider, PROVIDER_FIELDS, before):
            summary.changed += 1
        else:
            summary.unchanged += 1
    db.session.flush()
    return summary


# --- apprentices: import, status ---------------------------------------------------


def _lookups() -> tuple[dict, dict, dict, dict]:
    orgs = {o.name.lower(): o for o in db.session.execute(db.select(Organisation)).scalars()}
    directorates = {
        (d.organisation_id, d.name.lower()): d
        for d in db.session.execute(db.select(Directorate)).scalars()
    }
    standards = {s.reference.upper(): s for s in db.session.execute(db.select(Standard)).scalars()}
    providers = {p.name.lower(): p for p in db.session.execute(db.select(Provider)).scalars()}
    return orgs, directorates, standards, providers


def status_path(current: Status, target: Status) -> list[Status] | None:
    """The shortest chain of allowed moves from ``current`` to ``target`` (empty if equal)."""
    if current == target:
        return []
    queue: deque[tuple[Status, list[Status]]] = deque([(current, [])])
    seen = {current}
    while queue:
        status, path = queue.popleft()
        for nxt in sorted(TRANSITIONS[status]):
            if nxt in seen:
                continue
            if nxt == target:
                return [*path, nxt]
            seen.add(nxt)
            queue.append((nxt, [*path, nxt]))
    return None


def _move_date(apprentice: Apprentice, to: Status, breaks: Sequence[Break]) -> date:
    if to is Status.ON_PROGRAMME:
        closed = [b.end for b in breaks if b.end is not None]
        return (
            max(closed)
            if closed and apprentice.status == Status.BREAK
            else (apprentice.actual_start or apprentice.planned_start)
        )
    if to is Status.BREAK:
        open_ = [b.start for b in breaks if b.end is None]
        return open_[0] if open_ else apprentice.actual_start or apprentice.planned_start
    return apprentice.status_date or apprentice.planned_start


def import_apprentices(rows: Sequence[ApprenticeRow], actor: Actor) -> ImportSummary:
    """All or nothing: resolve every name first, then create or update; idempotent; audited."""
    orgs, directorates, standards, providers = _lookups()
    existing = {
        a.reference.lower(): a
        for a in db.session.execute(
            db.select(Apprentice).options(
                selectinload(Apprentice.breaks), selectinload(Apprentice.status_history)
            )
        ).scalars()
    }
    errors: list[RowError] = []
    resolved: list[tuple[ApprenticeRow, dict[str, Any]]] = []
    for row in rows:

        def err(column: str, message: str, row: ApprenticeRow = row) -> None:
            errors.append(RowError(APPRENTICES_SHEET, row.row, column, message))

        org = orgs.get(row.organisation.lower())
        if org is None:
            err("Organisation", f"'{row.organisation}' is not an organisation that is set up")
        directorate = directorates.get((org.id, row.directorate.lower())) if org else None
        if org is not None and directorate is None:
            err("Directorate", f"'{row.directorate}' is not a directorate of {org.name}")
        standard = standards.get(row.standard.upper())
        if standard is None:
            err("Standard", f"'{row.standard}' is not a standard that is set up")
        provider = providers.get(row.provider.lower())
        if provider is None:
            err("Provider", f"'{row.provider}' is not a provider that is set up")
        current = existing.get(row.reference.lower())
        if current is not None:
            path = status_path(Status(current.status), row.status)
            if path is None:
                err(
                    "Status",
                    f"{row.reference} is {current.status}: it cannot become {row.status.value}",
                )
        if org and directorate and standard and provider:
            values = {
                "first_name": row.first_name,
                "last_name": row.last_name,
                "date_of_birth": row.date_of_birth,
                "organisation_id": org.id,
                "directorate_id": directorate.id,
                "standard_id": standard.id,
                "provider_id": provider.id,
                "agreed_price": row.agreed_price,
                "employment_start": row.employment_start,
                "planned_start": row.start,
                "actual_start": None
                if row.status in (Status.FUTURE, Status.CANCELLED)
                else row.start,
                "planned_end": row.planned_end,
                "status": row.status.value,
                "status_date": row.status_date,
                "new_hire": row.new_hire,
                "care_leaver": row.care_leaver,
                "ehc_plan": row.ehc_plan,
            }
            if (
                current is not None
                and current.planned_start != row.start
                and (row.status not in (Status.FUTURE, Status.CANCELLED))
            ):
                values["planned_start"] = current.planned_start
            resolved.append((row, values))
    if errors:
        raise ImportFailed(errors)

    summary = ImportSummary(rows=len(rows))
    for row, values in resolved:
        apprentice = existing.get(row.reference.lower())
        if apprentice is None:
            apprentice = Apprentice(reference=row.reference, **values)
            if row.care_leaver:
                apprentice.care_leaver_consent_on = row.start
            db.session.add(apprentice)
            apprentice.breaks = [ApprenticeBreak(start=b.start, end=b.end) for b in row.breaks]
            apprentice.status_history = [
                ApprenticeStatusChange(
                    from_status=None,
                    to_status=row.status.value,
                    on=row.status_date
                    or next((b.start for b in row.breaks if b.end is None), row.start),
                    reason="imported",
                    recorded_by=actor.label,
                )
            ]
            db.session.flush()
            record(
                actor,
                "apprentice.created",
                "Apprentice",
                apprentice.id,
                None,
                {"reference": row.reference}
                | snapshot(apprentice, APPRENTICE_FIELDS)
                | {"breaks": _break_list(row.breaks)},
            )
            summary.created += 1
            continue
        before = snapshot(apprentice, APPRENTICE_FIELDS)
        old_status = Status(apprentice.status)
        for key, value in values.items():
            setattr(apprentice, key, value)
        breaks_before = _break_list(Break(b.start, b.end) for b in apprentice.breaks)
        breaks_after = _break_list(row.breaks)
        path = status_path(old_status, row.status) or []
        current = old_status
        for step in path:
            apprentice.status_history.append(
                ApprenticeStatusChange(
                    from_status=current.value,
                    to_status=step.value,
                    on=_move_date(apprentice, step, row.breaks),
                    reason="changed by import",
                    recorded_by=actor.label,
                )
            )
            current = step
        changed = (
            record_change(actor, "apprentice.updated", apprentice, APPRENTICE_FIELDS, before)
            is not None
        )
        if breaks_before != breaks_after:
            apprentice.breaks = [ApprenticeBreak(start=b.start, end=b.end) for b in row.breaks]
            record(
                actor,
                "apprentice.breaks_updated",
                "Apprentice",
                apprentice.id,
                {"breaks": breaks_before},
                {"breaks": breaks_after},
            )
            changed = True
        if changed:
            summary.changed += 1
        else:
            summary.unchanged += 1
    db.session.flush()
    return summary


def _break_list(breaks: Iterable[Break]) -> list[list[str | None]]:
    return [
        [b.start.isoformat(), b.end.isoformat() if b.end else None]
        for b in sorted(breaks, key=lambda b: b.start)
    ]


def apprentice_breaks(apprentice: Apprentice) -> list[Break]:
    return [Break(b.start, b.end) for b in apprentice.breaks]


def change_status(
    apprentice: Apprentice, target: Status | str, on: date, reason: str, actor: Actor
) -> ApprenticeStatusChange:
    """One move of the state machine: checked by the domain, breaks kept in step, audited.

    Raises ``StatusTransitionError`` (a DomainError) with a readable message."""
    target = Status(target)
    current = Status(apprentice.status)
    last = apprentice.status_history[-1].on if apprentice.status_history else None
    change = transition(current, target, on, reason, last_move_on=last)
    start = apprentice.actual_start or apprentice.planned_start
    if target is Status.ON_PROGRAMME and current is Status.FUTURE:
        apprentice.actual_start = on
    if target is not Status.CANCELLED and current is not Status.FUTURE and on < start:
        raise StatusTransitionError(
            f"The move to {target.value} on {on:%d %b %Y} is before the start {start:%d %b %Y}."
        )
    before = snapshot(apprentice, ("status", "status_date", "actual_start"))
    if target is Status.BREAK:
        apprentice.breaks.append(ApprenticeBreak(start=on, end=None))
    if current is Status.BREAK:
        for brk in apprentice.breaks:
            if brk.end is None:
                brk.end = on
    apprentice.status = target.value
    if target in FINAL:
        apprentice.status_date = on
        apprentice.end_reason = change.reason
    entry = ApprenticeStatusChange(
        from_status=current.value,
        to_status=target.value,
        on=on,
        reason=change.reason,
        recorded_by=actor.label,
    )
    apprentice.status_history.append(entry)
    db.session.flush()
    record(
        actor,
        "apprentice.status_changed",
        "Apprentice",
        apprentice.id,
        before,
        snapshot(apprentice, ("status", "status_date", "actual_start")) | {"reason": change.reason},
    )
    return entry


# --- warnings, records, commitments ------------------------------------------------


def plan_for(
    apprentice: Apprentice, band: Decimal | None, level: int | None, otj_minimum: int | None
) -> ProgrammePlan:
    return ProgrammePlan(
        start=apprentice.actual_start or apprentice.planned_start,
        planned_end=apprentice.planned_end,
        level=level or 0,
        date_of_birth=apprentice.date_of_birth,
        agreed_price=apprentice.agreed_price,
        band_maximum=band,
        weekly_hours=None if apprentice.weekly_hours is None else Decimal(apprentice.weekly_hours),
        otj_hours_planned=None
        if apprentice.otj_hours_planned is None
        else Decimal(apprentice.otj_hours_planned),
        standard_otj_minimum=None if otj_minimum is None else Decimal(otj_minimum),
        care_leaver=apprentice.care_leaver,
        ehc_plan=apprentice.ehc_plan,
    )


def warnings_for(apprentice: Apprentice) -> list[ProgrammeWarning]:
    standard = apprentice.standard
    if standard is None:
        return []
    start = apprentice.actual_start or apprentice.planned_start
    return programme_warnings(
        plan_for(apprentice, standard.band_on(start), standard.level, standard.otj_minimum_hours)
    )


def _bands_by_standard() -> dict[int, list[tuple[date, Decimal]]]:
    bands: dict[int, list[tuple[date, Decimal]]] = {}
    for band in db.session.execute(
        db.select(FundingBand).order_by(FundingBand.valid_from)
    ).scalars():
        bands.setdefault(band.standard_id, []).append((band.valid_from, band.maximum))
    return bands


def band_on(bands: Sequence[tuple[date, Decimal]], day: date) -> Decimal | None:
    current = None
    for valid_from, maximum in bands:
        if valid_from <= day:
            current = maximum
    return current


def _breaks_by_apprentice(ids: Iterable[int] | None = None) -> dict[int, list[Break]]:
    query = db.select(ApprenticeBreak).order_by(ApprenticeBreak.start)
    if ids is not None:
        query = query.where(ApprenticeBreak.apprentice_id.in_(list(ids)))
    result: dict[int, list[Break]] = {}
    for brk in db.session.execute(query).scalars():
        result.setdefault(brk.apprentice_id, []).append(Break(brk.start, brk.end))
    return result


@dataclass
class Row:
    """One apprentice with what lists need, loaded in bulk (no query per row)."""

    apprentice: Apprentice
    organisation: str
    directorate: str
    standard_reference: str
    standard_title: str
    level: int | None
    provider: str
    route: str
    breaks: list[Break] = field(default_factory=list)
    warnings: list[ProgrammeWarning] = field(default_factory=list)

    def record(self) -> ApprenticeRecord:
        a = self.apprentice
        status = Status(a.status)
        return ApprenticeRecord(
            reference=a.reference,
            organisation=self.organisation,
            directorate=self.directorate,
            level=self.level or "",
            date_of_birth=a.date_of_birth,
            planned_start=a.planned_start,
            actual_start=a.actual_start,
            completed_on=a.status_date if status is Status.COMPLETED else None,
            withdrawn_on=a.status_date if status is Status.WITHDRAWN else None,
            cancelled_on=a.status_date if status is Status.CANCELLED else None,
            breaks=tuple(self.breaks),
            standard=self.standard_reference,
            route=self.route,
        )


def _base_query() -> Any:
    return (
        db.select(
            Apprentice,
            Organisation.name,
            Directorate.name,
            Standard.reference,
            Standard.title,
            Standard.level,
            Standard.otj_minimum_hours,
            Provider.name,
            Provider.employer_provider,
        )
        .join(Organisation, Apprentice.organisation_id == Organisation.id)
        .join(Directorate, Apprentice.directorate_id == Directorate.id)
        .outerjoin(Standard, Apprentice.standard_id == Standard.id)
        .outerjoin(Provider, Apprentice.provider_id == Provider.id)
    )


def load_rows(
    query: Any,
    *,
    with_warnings: bool = True,
    bands: dict[int, list[tuple[date, Decimal]]] | None = None,
) -> list[Row]:
    """Rows for a query built on ``_base_query()``: three queries in all, whatever the size."""
    raw = db.session.execute(query).all()
    ids = [r[0].id for r in raw]
    breaks = _breaks_by_apprentice(ids if len(ids) < 900 else None)
    if with_warnings and bands is None:
        bands = _bands_by_standard()
    rows = []
    for a, org, dname, ref, title, level, otj_min, pname, employer in raw:
        row = Row(
            a,
            org,
            dname,
            ref or "",
            title or "",
            level,
            pname or "",
            "" if pname is None else ("employer-provider" if employer else "external provider"),
            breaks.get(a.id, []),
        )
        if with_warnings and ref is not None:
            start = a.actual_start or a.planned_start
            row.warnings = programme_warnings(
                plan_for(a, band_on(bands.get(a.standard_id, []), start), level, otj_min)  # type: ignore[union-attr]
            )
        rows.append(row)
    return rows


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
    breaks = _breaks_by_apprentice([r[0] for r in raw] if len(raw) < 900 else None)
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
    bands = _bands_by_standard()
    query = _base_query().where(Apprentice.programme_type == "apprenticeship")
    result = []
    for row in load_rows(query, with_warnings=False):
        rec = row.record()
        if not (rec.on_programme(as_of) or rec.future(as_of)):
            continue
        a = row.apprentice
        start = a.actual_start or a.planned_start
        commitment = commitment_for(
            agreed_price=a.agreed_price,
            band_maximum=band_on(bands.get(a.standard_id, []), start),
            start=start,
            planned_end=a.planned_end,
            status=Status(a.status),
            status_date=a.status_date,
            breaks=row.breaks,
        )
        if commitment is not None:
            result.append((a.reference, commitment))
    return result


def commitment_of(apprentice: Apprentice) -> Commitment | None:
    """One apprentice's commitment (band-capped, paused by breaks, stopped by withdrawal),
    or None without a standard or for a cancelled start; read-only."""
    if apprentice.standard is None:
        return None
    start = apprentice.actual_start or apprentice.planned_start
    return commitment_for(
        agreed_price=apprentice.agreed_price,
        band_maximum=apprentice.standard.band_on(start),
        start=start,
        planned_end=apprentice.planned_end,
        status=Status(apprentice.status),
        status_date=apprentice.status_date,
        breaks=apprentice_breaks(apprentice),
    )


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
    the ages of apprentices on programme on ``as_of`` (DOMAIN.md §1: succession planning)."""
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
    """Each commitment's payments month by month (DOMAIN.md §3): what the levy forecast
    adds for apprentices on programme and the future cohort."""
    return [(reference, schedule(c)) for reference, c in commitments(as_of)]


# --- quotas --------------------------------------------------------------------------


def quota_method(year: int) -> QuotaMethod:
    setting = db.session.execute(db.select(QuotaSetting).filter_by(year=year)).scalar_one_or_none()
    return QuotaMethod(setting.method) if setting else QuotaMethod.HEADCOUNT


def set_quota_method(year: int, method: QuotaMethod | str, actor: Actor) -> None:
    method = QuotaMethod(method)
    setting = db.session.execute(db.select(QuotaSetting).filter_by(year=year)).scalar_one_or_none()
    before = None if setting is None else {"method": setting.method}
    if setting is None:
        setting = QuotaSetting(year=year, method=method.value)
        db.session.add(setting)
    setting.method = method.value
    db.session.flush()
    if before != {"method": method.value}:
        record(
            actor,
            "quota_method.set",
            "QuotaSetting",
            setting.id,
            before,
            {"year": year, "method": method.value},
        )


@dataclass
class QuotaLine:
    directorate_id: int
    organisation: str
    directorate: str
    headcount: int
    target_starts: Decimal
    starts: list[str]
    on_programme: list[str]
    rag: Rag

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "directorate": self.directorate,
            "headcount": self.headcount,
            "target_starts": money_str(self.target_starts),
            "starts": len(self.starts),
            "on_programme": len(self.on_programme),
            "rag": self.rag.value,
        }


def quotas(
    year: int,
    today: date,
    directorate_ids: Iterable[int] | None = None,
    method: QuotaMethod | None = None,
) -> list[QuotaLine]:
    """One line per directorate with figures for the financial year from 1 April ``year``.

    Targets are shared across every directorate (the pay-bill method needs the whole
    council), then filtered to ``directorate_ids`` if given."""
    fy = financial_year_starting(year)
    as_of = min(fy.end, today)
    method = method or quota_method(year)
    figures_rows = db.session.execute(
        db.select(Directorate, Organisation.name, DirectorateYear)
        .join(Organisation, Directorate.organisation_id == Organisation.id)
        .outerjoin(
            DirectorateYear,
            (DirectorateYear.directorate_id == Directorate.id) & (DirectorateYear.year == year),
        )
        .order_by(Organisation.name, Directorate.name)
    ).all()
    figures = [
        DirectorateFigures(org, d.name, y.headcount if y else 0, y.pay_bill if y else Decimal(0))
        for d, org, y in figures_rows
    ]
    if method is QuotaMethod.PAY_BILL and sum(f.pay_bill for f in figures) <= 0:
        method = QuotaMethod.HEADCOUNT
    targets = directorate_targets(figures, year, method)
    wanted = None if directorate_ids is None else set(directorate_ids)
    by_directorate: dict[int, list[ApprenticeRecord]] = {}
    for directorate_id, rec in directorate_records(wanted):
        by_directorate.setdefault(directorate_id, []).append(rec)
    lines = []
    for (d, org, _y), fig in zip(figures_rows, figures, strict=True):
        if wanted is not None and d.id not in wanted:
            continue
        recs = by_directorate.get(d.id, [])
        starts = [
            r.reference
            for r in recs
            if r.actual_start is not None and r.actual_start in fy and r.actual_start <= as_of
        ]
        on_programme = [r.reference for r in recs if r.on_programme(as_of)]
        target = targets[(org, d.name)]
        lines.append(
            QuotaLine(
                d.id,
                org,
                d.name,
                fig.headcount,
                target,
                sorted(starts),
                sorted(on_programme),
                rag_status(target, len(starts), fy, as_of),
            )
        )
    return lines


def target_report(year: int) -> list[TargetLine]:
    """The public-sector target report: starts in the year ÷ headcount at its start."""
    headcounts: dict[str, int] = {}
    for org, heads in db.session.execute(
        db.select(Organisation.name, db.func.sum(DirectorateYear.headcount))
        .join(Directorate, Directorate.organisation_id == Organisation.id)
        .join(DirectorateYear, DirectorateYear.directorate_id == Directorate.id)
        .where(DirectorateYear.year == year)
        .group_by(Organisation.name)
    ).all():
        headcounts[org] = int(heads or 0)
    fy = financial_year_starting(year)
    starts = db.session.execute(
        db.select(Organisation.name, Apprentice.actual_start)
        .join(Organisation, Apprentice.organisation_id == Organisation.id)
        .where(
            Apprentice.actual_start >= fy.start,
            Apprentice.actual_start <= fy.end,
            Apprentice.programme_type == "apprenticeship",
        )
    ).all()
    return public_sector_report(headcounts, [(o, s) for o, s in starts], year)


# --- screening -----------------------------------------------------------------------


def log_screening(
    directorate: Directorate,
    job_title: str,
    received_on: date,
    outcome: ScreeningOutcome | str,
    reason: str,
    actor: Actor,
    social_worker: bool = False,
) -> RecruitRequest:
    outcome = ScreeningOutcome(outcome)
    validate_request(
        RecruitRequestFacts(
            directorate.name, job_title, received_on, outcome, reason, social_worker
        )
    )
    entry = RecruitRequest(
        directorate=directorate,
        job_title=job_title,
        received_on=received_on,
        outcome=outcome.value,
        reason=reason.strip(),
        recorded_by=actor.label,
    )
    db.session.add(entry)
    db.session.flush()
    record(
        actor,
        "recruit_request.screened",
        "RecruitRequest",
        entry.id,
        None,
        {
            "directorate": directorate.label,
            "job_title": job_title,
            "outcome": outcome.value,
            "reason": reason,
        },
    )
    return entry


def screening_counts(directorate_ids: Iterable[int] | None = None) -> dict[str, dict[str, int]]:
    query = db.select(Directorate, RecruitRequest).join(
        RecruitRequest, RecruitRequest.directorate_id == Directorate.id
    )
    if directorate_ids is not None:
        query = query.where(Directorate.id.in_(list(directorate_ids)))
    return count_by_directorate(
        RecruitRequestFacts(
            d.label, r.job_title, r.received_on, ScreeningOutcome(r.outcome), r.reason
        )
        for d, r in db.session.execute(query).all()
    )


# --- the add and edit forms ----------------------------------------------------------

FORM_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "manager",
    "job_title",
    "employment_start",
    "planned_end",
    "left_employment_on",
    "new_hire",
    "care_leaver",
    "ehc_plan",
    "weekly_hours",
    "otj_hours_planned",
    "otj_hours_logged",
)
EDIT_AUDIT = (
    *FORM_FIELDS,
    "directorate_id",
    "organisation_id",
    "standard_id",
    "provider_id",
    "agreed_price",
    "planned_start",
    "actual_start",
)
# the domain's field labels and the form fields they belong to
_FIELD_OF_LABEL = {
    "Planned end date": "planned_end",
    "Date of birth": "date_of_birth",
    "Employment start": "employment_start",
}


class ApprenticeProblems(DomainError):
    """What is wrong with an add or edit, as (form field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def save_apprentice(
    a: Apprentice | None, values: dict[str, Any], actor: Actor, today: date
) -> Apprentice:
    """Add (``a`` is None) or edit an apprentice from the form's values, after the
    domain's checks; audited; flushes. Raises ``ApprenticeProblems``, writing nothing."""
    start = values["start"]
    status = Status(a.status) if a else Status.FUTURE
    if a is None and start <= today:
        status = Status.ON_PROGRAMME
    problems = [
        (_FIELD_OF_LABEL.get(label, "start"), f"{label}: {message}")
        for label, message in check_apprentice(
            {
                "date_of_birth": values["date_of_birth"],
                "start": start,
                "planned_end": values["planned_end"],
                "status": status,
                "status_date": a.status_date if a else None,
                "employment_start": values["employment_start"],
            },
            apprentice_breaks(a) if a else [],
        )
    ]
    left = values.get("left_employment_on")
    if left and left < start:
        problems.append(
            ("left_employment_on", "Left employment on must be the same as or after the start date")
        )
    reference = (values["reference"] or "").strip()
    duplicate = db.session.execute(
        db.select(Apprentice.id).where(db.func.lower(Apprentice.reference) == reference.lower())
    ).scalar_one_or_none()
    if duplicate is not None and (a is None or duplicate != a.id):
        problems.append(("reference", "That reference is already used"))
    directorate = db.session.get(Directorate, values["directorate_id"])
    if directorate is None:
        problems.append(("directorate_id", "Select the directorate"))
    if problems:
        raise ApprenticeProblems(problems)
    assert directorate is not None
    creating = a is None
    before = snapshot(a, EDIT_AUDIT) if a else None
    if a is None:
        a = Apprentice(status=status.value)
        db.session.add(a)
    for name in FORM_FIELDS:
        value = values[name]
        setattr(a, name, value.strip() if isinstance(value, str) else value)
    a.directorate_id = directorate.id
    a.organisation_id = directorate.organisation_id
    a.standard_id = values["standard_id"]
    a.provider_id = values["provider_id"]
    a.agreed_price = values["agreed_price"]
    if status is Status.FUTURE or creating:
        a.planned_start = start
    if status is not Status.FUTURE:
        a.actual_start = start
    if a.care_leaver and a.care_leaver_consent_on is None:
        a.care_leaver_consent_on = today
    db.session.flush()
    if creating:
        a.status_history.append(
            ApprenticeStatusChange(
                from_status=None,
                to_status=status.value,
                on=start,
                reason="added",
                recorded_by=actor.label,
            )
        )
        record(actor, "apprentice.created", "Apprentice", a.id, None, snapshot(a, EDIT_AUDIT))
    else:
        record_change(actor, "apprentice.updated", a, EDIT_AUDIT, before or {})
    db.session.flush()
    return a


def check_apprentice(values: dict[str, Any], breaks: Sequence[Break] = ()) -> list[tuple[str, str]]:
    """Domain checks for a form: (field label, message)."""
    start = values["start"]
    problems = check_record(
        date_of_birth=values["date_of_birth"],
        start=start,
        planned_end=values["planned_end"],
        status=Status(values["status"]),
        status_date=values.get("status_date"),
        breaks=breaks,
        employment_start=values.get("employment_start"),
    )
    return [(p.field, p.message) for p in problems]


# --- export --------------------------------------------------------------------------


def export_rows(query: Any | None = None) -> tuple[list[list[Any]], list[list[Any]]]:
    """(apprentice rows, break rows) with the import template's columns, in reference order."""
    query = query if query is not None else _base_query()
    query = query.where(Apprentice.programme_type == "apprenticeship").order_by(
        Apprentice.reference
    )
    rows = load_rows(query, with_warnings=False)
    people, breaks = [], []
    for row in rows:
        a = row.apprentice
        people.append(
            [
                a.reference,
                a.first_name,
                a.last_name,
                a.date_of_birth,
                row.organisation,
                row.directorate,
                row.standard_reference,
                row.provider,
                a.agreed_price,
                a.employment_start,
                a.actual_start or a.planned_start,
                a.planned_end,
                a.status,
                a.status_date,
                "yes" if a.new_hire else "no",
                "yes" if a.care_leaver else "no",
                "yes" if a.ehc_plan else "no",
            ]
        )
        breaks.extend([a.reference, b.start, b.end] for b in row.breaks)
    return people, breaks


def export_sheets(query: Any | None = None) -> dict[str, Any]:
    """The apprentices download (web and ``flask levy export``), written by ``levy.exports``;
    its sheets and headers are the import's, so it re-imports unchanged."""
    from levy.importers.cohorts import APPRENTICES_HEADER, BREAKS_HEADER

    people, breaks = export_rows(query)
    return {
        APPRENTICES_SHEET: (APPRENTICES_HEADER, people),
        BREAKS_SHEET: (BREAKS_HEADER, breaks),
    }


def write_apprentices(path: str, fmt: str) -> int:
    from levy.exports import write_file

    sheets = export_sheets()
    write_file(path, fmt, sheets)
    return len(sheets[APPRENTICES_SHEET][1])
