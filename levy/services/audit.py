"""Writing the audit trail: every change of money, status, users or roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from levy.extensions import db
from levy.models import AuditEvent, User


@dataclass(frozen=True)
class Actor:
    """Who did it: a signed-in user, or a command-line run (``cli:root``)."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(label=user.email, user_id=user.id)

    @classmethod
    def cli(cls, name: str | None = None) -> Actor:
        import getpass

        return cls(label=f"cli:{name or getpass.getuser()}")


SYSTEM = Actor(label="system")


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
