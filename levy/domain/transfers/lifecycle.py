"""The application lifecycle (issue 6 §8): statuses and the transition table; any other
move raises ``TransitionNotAllowed``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from levy.domain.transfers.errors import TransitionNotAllowed

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
ACCEPTED = "accepted"
FUNDS_USED = "funds used"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
WITHDRAWN_AFTER_ACCEPTANCE = "withdrawn after acceptance"
FUNDS_EXPIRED = "funds expired"
STATUSES = (
    DRAFT,
    SUBMITTED,
    APPROVED,
    REJECTED,
    ACCEPTED,
    FUNDS_USED,
    DECLINED,
    WITHDRAWN,
    WITHDRAWN_AFTER_ACCEPTANCE,
    FUNDS_EXPIRED,
)
# States whose cost holds a reservation against allowances.
RESERVING = frozenset({APPROVED, ACCEPTED, FUNDS_USED})
# States that count towards the per-organisation yearly limit.
LIVE = frozenset({SUBMITTED, APPROVED, ACCEPTED, FUNDS_USED})
FINAL = frozenset({REJECTED, DECLINED, WITHDRAWN, WITHDRAWN_AFTER_ACCEPTANCE, FUNDS_EXPIRED})

APPLICANT = "applicant"
OFFICER = "officer"
SYSTEM = "system"

ACTION_LABELS: Mapping[str, str] = {
    "edit": "change",
    "submit": "submit",
    "request_info": "ask for more information about",
    "respond_info": "answer a request for information about",
    "approve": "approve",
    "reject": "reject",
    "auto_reject": "automatically reject",
    "accept": "accept",
    "decline": "decline",
    "withdraw": "withdraw",
    "record_apprentices": "report the apprentices' starts for",
    "expire": "expire the funds of",
}


@dataclass(frozen=True)
class Transition:
    to: str
    actors: frozenset[str]


def _t(to: str, *actors: str) -> Transition:
    return Transition(to, frozenset(actors))


TRANSITIONS: Mapping[tuple[str, str], Transition] = {
    (DRAFT, "edit"): _t(DRAFT, APPLICANT),
    (DRAFT, "submit"): _t(SUBMITTED, APPLICANT),
    (DRAFT, "withdraw"): _t(WITHDRAWN, APPLICANT),
    (SUBMITTED, "request_info"): _t(SUBMITTED, OFFICER),
    (SUBMITTED, "respond_info"): _t(SUBMITTED, APPLICANT),
    (SUBMITTED, "approve"): _t(APPROVED, OFFICER),
    (SUBMITTED, "reject"): _t(REJECTED, OFFICER),
    (SUBMITTED, "auto_reject"): _t(REJECTED, SYSTEM),
    (SUBMITTED, "withdraw"): _t(WITHDRAWN, APPLICANT),
    (APPROVED, "accept"): _t(ACCEPTED, APPLICANT),
    (APPROVED, "decline"): _t(DECLINED, APPLICANT, SYSTEM),
    (APPROVED, "withdraw"): _t(WITHDRAWN, APPLICANT),
    (ACCEPTED, "record_apprentices"): _t(FUNDS_USED, APPLICANT, OFFICER),
    (ACCEPTED, "expire"): _t(FUNDS_EXPIRED, SYSTEM),
    (ACCEPTED, "withdraw"): _t(WITHDRAWN_AFTER_ACCEPTANCE, APPLICANT),
}


def allowed_actions(status: str, actor: str) -> list[str]:
    return [a for (s, a), t in TRANSITIONS.items() if s == status and actor in t.actors]


def transition(status: str, action: str, actor: str) -> str:
    """The status after ``action`` by ``actor``; raises ``TransitionNotAllowed``."""
    if status not in STATUSES:
        raise TransitionNotAllowed(f"'{status}' is not an application status.")
    label = ACTION_LABELS.get(action, action)
    move = TRANSITIONS.get((status, action))
    if move is None:
        raise TransitionNotAllowed(f"You cannot {label} an application that is {status}.")
    if actor not in move.actors:
        who = {APPLICANT: "the business", OFFICER: "an officer", SYSTEM: "the system"}
        raise TransitionNotAllowed(
            f"Only {' or '.join(sorted(who.get(a, a) for a in move.actors))} can {label} "
            f"an application that is {status}."
        )
    return move.to
