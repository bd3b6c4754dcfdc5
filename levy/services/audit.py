"""Writing the audit trail: every change of money, status, users or roles."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal, TypeVar

from levy.domain.accounts import Actor
from levy.extensions import db
from levy.models import AuditEvent
from levy.services.paging import paginate


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of ``obj`` as JSON-safe values, for before/after."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    db.session.add(event)
    return event


def record_change(
    actor: Actor, action: str, obj: Any, fields: list[str] | tuple[str, ...], before: dict[str, Any]
) -> AuditEvent | None:
    """Audit ``obj`` if any of ``fields`` differ from ``before``; only the changed ones are kept."""
    after = snapshot(obj, fields)
    changed = [k for k in fields if before.get(k) != after.get(k)]
    if not changed:
        return None
    return record(
        actor,
        action,
        type(obj).__name__,
        getattr(obj, "id", None),
        {k: before.get(k) for k in changed},
        {k: after[k] for k in changed},
    )


Outcome = Literal["created", "changed", "unchanged"]
T = TypeVar("T")


def upsert_audited(
    actor: Actor,
    row: T | None,
    new: Callable[[], T],
    values: Mapping[str, Any],
    fields: list[str] | tuple[str, ...],
    actions: tuple[str, str],
    *,
    check: Callable[[T], None] | None = None,
    created: Mapping[str, Any] | Callable[[T], dict[str, Any]] | None = None,
) -> tuple[T, Outcome]:
    """Create ``row`` (when None, from ``new()``) or update it with ``values``, and audit it.

    ``check(row)`` runs once the values are set, before anything is written: it may refuse
    (raise) or fill in what the values leave blank. A new row is added and flushed, and
    audited as ``actions[0]`` with ``created`` (a mapping, or a function of the row; else the
    snapshot of ``fields``). An
    existing one is audited as ``actions[1]`` with the ``fields`` that changed, before and
    after, and not at all when none did; it is not flushed. Returns the row and whether it
    was created, changed or unchanged.
    """
    if row is None:
        row = new()
        for name, value in values.items():
            setattr(row, name, value)
        if check is not None:
            check(row)
        db.session.add(row)
        db.session.flush()
        if created is None:
            after = snapshot(row, fields)
        else:
            after = dict(created) if isinstance(created, Mapping) else created(row)
        record(actor, actions[0], type(row).__name__, getattr(row, "id", None), None, after)
        return row, "created"
    before = snapshot(row, fields)
    for name, value in values.items():
        setattr(row, name, value)
    if check is not None:
        check(row)
    changed = record_change(actor, actions[1], row, fields, before)
    return row, "unchanged" if changed is None else "changed"


# ------------------------------------------------------------------------------------------
# Reading the trail: care-leaver values only for the care leavers team
# ------------------------------------------------------------------------------------------

CARE_LEAVERS_ROLE = "care_leavers"
WITHHELD = "withheld"


def care_leaver_types() -> frozenset[str]:
    """Every object type of the care-leaver records (young people, placements, follow-ups,
    vacancies and applicants): the models of ``levy.models.care_leavers``."""
    from levy.models import care_leavers
    from levy.models.base import Base

    return frozenset(
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if mapper.class_.__module__ == care_leavers.__name__
    )


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """An audit entry as one role may read it: a care-leaver entry read by any other
    role says who changed which record and which fields, with every value withheld."""

    at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    withheld: bool


def _withhold(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else dict.fromkeys(values, WITHHELD)


def as_read_by(event: AuditEvent, role: str) -> AuditRow:
    withheld = event.object_type in care_leaver_types() and role != CARE_LEAVERS_ROLE
    return AuditRow(
        at=event.at,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        before=_withhold(event.before) if withheld else event.before,
        after=_withhold(event.after) if withheld else event.after,
        withheld=withheld,
    )


def _query(filters: AuditFilter, role: str) -> Any:
    from levy.models.base import UTCDateTime

    query = db.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if role == CARE_LEAVERS_ROLE:  # the care leavers team reads only its own records' trail
        query = query.where(AuditEvent.object_type.in_(sorted(care_leaver_types())))
    if filters.actor:
        query = query.where(AuditEvent.actor_label.ilike(f"%{filters.actor}%"))
    if filters.action:
        query = query.where(AuditEvent.action.ilike(f"%{filters.action}%"))
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.start:
        start = UTCDateTime().process_bind_param(datetime.combine(filters.start, time.min), None)
        query = query.where(AuditEvent.at >= start)
    if filters.end:
        end = UTCDateTime().process_bind_param(datetime.combine(filters.end, time.max), None)
        query = query.where(AuditEvent.at <= end)
    return query


def audit_page(filters: AuditFilter, role: str, page: int, per_page: int) -> Any:
    """One page of the trail (a Flask-SQLAlchemy pagination of ``AuditRow``)."""
    return paginate(
        _query(filters, role),
        page,
        per_page=per_page,
        load=lambda events: [as_read_by(e, role) for e in events],
    )


def audit_rows(filters: AuditFilter, role: str) -> Iterator[AuditRow]:
    for event in db.session.execute(_query(filters, role)).scalars():
        yield as_read_by(event, role)


def object_types(role: str) -> list[str]:
    query = db.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
    if role == CARE_LEAVERS_ROLE:
        query = query.where(AuditEvent.object_type.in_(sorted(care_leaver_types())))
    return list(db.session.execute(query).scalars())
