"""The timers (issue 6 §8): auto-reject, auto-decline and funds expired, as ``tick``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from levy.domain.rules import RULES, RuleBook
from levy.domain.transfers.lifecycle import (
    ACCEPTED,
    APPROVED,
    DECLINED,
    FUNDS_EXPIRED,
    REJECTED,
    SUBMITTED,
)


@dataclass(frozen=True)
class Clock:
    """An application's timed facts."""

    ref: object
    status: str
    submitted_on: date | None = None
    approved_on: date | None = None
    accepted_on: date | None = None
    planned_start: date | None = None


@dataclass(frozen=True)
class Move:
    ref: object
    action: str
    from_status: str
    to_status: str
    due_on: date
    reason: str


def _plus_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if shorter)."""
    return day + relativedelta(months=months)


def auto_reject_on(submitted_on: date, rules: RuleBook = RULES) -> date:
    """Submitted and undecided for 3 months: rejected on this day."""
    return _plus_months(submitted_on, rules.value("transfer.pending_months", submitted_on))


def auto_decline_on(approved_on: date, rules: RuleBook = RULES) -> date:
    """Approved but not accepted: declined once 42 days have passed (day 42)."""
    return approved_on + timedelta(days=rules.value("transfer.accept_days", approved_on))


def funds_expire_on(
    planned_start: date | None, accepted_on: date | None = None, rules: RuleBook = RULES
) -> date:
    """Accepted but no apprentice start reported within 3 months of the planned start:
    the funds expire on this day.

    The 3 months count from the planned start; an offer accepted after its planned start
    (a late decision) counts from the acceptance instead, so that it never expires at once.
    Without a planned start (old records) they count from the acceptance.
    """
    days = [d for d in (planned_start, accepted_on) if d is not None]
    if not days:
        raise ValueError("funds_expire_on needs a planned start or an acceptance day")
    start = max(days)
    return _plus_months(start, rules.value("transfer.unused_months", start))


def tick(applications: Iterable[Clock], as_of: date, rules: RuleBook = RULES) -> list[Move]:
    """The timed moves due on or before ``as_of``.

    * submitted for 3 months without a decision: rejected;
    * approved and not accepted within 42 days (day 42 after approval): declined;
    * accepted with no apprentice start reported within 3 months of the planned start
      (or of the acceptance, if later): funds expired.
    Pure and idempotent: an application already moved is no longer in a timed state.
    """
    moves: list[Move] = []
    for a in applications:
        if a.status == SUBMITTED and a.submitted_on is not None:
            due = auto_reject_on(a.submitted_on, rules)
            if as_of >= due:
                moves.append(
                    Move(
                        a.ref,
                        "auto_reject",
                        SUBMITTED,
                        REJECTED,
                        due,
                        "No decision within 3 months of submission.",
                    )
                )
        elif a.status == APPROVED and a.approved_on is not None:
            due = auto_decline_on(a.approved_on, rules)
            if as_of >= due:
                moves.append(
                    Move(
                        a.ref,
                        "decline",
                        APPROVED,
                        DECLINED,
                        due,
                        "The offer was not accepted within 42 days.",
                    )
                )
        elif a.status == ACCEPTED and (a.accepted_on or a.planned_start) is not None:
            due = funds_expire_on(a.planned_start, a.accepted_on, rules)
            if as_of >= due:
                moves.append(
                    Move(
                        a.ref,
                        "expire",
                        ACCEPTED,
                        FUNDS_EXPIRED,
                        due,
                        "No apprentice start was reported within 3 months of the planned start.",
                    )
                )
    return moves
