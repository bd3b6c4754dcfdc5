"""Apprentices and cohorts (docs/rules.md §1, §3, §6; issue 5).

* **Status** is a state machine: ``future`` → ``on programme`` ↔ ``break`` →
  ``completed`` / ``withdrawn``; a future start can be ``cancelled``. Each move
  carries a date and a reason; a move the table does not allow raises
  :class:`StatusTransitionError` with a sentence a person can read.
* **42-day rule** (docs/rules.md §3): leaving within the qualifying period means
  no funding was ever due; a break inside the period restarts it. The period
  itself comes from :func:`levy.domain.commitments.qualifying_period_end`.
* **Age at start** and its band (16-18, 19-24, 25-49, 50+); **intake** is the
  month and academic year (1 Aug - 31 Jul) of the start.
* **Census** as of a date: *on programme* = started on or before the date and
  neither completed nor withdrawn by it (breaks included); *on break* = on
  programme with a break covering the date; *future* = not started by the date
  and starting after it (and not cancelled by it).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from levy.domain.commitments import Break, Commitment, qualifying_period_end
from levy.domain.errors import DomainError, TransitionNotAllowed
from levy.domain.months import academic_year, format_month, month_of
from levy.domain.rules import RULES, RuleBook


class CohortError(DomainError):
    """A cohort fact that cannot be right (an apprentice under 16, say)."""


class StatusTransitionError(CohortError, TransitionNotAllowed):
    """A status move the state machine does not allow."""


class Status(StrEnum):
    FUTURE = "future"
    ON_PROGRAMME = "on programme"
    BREAK = "break"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"

    @classmethod
    def parse(cls, text: object) -> Status:
        cleaned = " ".join(str(text or "").replace("_", " ").replace("-", " ").split()).lower()
        for status in cls:
            if status.value == cleaned:
                return status
        allowed = ", ".join(s.value for s in cls)
        raise CohortError(f"'{text}' is not a status: use one of {allowed}")


#: Every allowed move: from a status to the statuses it may become.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.FUTURE: frozenset({Status.ON_PROGRAMME, Status.CANCELLED}),
    Status.ON_PROGRAMME: frozenset({Status.BREAK, Status.COMPLETED, Status.WITHDRAWN}),
    Status.BREAK: frozenset({Status.ON_PROGRAMME, Status.WITHDRAWN}),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.CANCELLED: frozenset(),
}

#: Statuses that end the record: nothing can follow them.
FINAL = frozenset({Status.COMPLETED, Status.WITHDRAWN, Status.CANCELLED})

_VERB = {
    Status.ON_PROGRAMME: "start or return to the programme",
    Status.BREAK: "take a break in learning",
    Status.COMPLETED: "complete",
    Status.WITHDRAWN: "withdraw",
    Status.CANCELLED: "be cancelled",
    Status.FUTURE: "go back to the future cohort",
}


@dataclass(frozen=True)
class StatusChange:
    """One move of the state machine."""

    from_status: Status | None
    to_status: Status
    on: date
    reason: str


def allowed_moves(current: Status) -> list[Status]:
    """The statuses ``current`` may move to, in the table's order."""
    return [s for s in Status if s in TRANSITIONS[current]]


def transition(
    current: Status, target: Status, on: date, reason: str, *, last_move_on: date | None = None
) -> StatusChange:
    """Check one move and return it; raise :class:`StatusTransitionError` if refused.

    A move needs a reason and cannot be dated before the previous move.
    """
    current, target = Status(current), Status(target)
    if target not in TRANSITIONS[current]:
        if current in FINAL:
            raise StatusTransitionError(
                f"An apprentice who is {current.value} cannot {_VERB[target]}: "
                f"{current.value} is a final status."
            )
        options = " or ".join(s.value for s in allowed_moves(current))
        raise StatusTransitionError(
            f"An apprentice who is {current.value} cannot {_VERB[target]}; "
            f"from {current.value} the status can only become {options}."
        )
    if not (reason or "").strip():
        raise StatusTransitionError(f"Give a reason for the move to {target.value}.")
    if last_move_on is not None and on < last_move_on:
        raise StatusTransitionError(
            f"The move to {target.value} on {on:%d %b %Y} is before the previous status "
            f"change on {last_move_on:%d %b %Y}."
        )
    return StatusChange(current, target, on, reason.strip())


def replay(initial: Status, moves: Iterable[tuple[Status, date, str]]) -> list[StatusChange]:
    """Apply a sequence of moves from ``initial``; the whole history or an error."""
    history: list[StatusChange] = []
    current, last = Status(initial), None
    for target, on, reason in moves:
        change = transition(current, target, on, reason, last_move_on=last)
        history.append(change)
        current, last = change.to_status, change.on
    return history


def breaks_from_history(history: Sequence[StatusChange]) -> list[Break]:
    """The breaks in learning a status history implies (``break`` → ``on programme``)."""
    breaks: list[Break] = []
    opened: date | None = None
    for change in history:
        if change.to_status is Status.BREAK:
            opened = change.on
        elif change.from_status is Status.BREAK and opened is not None:
            breaks.append(Break(opened, change.on))
            opened = None
    if opened is not None:
        breaks.append(Break(opened, None))
    return breaks


def check_breaks(start: date, breaks: Sequence[Break], end: date | None = None) -> list[str]:
    """Plain messages for breaks that end before they start, overlap, start before the
    programme, or run past its end. Empty when the breaks are consistent."""
    problems: list[str] = []
    ordered = sorted(breaks, key=lambda b: b.start)
    for brk in ordered:
        if brk.end is not None and brk.end < brk.start:
            problems.append(f"The break starting {brk.start:%d %b %Y} ends before it starts.")
        if brk.start < start:
            problems.append(
                f"The break starting {brk.start:%d %b %Y} is before the start {start:%d %b %Y}."
            )
        if end is not None and brk.start > end:
            problems.append(
                f"The break starting {brk.start:%d %b %Y} is after the programme ended "
                f"on {end:%d %b %Y}."
            )
    for earlier, later in itertools.pairwise(ordered):
        if earlier.end is None or later.start <= earlier.end:
            problems.append(
                f"The breaks starting {earlier.start:%d %b %Y} and {later.start:%d %b %Y} overlap."
            )
    return problems


def funding_due(
    start: date, breaks: Sequence[Break], withdrawn_on: date | None, rules: RuleBook = RULES
) -> bool:
    """False when the apprentice withdrew within the 42-day qualifying period
    (restarted by breaks), so no funding was ever due (docs/rules.md §3)."""
    if withdrawn_on is None:
        return True
    return withdrawn_on > qualifying_period_end(start, breaks, rules)


# --- Age, bands, intake -------------------------------------------------------

AGE_BANDS: tuple[str, ...] = ("16-18", "19-24", "25-49", "50+")
_BAND_FLOORS = ((50, "50+"), (25, "25-49"), (19, "19-24"), (16, "16-18"))
LEVELS: tuple[str, ...] = ("2", "3", "4", "5", "6", "7")


def age_at_start(date_of_birth: date, start: date) -> int:
    """Whole years on the start date. A birthday on the start day counts; someone born
    on 29 February turns a year older on 1 March in a non-leap year (England and Wales)."""
    age = start.year - date_of_birth.year
    if (start.month, start.day) < (date_of_birth.month, date_of_birth.day):
        age -= 1
    return age


def age_band(age: int) -> str:
    """16-18, 19-24, 25-49 or 50+; an apprentice under 16 is an error."""
    for floor, band in _BAND_FLOORS:
        if age >= floor:
            return band
    raise CohortError(f"An apprentice must be at least 16 at the start; this one is {age}.")


def intake_month(start: date) -> str:
    """``2021-03`` for any start in March 2021."""
    return format_month(month_of(start))


def intake_academic_year(start: date) -> str:
    """``2020-21`` for starts 1 Aug 2020 - 31 Jul 2021."""
    return academic_year(start).label


# --- Census -------------------------------------------------------------------


@dataclass(frozen=True)
class ApprenticeRecord:
    """What the census needs to know about one apprentice."""

    reference: str
    organisation: str
    directorate: str
    level: int | str
    date_of_birth: date
    planned_start: date
    actual_start: date | None = None
    completed_on: date | None = None
    withdrawn_on: date | None = None
    cancelled_on: date | None = None
    breaks: Sequence[Break] = ()
    standard: str = ""
    route: str = ""  # "employer-provider" or "external"

    @property
    def start(self) -> date:
        """The actual start, or the planned one while the start is in the future."""
        return self.actual_start or self.planned_start

    def started_by(self, day: date) -> bool:
        return self.actual_start is not None and self.actual_start <= day

    def on_programme(self, day: date) -> bool:
        """Started by ``day`` and neither completed nor withdrawn by it (breaks included)."""
        if not self.started_by(day):
            return False
        for ended in (self.completed_on, self.withdrawn_on):
            if ended is not None and ended <= day:
                return False
        return True

    def on_break(self, day: date) -> bool:
        return self.on_programme(day) and any(b.covers(day) for b in self.breaks)

    def future(self, day: date) -> bool:
        """Not started by ``day``, starting after it, and not cancelled by it."""
        if self.started_by(day):
            return False
        if self.cancelled_on is not None and self.cancelled_on <= day:
            return False
        return self.start > day

    @property
    def age_band(self) -> str:
        return age_band(age_at_start(self.date_of_birth, self.start))


@dataclass
class CohortCount:
    """Counts as of a date; every ``by_`` mapping counts apprentices on programme."""

    as_of: date
    on_programme: int = 0
    on_break: int = 0
    future: int = 0
    by_organisation: dict[str, int] = field(default_factory=dict)
    by_directorate: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    by_age_band: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGE_BANDS, 0))
    by_standard: dict[str, int] = field(default_factory=dict)
    by_route: dict[str, int] = field(default_factory=dict)
    by_intake: dict[str, int] = field(default_factory=dict)
    by_intake_month: dict[str, int] = field(default_factory=dict)
    future_by_directorate: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "on_programme": self.on_programme,
            "on_break": self.on_break,
            "future": self.future,
            "by_organisation": dict(sorted(self.by_organisation.items())),
            "by_directorate": dict(sorted(self.by_directorate.items())),
            "by_level": dict(self.by_level),
            "by_age_band": dict(self.by_age_band),
            "by_standard": dict(sorted(self.by_standard.items())),
            "by_route": dict(sorted(self.by_route.items())),
            "by_intake": dict(sorted(self.by_intake.items())),
            "by_intake_month": dict(sorted(self.by_intake_month.items())),
            "future_by_directorate": dict(sorted(self.future_by_directorate.items())),
        }


def _bump(mapping: dict[str, int], key: str) -> None:
    mapping[key] = mapping.get(key, 0) + 1


def count_cohort(records: Iterable[ApprenticeRecord], as_of: date) -> CohortCount:
    """The census on ``as_of`` (issue 5, `flask levy cohorts`)."""
    count = CohortCount(as_of)
    for rec in records:
        if rec.future(as_of):
            count.future += 1
            _bump(count.future_by_directorate, rec.directorate)
            continue
        if not rec.on_programme(as_of):
            continue
        count.on_programme += 1
        if rec.on_break(as_of):
            count.on_break += 1
        _bump(count.by_organisation, rec.organisation)
        _bump(count.by_directorate, rec.directorate)
        _bump(count.by_level, str(rec.level))
        _bump(count.by_age_band, rec.age_band)
        if rec.standard:
            _bump(count.by_standard, rec.standard)
        if rec.route:
            _bump(count.by_route, rec.route)
        _bump(count.by_intake, intake_academic_year(rec.start))
        _bump(count.by_intake_month, intake_month(rec.start))
    return count


def starts_by_month(records: Iterable[ApprenticeRecord], first: date, last: date) -> dict[str, int]:
    """Actual starts per month from ``first``'s month to ``last``'s month, zeros included."""
    months: dict[str, int] = {}
    month = month_of(first)
    while month <= month_of(last):
        months[format_month(month)] = 0
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for rec in records:
        if rec.actual_start is not None:
            key = intake_month(rec.actual_start)
            if key in months:
                months[key] += 1
    return months


def starts_between(records: Iterable[ApprenticeRecord], first: date, last: date) -> list[str]:
    """References of apprentices whose actual start falls in ``first``..``last``."""
    return [
        r.reference
        for r in records
        if r.actual_start is not None and first <= r.actual_start <= last
    ]


def future_cohort(records: Iterable[ApprenticeRecord], as_of: date) -> list[ApprenticeRecord]:
    """The apprentices signed up to start after ``as_of``, earliest start first."""
    return sorted((r for r in records if r.future(as_of)), key=lambda r: (r.start, r.reference))


# --- Workforce age profile (docs/rules.md §1: succession planning) ---------------


def age_profile_share(counts: dict[str, int]) -> dict[str, float | None]:
    """Each band's share of a count mapping, as a fraction (None when the total is 0).

    Used for display only (percentages on a chart), never for money."""
    total = sum(counts.values())
    return {k: (v / total if total else None) for k, v in counts.items()}


# --- Checking one record, and its commitment ------------------------------------


@dataclass(frozen=True)
class RecordProblem:
    field: str
    message: str


def check_record(
    *,
    date_of_birth: date,
    start: date,
    planned_end: date,
    status: Status,
    status_date: date | None,
    breaks: Sequence[Break] = (),
    employment_start: date | None = None,
) -> list[RecordProblem]:
    """Everything that cannot be right about one apprentice's dates and status.

    ``start`` is the actual start (the planned one for ``future``); ``status_date``
    is the completion, withdrawal or cancellation date and must be blank otherwise.
    """
    problems: list[RecordProblem] = []
    if planned_end <= start:
        problems.append(
            RecordProblem(
                "Planned end date",
                f"{planned_end:%d %b %Y} is not after the start date {start:%d %b %Y}",
            )
        )
    age = age_at_start(date_of_birth, start)
    if age < 16:
        problems.append(
            RecordProblem("Date of birth", f"the apprentice would be {age} at the start: under 16")
        )
    ending = status in (Status.COMPLETED, Status.WITHDRAWN, Status.CANCELLED)
    if ending and status_date is None:
        problems.append(
            RecordProblem("Status date", f"is blank: give the date the apprentice {status.value}")
        )
    if not ending and status_date is not None:
        problems.append(
            RecordProblem(
                "Status date",
                f"must be blank for status {status.value} (it is the completion or "
                "withdrawal date)",
            )
        )
    if (
        ending
        and status_date is not None
        and status is not Status.CANCELLED
        and status_date < start
    ):
        problems.append(
            RecordProblem(
                "Status date", f"{status_date:%d %b %Y} is before the start {start:%d %b %Y}"
            )
        )
    if status in (Status.FUTURE, Status.CANCELLED) and breaks:
        problems.append(RecordProblem("Break start", f"a {status.value} start cannot have breaks"))
    open_breaks = [b for b in breaks if b.end is None]
    if status is Status.BREAK and not open_breaks:
        problems.append(
            RecordProblem("Status", "is break but no break is open: add it on the Breaks sheet")
        )
    if status is not Status.BREAK and open_breaks:
        problems.append(
            RecordProblem(
                "Break end", f"is blank but the status is {status.value}: close the break"
            )
        )
    end = status_date if ending else None
    problems.extend(RecordProblem("Break start", p) for p in check_breaks(start, breaks, end))
    if employment_start is not None and employment_start < date_of_birth:
        problems.append(RecordProblem("Employment start", "is before the date of birth"))
    return problems


def commitment_for(
    *,
    agreed_price: Decimal,
    band_maximum: Decimal | None,
    start: date,
    planned_end: date,
    status: Status,
    status_date: date | None,
    breaks: Sequence[Break] = (),
) -> Commitment | None:
    """The commitment an apprentice puts on the levy account (docs/rules.md §3), or None
    for a cancelled future start. Future starts commit from their planned start."""
    if status is Status.CANCELLED:
        return None
    return Commitment(
        agreed_price=agreed_price,
        band_maximum=band_maximum,
        start=start,
        planned_end=planned_end,
        breaks=tuple(breaks),
        withdrawn_on=status_date if status is Status.WITHDRAWN else None,
        completed_on=status_date if status is Status.COMPLETED else None,
    )
