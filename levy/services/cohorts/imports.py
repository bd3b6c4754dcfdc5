"""The apprentices import: every row's names resolved and checked first (all or nothing),
then each apprentice created or updated with its breaks and status moves, audited; a second
run of the same file changes nothing. ``preview_import`` is the same as a dry run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import selectinload

from levy.domain.accounts import Actor
from levy.domain.cohort_rows import APPRENTICES_SHEET, ApprenticeRow, name_problems
from levy.domain.cohorts import Status
from levy.domain.commitments import Break
from levy.domain.errors import ImportFailed, RowError
from levy.domain.money import format_money
from levy.domain.months import format_day
from levy.extensions import db
from levy.models import Apprentice, ApprenticeBreak, ApprenticeStatusChange
from levy.services.audit import record, snapshot, upsert_audited
from levy.services.cohorts.apprentices import (
    APPRENTICE_FIELDS,
    _known,
    _lookups,
    _move_date,
    status_path,
)
from levy.services.imports import ImportLine, ImportSummary

NOT_STARTED = (Status.FUTURE, Status.CANCELLED)


@dataclass(frozen=True)
class _Lookups:
    """What the workbook's names resolve to, and the apprentices already stored."""

    orgs: dict[str, Any]
    directorates: dict[tuple[int, str], Any]
    standards: dict[str, Any]
    providers: dict[str, Any]
    existing: dict[str, Apprentice]

    def shown_names(self) -> dict[str, dict[int, str]]:
        """How the preview shows an id: the name (or a standard's reference)."""
        return {
            "organisation_id": {o.id: o.name for o in self.orgs.values()},
            "directorate_id": {d.id: d.name for d in self.directorates.values()},
            "standard_id": {x.id: x.reference for x in self.standards.values()},
            "provider_id": {p.id: p.name for p in self.providers.values()},
        }


def import_apprentices(rows: Sequence[ApprenticeRow], actor: Actor) -> ImportSummary:
    """All or nothing: resolve every name first, then create or update; idempotent; audited."""
    found = _load()
    resolved = _resolve(rows, found)
    summary = ImportSummary(rows=len(rows))
    names = found.shown_names()
    for row, values in resolved:
        current = found.existing.get(row.reference.lower())
        if current is None:
            _create(row, values, actor)
            summary.created += 1
            summary.lines.append(
                ImportLine(row.reference, f"{row.first_name} {row.last_name}", "new")
            )
            continue
        changes = _update(current, row, values, names, actor)
        if changes is None:
            summary.unchanged += 1
        else:
            summary.changed += 1
            summary.lines.append(
                ImportLine(row.reference, f"{row.first_name} {row.last_name}", "changed", changes)
            )
    db.session.flush()
    return summary


def preview_import(rows: Sequence[ApprenticeRow], actor: Actor) -> ImportSummary:
    """What ``import_apprentices`` would do, as a dry run: written inside a savepoint that
    is rolled back, so nothing is kept. Raises ``ImportFailed`` like the import."""
    trial = db.session.begin_nested()
    try:
        return import_apprentices(rows, actor)
    finally:
        trial.rollback()


# --- validate: resolve each row's names and check it against what is stored ----------


def _load() -> _Lookups:
    orgs, directorates, standards, providers = _lookups()
    existing = {
        a.reference.lower(): a
        for a in db.session.execute(
            db.select(Apprentice).options(
                selectinload(Apprentice.breaks), selectinload(Apprentice.status_history)
            )
        ).scalars()
    }
    return _Lookups(orgs, directorates, standards, providers, existing)


def _resolve(
    rows: Sequence[ApprenticeRow], found: _Lookups
) -> list[tuple[ApprenticeRow, dict[str, Any]]]:
    """Each row with the values it sets, or ``ImportFailed`` with every problem in the file."""
    known = _known(found.orgs, found.directorates, found.standards, found.providers)
    errors: list[RowError] = []
    resolved: list[tuple[ApprenticeRow, dict[str, Any]]] = []
    in_file = {r.reference.lower() for r in rows if r.uln_given}
    ulns = {  # ULN -> record keeping it (the file's rows set their own; the reader checks those)
        a.uln: key for key, a in found.existing.items() if a.uln and key not in in_file
    }
    for row in rows:

        def err(column: str, message: str, row: ApprenticeRow = row) -> None:
            errors.append(RowError(APPRENTICES_SHEET, row.row, column, message))

        for column, message in name_problems(
            known, row.organisation, row.directorate, row.standard, row.provider
        ):
            err(column, message)
        current = found.existing.get(row.reference.lower())
        if current is not None and status_path(Status(current.status), row.status) is None:
            err(
                "Status",
                f"{row.reference} is {current.status}: it cannot become {row.status.value}",
            )
        values = _values(row, found, current)
        if values is None:
            continue
        if row.uln_given:  # files without the optional ULN column leave ULNs alone
            values["uln"] = row.uln
            holder = ulns.get(row.uln) if row.uln else None
            if holder is not None and holder != row.reference.lower():
                err("ULN", f"ULN {row.uln} is already on the record of {holder.upper()}")
        resolved.append((row, values))
    if errors:
        raise ImportFailed(errors)
    return resolved


def _values(
    row: ApprenticeRow, found: _Lookups, current: Apprentice | None
) -> dict[str, Any] | None:
    """What the row sets on the apprentice, or None when one of its names is unknown."""
    org = found.orgs.get(row.organisation.lower())
    directorate = found.directorates.get((org.id, row.directorate.lower())) if org else None
    standard = found.standards.get(row.standard.upper())
    provider = found.providers.get(row.provider.lower())
    if not (org and directorate and standard and provider):
        return None
    started = row.status not in NOT_STARTED
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "date_of_birth": row.date_of_birth,
        "organisation_id": org.id,
        "directorate_id": directorate.id,
        "standard_id": standard.id,
        "provider_id": provider.id,
        "agreed_price": row.agreed_price,
        "employment_start": row.employment_start,
        # a started apprenticeship keeps the planned start it had
        "planned_start": current.planned_start
        if current is not None and current.planned_start != row.start and started
        else row.start,
        "actual_start": row.start if started else None,
        "planned_end": row.planned_end,
        "status": row.status.value,
        "status_date": row.status_date,
        "new_hire": row.new_hire,
        "care_leaver": row.care_leaver,
        "ehc_plan": row.ehc_plan,
    }


# --- write: create a new apprentice, or update one and say what changed -------------


def _create(row: ApprenticeRow, values: dict[str, Any], actor: Actor) -> Apprentice:
    def new() -> Apprentice:
        apprentice = Apprentice(reference=row.reference)
        if row.care_leaver:
            apprentice.care_leaver_consent_on = row.start
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
        return apprentice

    apprentice, _ = upsert_audited(
        actor,
        None,
        new,
        values,
        APPRENTICE_FIELDS,
        ("apprentice.created", "apprentice.updated"),
        created=lambda a: (
            {"reference": row.reference}
            | snapshot(a, APPRENTICE_FIELDS)
            | {"breaks": _break_list(row.breaks)}
        ),
    )
    return apprentice


def _update(
    apprentice: Apprentice,
    row: ApprenticeRow,
    values: dict[str, Any],
    names: dict[str, dict[int, str]],
    actor: Actor,
) -> tuple[tuple[str, str, str], ...] | None:
    """Update the apprentice from the row: its values, the status moves that get it to the
    row's status, and its breaks, audited. The (column, old, new) changes, or None if none."""
    shown_before = {key: getattr(apprentice, key) for key in values}
    old_status = Status(apprentice.status)

    def move_status(a: Apprentice) -> None:
        current = old_status
        for step in status_path(old_status, row.status) or []:
            a.status_history.append(
                ApprenticeStatusChange(
                    from_status=current.value,
                    to_status=step.value,
                    on=_move_date(a, step, row.breaks),
                    reason="changed by import",
                    recorded_by=actor.label,
                )
            )
            current = step

    _, outcome = upsert_audited(
        actor,
        apprentice,
        lambda: apprentice,
        values,
        APPRENTICE_FIELDS,
        ("apprentice.created", "apprentice.updated"),
        check=move_status,
    )
    breaks_before = _break_list(Break(b.start, b.end) for b in apprentice.breaks)
    breaks_after = _break_list(row.breaks)
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
        breaks = ("Breaks", _breaks_text(breaks_before), _breaks_text(breaks_after))
        return (*_changes(shown_before, values, names), breaks)
    return _changes(shown_before, values, names) if outcome == "changed" else None


# --- summarise: each change as the preview shows it ---------------------------------

# each imported value's column in the workbook, for the preview's list of changes
_COLUMN = {
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "organisation_id": "Organisation",
    "directorate_id": "Directorate",
    "standard_id": "Standard",
    "provider_id": "Provider",
    "agreed_price": "Agreed price",
    "employment_start": "Employment start",
    "planned_start": "Planned start",
    "actual_start": "Start date",
    "planned_end": "Planned end date",
    "status": "Status",
    "status_date": "Status date",
    "new_hire": "New hire",
    "care_leaver": "Care leaver",
    "ehc_plan": "EHC plan",
    "uln": "ULN",
}


def _shown(key: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    if value is None or value == "":
        return "blank"
    if key in names:
        return names[key].get(value, str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return format_day(value)
    if key == "agreed_price":
        return format_money(value)
    return str(value)


def _changes(
    before: dict[str, Any], after: dict[str, Any], names: dict[str, dict[int, str]]
) -> tuple[tuple[str, str, str], ...]:
    """(column, old, new) for each value the import changes, in the workbook's order."""
    out = []
    for key, value in after.items():
        old, new = _shown(key, before.get(key), names), _shown(key, value, names)
        if old != new:
            out.append((_COLUMN.get(key, key), old, new))
    return tuple(out)


def _breaks_text(breaks: list[list[str | None]]) -> str:
    if not breaks:
        return "none"
    return ", ".join(
        f"{format_day(date.fromisoformat(s))} to "  # type: ignore[arg-type]  # a break has a start
        + (format_day(date.fromisoformat(e)) if e else "open")
        for s, e in breaks
    )


def _break_list(breaks: Iterable[Break]) -> list[list[str | None]]:
    return [
        [b.start.isoformat(), b.end.isoformat() if b.end else None]
        for b in sorted(breaks, key=lambda b: b.start)
    ]
