"""What every part of the care-leaver services shares: the audited fields, the error, the
role that sees names, references, and the one create-or-update with its audit entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError

from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.extensions import db
from levy.models import Apprentice
from levy.services.audit import upsert_audited
from levy.services.locks import is_unique_violation

ROLE = "care_leavers"
YP_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "care_status",
    "personal_adviser",
    "adviser_contact",
    "consent_hosts_on",
    "consent_employer_on",
    "support_needs",
)
PLACEMENT_FIELDS = (
    "reference",
    "young_person_id",
    "host_organisation",
    "directorate_id",
    "service",
    "supervisor",
    "type",
    "planned_start",
    "planned_end",
    "planned_hours",
    "actual_start",
    "actual_end",
    "actual_hours",
    "paid",
    "pay_reason",
    "risk_assessed_on",
    "risk_assessed_by",
    "outcome",
    "feedback_young_person",
    "feedback_host",
)
FOLLOW_UP_FIELDS = ("months", "recorded_on", "progression", "apprentice_id", "note")
VACANCY_FIELDS = (
    "reference",
    "title",
    "directorate_id",
    "shared_on",
    "closing_on",
    "minimum_criteria",
    "apprenticeship",
)
APPLICANT_FIELDS = (
    "applied_on",
    "met_minimum_criteria",
    "interview_on",
    "interview_declined",
    "outcome",
)


class CareLeaverError(DomainError):
    """A care-leaver record that cannot be saved; the message says why."""


def can_see_names(user: Any) -> bool:
    """Only the care leavers team sees names in exports (L&D sees them on screen)."""
    return bool(user is not None and getattr(user, "role", None) == ROLE)


def next_reference(model: Any, prefix: str) -> str:
    count = db.session.execute(db.select(db.func.count(model.id))).scalar_one()
    n = count + 1
    while db.session.execute(
        db.select(model.id).where(model.reference == f"{prefix}-{n:03d}")
    ).first():
        n += 1
    return f"{prefix}-{n:03d}"


def by_reference(model: Any, reference: str) -> Any:
    return db.session.execute(
        db.select(model).where(model.reference == reference)
    ).scalar_one_or_none()


def find_apprentice(reference: str) -> Apprentice:
    found = db.session.execute(
        db.select(Apprentice).where(Apprentice.reference == reference.strip())
    ).scalar_one_or_none()
    if found is None:
        raise CareLeaverError(f"no apprentice with the reference '{reference}'")
    return found


def only(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The ``values`` a record takes from a form or a workbook row: those of its ``fields``."""
    return {name: values[name] for name in fields if name in values}


def _refuse_taken_reference(obj: Any) -> None:
    model = type(obj)
    with db.session.no_autoflush:
        clash = db.session.execute(
            db.select(model.id).where(model.reference == obj.reference, model.id != (obj.id or 0))
        ).first()
    if clash:
        raise CareLeaverError(f"the reference {obj.reference} is already used")


def save_referenced(
    obj: Any,
    new: Callable[[], Any],
    values: dict[str, Any],
    fields: tuple[str, ...],
    action: str,
    actor: Actor,
    check: Callable[[Any], None],
) -> Any:
    """Create or update a record that has a reference: ``check`` it, refuse a reference
    another record already has, then write and audit it (``<action>.created``/``.updated``)."""

    def checked(row: Any) -> None:
        check(row)
        _refuse_taken_reference(row)

    reference = values.get("reference") or (obj.reference if obj is not None else "")
    try:
        obj, _ = upsert_audited(
            actor,
            obj,
            new,
            only(values, fields),
            fields,
            (f"{action}.created", f"{action}.updated"),
            check=checked,
        )
        db.session.flush()
    except IntegrityError as exc:  # the same reference saved by another request a moment ago
        if not is_unique_violation(exc):
            raise
        raise CareLeaverError(f"the reference {reference} is already used") from None
    return obj
