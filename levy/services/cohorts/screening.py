"""Request-to-recruit screening: log each request and its outcome, count them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.domain.screening import RecruitRequest as RecruitRequestFacts
from levy.domain.screening import ScreeningOutcome, count_by_directorate, validate_request
from levy.extensions import db
from levy.models import Directorate
from levy.models.cohorts import RecruitRequest
from levy.services.audit import record


def log_screening(
    directorate: Directorate | int,
    job_title: str,
    received_on: date,
    outcome: ScreeningOutcome | str,
    reason: str,
    actor: Actor,
    social_worker: bool = False,
) -> RecruitRequest:
    """Log a request to recruit and its screening outcome for ``directorate`` (or its id);
    audited. Raises a ``DomainError`` naming the field that is wrong."""
    if not isinstance(directorate, Directorate):
        found = db.session.get(Directorate, directorate or 0)
        if found is None:
            raise DomainError("Select the directorate", field="directorate_id")
        directorate = found
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


def recent_requests(directorate_ids: Iterable[int] | None = None, limit: int = 100) -> list[Any]:
    """The latest requests to recruit, newest first, within ``directorate_ids`` (None: all)."""
    query = db.select(RecruitRequest).order_by(RecruitRequest.received_on.desc()).limit(limit)
    if directorate_ids is not None:
        query = query.where(RecruitRequest.directorate_id.in_(list(directorate_ids)))
    return list(db.session.execute(query).scalars())
