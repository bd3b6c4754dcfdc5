"""The incentives' statuses, transition tables and errors, and the apprentice as the
schemes see it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from levy.domain.commitments import Break
from levy.domain.errors import DomainError, TransitionNotAllowed
from levy.domain.months import age_on
from levy.domain.schemes import SCHEMES

# application statuses
NOT_APPLIED = "not applied"
APPLIED = "applied"
MISSED = "missed"
APPLICATION_STATUSES = (NOT_APPLIED, APPLIED, MISSED)
APPLICATION_MOVES: Mapping[str, frozenset[str]] = {
    NOT_APPLIED: frozenset({APPLIED, MISSED}),
    APPLIED: frozenset(),
    MISSED: frozenset(),
}

# instalment statuses
NOT_YET_DUE = "not yet due"
DUE = "due"
PAID = "paid"
FORFEITED = "forfeited"
INSTALMENT_STATUSES = (NOT_YET_DUE, DUE, PAID, FORFEITED)
INSTALMENT_MOVES: Mapping[str, frozenset[str]] = {
    NOT_YET_DUE: frozenset({DUE, FORFEITED}),
    DUE: frozenset({PAID}),
    PAID: frozenset(),
    FORFEITED: frozenset(),
}


class IncentiveError(DomainError):
    """A refused move on an incentive application or instalment; the message says why."""


class ApplicationRefused(IncentiveError):
    """An application that cannot be recorded (not eligible, window closed, already applied)."""


class PaymentRefused(IncentiveError):
    """A payment that cannot be recorded (not yet due, forfeited, already paid, not applied)."""


class UnknownScheme(IncentiveError):
    """A scheme id that is not one of ``SCHEMES``."""


class IncentiveMoveRefused(IncentiveError, TransitionNotAllowed):
    """A move the application or instalment transition table does not allow."""


@lru_cache(maxsize=4096)
def day_text(day: date) -> str:
    """``1 Aug 2020``: how dates read in messages (the same few hundred dates, over and
    over, in the reasons of thousands of apprentices)."""
    return f"{day.day} {day:%b %Y}"


def check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise UnknownScheme(f"'{scheme}' is not a scheme: use one of {', '.join(SCHEMES)}")
    return scheme


def check_move(moves: Mapping[str, frozenset[str]], current: str, target: str, what: str) -> None:
    """Raise ``IncentiveMoveRefused`` unless ``current -> target`` is in the table."""
    if target not in moves.get(current, frozenset()):
        raise IncentiveMoveRefused(f"{what} is {current}: it cannot become {target}")


# --- the apprentice as the schemes see it -------------------------------------------


@dataclass(frozen=True)
class IncentiveApprentice:
    """What the schemes need to know about one apprenticeship."""

    reference: str
    date_of_birth: date
    apprenticeship_start: date
    employment_start: date | None = None  # None: the same day as the apprenticeship start
    breaks: Sequence[Break] = ()
    completed_on: date | None = None
    withdrawn_on: date | None = None
    left_employment_on: date | None = None
    # last day the person was employed by the organisation before this employment
    previously_employed_until: date | None = None
    employer_name: str = "the council"
    ehc_plan: bool = False
    care_leaver: bool = False
    care_leaver_consent: bool = False  # consents to the employer being told
    # a new-hire scheme already claimed for this person on another apprenticeship
    new_hire_claimed_elsewhere: str | None = None

    @property
    def employed_from(self) -> date:
        return self.employment_start or self.apprenticeship_start

    @property
    def age_at_start(self) -> int:
        return age_on(self.date_of_birth, self.apprenticeship_start)

    @property
    def ended_on(self) -> date | None:
        """The first of completion, withdrawal and leaving employment, if any."""
        ends = [d for d in (self.completed_on, self.withdrawn_on, self.left_employment_on) if d]
        return min(ends) if ends else None

    @property
    def end_reason(self) -> str:
        end = self.ended_on
        if end is None:
            return ""
        if end == self.completed_on:
            return "completed"
        if end == self.withdrawn_on:
            return "withdrew"
        return "left employment"
