"""Apprentices: the add and edit form, status changes and breaks in learning (the import is
in ``imports``)."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from levy.domain.accounts import Actor
from levy.domain.cohort_rows import KnownNames
from levy.domain.cohorts import (
    FINAL,
    TRANSITIONS,
    Status,
    StatusTransitionError,
    check_record,
    transition,
)
from levy.domain.commitments import Break
from levy.domain.errors import Problems
from levy.domain.months import format_day
from levy.extensions import db
from levy.models import (
    Apprentice,
    ApprenticeBreak,
    ApprenticeStatusChange,
    Directorate,
    Organisation,
    Provider,
    Standard,
)
from levy.services.audit import record, record_change, snapshot
from levy.services.locks import is_unique_violation

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
    "uln",
)


def _lookups() -> tuple[dict, dict, dict, dict]:
    orgs = {o.name.lower(): o for o in db.session.execute(db.select(Organisation)).scalars()}
    directorates = {
        (d.organisation_id, d.name.lower()): d
        for d in db.session.execute(db.select(Directorate)).scalars()
    }
    standards = {s.reference.upper(): s for s in db.session.execute(db.select(Standard)).scalars()}
    providers = {p.name.lower(): p for p in db.session.execute(db.select(Provider)).scalars()}
    return orgs, directorates, standards, providers


def _known(orgs: dict, directorates: dict, standards: dict, providers: dict) -> KnownNames:
    org_key = {o.id: key for key, o in orgs.items()}
    return KnownNames(
        organisations={key: o.name for key, o in orgs.items()},
        directorates={
            (org_key[org_id], name): d.name
            for (org_id, name), d in directorates.items()
            if org_id in org_key
        },
        standards={key: s.reference for key, s in standards.items()},
        providers={key: p.name for key, p in providers.items()},
    )


def known_names() -> KnownNames:
    """The organisations, directorates, standards and providers set up, for the importer
    to check an apprentices workbook's names in the same pass as its cells."""
    return _known(*_lookups())


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


def apprentice_breaks(apprentice: Apprentice) -> list[Break]:
    return [Break(b.start, b.end) for b in apprentice.breaks]


def status_change_problems(
    apprentice: Apprentice, target: Status | str | None, on: date | None, reason: str | None
) -> list[tuple[str, str]]:
    """What is wrong with a status change, as (form field, message), checking what was
    given (``None`` for what the form could not read); writes nothing."""
    current = Status(apprentice.status)
    problems: list[tuple[str, str]] = []
    if target is None or on is None:
        return problems
    target = Status(target)
    last = apprentice.status_history[-1].on if apprentice.status_history else None
    try:
        transition(current, target, on, reason or "-", last_move_on=last)
    except StatusTransitionError as exc:
        field = "status" if target not in TRANSITIONS[current] else "on"
        problems.append((field, str(exc)))
        return problems
    start = apprentice.actual_start or apprentice.planned_start
    if target is not Status.CANCELLED and current is not Status.FUTURE and on < start:
        problems.append(
            (
                "on",
                f"The move to {target.value} on {format_day(on)} is before the start "
                f"{format_day(start)}: enter a date on or after the start",
            )
        )
    return problems


def change_status(
    apprentice: Apprentice, target: Status | str, on: date, reason: str, actor: Actor
) -> ApprenticeStatusChange:
    """One move of the state machine: checked by the domain, breaks kept in step, audited.

    Raises ``StatusTransitionError`` (a DomainError) with a readable message."""
    target = Status(target)
    current = Status(apprentice.status)
    last = apprentice.status_history[-1].on if apprentice.status_history else None
    problems = status_change_problems(apprentice, target, on, reason)
    if problems:
        field, message = problems[0]
        raise StatusTransitionError(message, field=field)
    change = transition(current, target, on, reason, last_move_on=last)
    if target is Status.ON_PROGRAMME and current is Status.FUTURE:
        apprentice.actual_start = on
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
    "uln",
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


class ApprenticeProblems(Problems):
    """What is wrong with an add or edit, as (form field, message) pairs: ``transaction()``
    puts each message on its field."""


def _new_status(a: Apprentice | None, start: date | None, today: date) -> Status:
    if a is not None:
        return Status(a.status)
    return Status.ON_PROGRAMME if start is not None and start <= today else Status.FUTURE


def apprentice_problems(
    a: Apprentice | None, values: dict[str, Any], today: date
) -> list[tuple[str, str]]:
    """Every check of an add or edit that needs the database or the domain, as (form field,
    message); writes nothing. A value the form could not read is None and its checks are
    skipped, so the view can run this in the same pass as the form's own checks."""
    start = values.get("start")
    status = _new_status(a, start, today)
    problems: list[tuple[str, str]] = []
    if start is not None and values.get("date_of_birth") and values.get("planned_end"):
        problems += [
            (_FIELD_OF_LABEL.get(label, "start"), f"{label}: {message}")
            for label, message in check_apprentice(
                {
                    "date_of_birth": values["date_of_birth"],
                    "start": start,
                    "planned_end": values["planned_end"],
                    "status": status,
                    "status_date": a.status_date if a else None,
                    "employment_start": values.get("employment_start"),
                },
                apprentice_breaks(a) if a else [],
            )
        ]
    left = values.get("left_employment_on")
    if left and start is not None and left < start:
        problems.append(
            ("left_employment_on", "Left employment on must be the same as or after the start date")
        )
    reference = (values.get("reference") or "").strip()
    if reference:
        duplicate = db.session.execute(
            db.select(Apprentice.id).where(db.func.lower(Apprentice.reference) == reference.lower())
        ).scalar_one_or_none()
        if duplicate is not None and (a is None or duplicate != a.id):
            problems.append(("reference", "That reference is already used"))
    uln = values.get("uln") or None
    other = (
        db.session.execute(
            db.select(Apprentice.reference).where(
                Apprentice.uln == uln, Apprentice.id != (a.id if a else -1)
            )
        ).scalar_one_or_none()
        if uln is not None
        else None
    )
    if other is not None:
        problems.append(("uln", f"That ULN is already on {other}'s record"))
    for name, model, message in (
        ("directorate_id", Directorate, "Select the directorate"),
        ("standard_id", Standard, "Select the standard"),
        ("provider_id", Provider, "Select the provider"),
    ):
        if (
            name in values
            and values[name] is not None
            and db.session.get(model, values[name]) is None
        ):
            problems.append((name, message))
    return problems


def save_apprentice(
    a: Apprentice | None, values: dict[str, Any], actor: Actor, today: date
) -> Apprentice:
    """Add (``a`` is None) or edit an apprentice from the form's values, after the
    domain's checks; audited; flushes. Raises ``ApprenticeProblems``, writing nothing."""
    start = values["start"]
    status = _new_status(a, start, today)
    values["uln"] = values.get("uln") or None
    problems = apprentice_problems(a, values, today)
    directorate = db.session.get(Directorate, values["directorate_id"])
    if directorate is None and not any(f == "directorate_id" for f, _ in problems):
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
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same reference saved by another request a moment ago
        if not is_unique_violation(exc):
            raise
        raise ApprenticeProblems([("reference", "That reference is already used")]) from None
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


def get_apprentice(apprentice_id: int) -> Apprentice | None:
    return db.session.get(Apprentice, apprentice_id)


def status_message(apprentice: Apprentice, target: Status | str, on: date) -> str:
    """What a status change did, in a sentence: "Sam Jones is now on a break in learning
    from 3 May 2021"."""
    name = f"{apprentice.first_name} {apprentice.last_name}"
    day = format_day(on)
    return {
        Status.BREAK: f"{name} is now on a break in learning from {day}",
        Status.ON_PROGRAMME: f"{name} is back in learning from {day}"
        if any(b.end == on for b in apprentice.breaks)
        else f"{name} started the apprenticeship on {day}",
        Status.COMPLETED: f"{name} has completed (on {day})",
        Status.WITHDRAWN: f"{name} has withdrawn from the apprenticeship (on {day})",
        Status.CANCELLED: f"{name}'s planned start is cancelled (from {day})",
        Status.FUTURE: f"{name} is now a future start",
    }[Status(target)]
