"""Request-to-recruit screening (docs/rules.md §1; issue 5 item 7).

Every request to recruit, except for social workers, is screened by the
apprenticeship team first: could it be an apprenticeship, a care-leaver
opportunity, or neither (with a reason)? Counts are per directorate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from levy.domain.errors import DomainError


class ScreeningError(DomainError):
    """A screening record that cannot be logged as given."""


class ScreeningOutcome(StrEnum):
    APPRENTICESHIP = "apprenticeship"
    CARE_LEAVER = "care-leaver opportunity"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return {
            "apprenticeship": "Could be an apprenticeship",
            "care-leaver opportunity": "Care-leaver opportunity",
            "neither": "Neither",
        }[self.value]


@dataclass(frozen=True)
class RecruitRequest:
    directorate: str
    job_title: str
    received_on: date
    outcome: ScreeningOutcome
    reason: str = ""
    social_worker: bool = False


def validate_request(request: RecruitRequest) -> None:
    """Social workers are not screened; ``neither`` needs a reason."""
    if request.social_worker:
        raise ScreeningError(
            "Requests to recruit social workers are not screened by the apprenticeship team.",
            field="social_worker",
        )
    if request.outcome is ScreeningOutcome.NEITHER and not request.reason.strip():
        raise ScreeningError(
            "Give the reason the post is neither an apprenticeship nor a care-leaver opportunity.",
            field="reason",
        )


def count_by_directorate(requests: Iterable[RecruitRequest]) -> dict[str, dict[str, int]]:
    """Per directorate, the number of screened requests by outcome (and in total);
    social-worker requests are left out."""
    counts: dict[str, dict[str, int]] = {}
    for request in requests:
        if request.social_worker:
            continue
        row = counts.setdefault(
            request.directorate, {**{o.value: 0 for o in ScreeningOutcome}, "total": 0}
        )
        row[request.outcome.value] += 1
        row["total"] += 1
    return dict(sorted(counts.items()))
