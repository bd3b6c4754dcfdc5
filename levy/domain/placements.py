"""Care-leaver work-experience placements, progression and guaranteed interviews
(docs/rules.md §7, issue 7 items 6-10).

* A placement is a ``taster`` (up to a day), ``short`` (up to two weeks) or
  ``extended`` (up to six weeks); the limit is enforced on the planned dates and on
  the actual dates, counting the first and last days.
* Its outcome is ``completed``, ``left early`` or ``did not start``.
* After a placement that started, progression (``apprenticeship``, ``job``,
  ``education or training``, ``none yet``) is followed up 3 and 6 months after the
  placement ended; a follow-up not recorded by its due date is overdue. Progression
  into an apprenticeship links the apprentice record, which flags the care-leaver
  £1,000 employer payment and the bursary.
* A care leaver who applies for a vacancy and meets its minimum criteria is owed an
  interview; an owed interview not recorded is a warning.

The placement-type limits are council policy, not dated rules, so they live here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from levy.domain.errors import DomainError
from levy.domain.months import age_on


class PlacementError(DomainError):
    """A placement, follow-up or interview record that breaks a rule; lists every problem."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(message for _, message in self.errors))

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        return list(self.errors)


@dataclass(frozen=True)
class PlacementType:
    name: str
    max_days: int
    limit_text: str


PLACEMENT_TYPES: dict[str, PlacementType] = {
    "taster": PlacementType("taster", 1, "up to a day"),
    "short": PlacementType("short", 14, "up to two weeks (14 days)"),
    "extended": PlacementType("extended", 42, "up to six weeks (42 days)"),
}
TYPES = tuple(PLACEMENT_TYPES)

COMPLETED = "completed"
LEFT_EARLY = "left early"
DID_NOT_START = "did not start"
OUTCOMES = (COMPLETED, LEFT_EARLY, DID_NOT_START)

APPRENTICESHIP = "apprenticeship"
JOB = "job"
EDUCATION = "education or training"
NONE_YET = "none yet"
PROGRESSIONS = (APPRENTICESHIP, JOB, EDUCATION, NONE_YET)
PROGRESSED = frozenset({APPRENTICESHIP, JOB, EDUCATION})

CARE_STATUSES = ("care leaver", "care experienced")
FOLLOW_UP_MONTHS = (3, 6)
FOLLOW_UP_SOON_DAYS = 14  # a follow-up shows as "due" this many days before its date
# unpaid placements longer than this may be real work needing the minimum wage
UNPAID_WARNING_DAYS = 14

# follow-up statuses
FOLLOW_UP_NOT_YET_DUE = "not yet due"
FOLLOW_UP_DUE = "due"
FOLLOW_UP_OVERDUE = "overdue"
FOLLOW_UP_DONE = "done"

# guaranteed interview statuses
INTERVIEW_TO_ASSESS = "criteria not yet assessed"
INTERVIEW_NOT_OWED = "not owed"
INTERVIEW_OWED = "owed"
INTERVIEW_HELD = "held"
INTERVIEW_DECLINED = "declined"


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def span_days(first: date, last: date) -> int:
    """Days from ``first`` to ``last``, both counted."""
    return (last - first).days + 1


# --- young people -------------------------------------------------------------------


@dataclass(frozen=True)
class YoungPerson:
    reference: str
    name: str
    date_of_birth: date
    care_status: str  # one of CARE_STATUSES
    consent_hosts_on: date | None = None
    consent_employer_on: date | None = None

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)


def display_name(person: YoungPerson, can_see_names: bool) -> str:
    """The name for people with the care leavers role (or L&D); otherwise the reference."""
    return person.name if can_see_names else person.reference


def young_person_errors(person: YoungPerson, today: date) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if not person.name.strip():
        errors.append(("name", "Enter the young person's name"))
    if person.care_status not in CARE_STATUSES:
        errors.append(("care_status", f"Care status must be one of: {', '.join(CARE_STATUSES)}"))
    if person.date_of_birth >= today:
        errors.append(("date_of_birth", "Date of birth must be in the past"))
    for name, day in (
        ("consent_hosts_on", person.consent_hosts_on),
        ("consent_employer_on", person.consent_employer_on),
    ):
        if day is not None and day > today:
            errors.append((name, "The consent date cannot be in the future"))
    return errors


# --- placements ---------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    type: str
    planned_start: date
    planned_end: date
    planned_hours: Decimal | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    actual_hours: Decimal | None = None
    paid: bool = False
    pay_reason: str = ""
    risk_assessed_on: date | None = None
    risk_assessed_by: str = ""
    outcome: str | None = None  # None until recorded
    directorate: str = ""
    service: str = ""

    @property
    def started(self) -> bool:
        return self.outcome in (COMPLETED, LEFT_EARLY)

    @property
    def ended_on(self) -> date:
        """The actual end when known, else the planned end."""
        return self.actual_end or self.planned_end

    @property
    def days(self) -> int:
        if self.actual_start and self.actual_end:
            return span_days(self.actual_start, self.actual_end)
        return span_days(self.planned_start, self.planned_end)

    @property
    def hours(self) -> Decimal:
        return (
            self.actual_hours
            if self.actual_hours is not None
            else (self.planned_hours or Decimal(0))
        )


def _limit_error(kind: PlacementType, first: date, last: date, which: str) -> str | None:
    if last < first:
        return f"The {which} end date is before the {which} start date"
    days = span_days(first, last)
    if days > kind.max_days:
        longer = [t.name for t in PLACEMENT_TYPES.values() if t.max_days >= days]
        hint = f": record it as {longer[0]}" if longer else ""
        return (
            f"A {kind.name} placement lasts {kind.limit_text}; {which} dates "
            f"{day_text(first)} to {day_text(last)} are {days} days{hint}"
        )
    return None


def placement_errors(p: Placement) -> list[tuple[str, str]]:
    """Every broken rule as (field, message); empty when the placement is valid."""
    errors: list[tuple[str, str]] = []
    kind = PLACEMENT_TYPES.get(p.type)
    if kind is None:
        errors.append(("type", f"Type must be one of: {', '.join(TYPES)}"))
    elif (msg := _limit_error(kind, p.planned_start, p.planned_end, "planned")) is not None:
        errors.append(("planned_end", msg))
    if p.outcome is not None and p.outcome not in OUTCOMES:
        errors.append(("outcome", f"Outcome must be one of: {', '.join(OUTCOMES)}"))
    if p.outcome == DID_NOT_START and (p.actual_start or p.actual_end or p.actual_hours):
        errors.append(("outcome", "A placement that did not start has no actual dates or hours"))
    if p.outcome in (COMPLETED, LEFT_EARLY) and p.actual_start is None:
        errors.append(("actual_start", f"Enter the actual start date of a placement {p.outcome}"))
    if p.outcome in (COMPLETED, LEFT_EARLY) and p.actual_end is None:
        errors.append(("actual_end", f"Enter the actual end date of a placement {p.outcome}"))
    if p.actual_end is not None and p.actual_start is None and not p.started:
        errors.append(("actual_start", "Enter the actual start date"))
    if (
        kind is not None
        and p.actual_start is not None
        and p.actual_end is not None
        and (msg := _limit_error(kind, p.actual_start, p.actual_end, "actual")) is not None
    ):
        errors.append(("actual_end", msg))
    for name, hours in (("planned_hours", p.planned_hours), ("actual_hours", p.actual_hours)):
        if hours is not None and hours <= 0:
            errors.append((name, "Hours must be more than 0"))
        if hours is not None and kind is not None and hours > 24 * kind.max_days:
            errors.append((name, f"{hours} hours do not fit in a {kind.name} placement"))
    if not p.pay_reason.strip():
        errors.append(("pay_reason", "Say why the placement is paid or unpaid"))
    if p.risk_assessed_on is not None and not p.risk_assessed_by.strip():
        errors.append(("risk_assessed_by", "Say who did the risk assessment"))
    return errors


def check_placement(p: Placement) -> Placement:
    """Return ``p`` or raise ``PlacementError`` naming every problem."""
    errors = placement_errors(p)
    if errors:
        raise PlacementError(errors)
    return p


def placement_warnings(p: Placement, as_of: date) -> list[str]:
    """Things to look at that do not stop the record being saved."""
    warnings: list[str] = []
    start = p.actual_start or p.planned_start
    if not p.paid and p.days > UNPAID_WARNING_DAYS and p.outcome != DID_NOT_START:
        warnings.append(
            f"Unpaid for {p.days} days: real work over several weeks may require the "
            "minimum wage (shadowing does not); check the reason"
        )
    if p.risk_assessed_on is None and p.outcome != DID_NOT_START:
        warnings.append(f"No risk assessment recorded for the start on {day_text(start)}")
    elif p.risk_assessed_on is not None and p.risk_assessed_on > start:
        warnings.append(
            f"Risk assessment on {day_text(p.risk_assessed_on)} is after the start on "
            f"{day_text(start)}"
        )
    if p.outcome is None and p.planned_end < as_of:
        warnings.append(f"Planned to end on {day_text(p.planned_end)}: record the outcome")
    return warnings


# --- progression and follow-ups -----------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """A recorded follow-up: what the young person is doing N months after the placement."""

    months: int  # 3 or 6
    recorded_on: date
    progression: str
    apprentice_reference: str | None = None
    note: str = ""


def follow_up_errors(f: FollowUp, placement: Placement) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if f.months not in FOLLOW_UP_MONTHS:
        errors.append(("months", "A follow-up is at 3 or 6 months"))
    if f.progression not in PROGRESSIONS:
        errors.append(("progression", f"Progression must be one of: {', '.join(PROGRESSIONS)}"))
    if f.progression == APPRENTICESHIP and not (f.apprentice_reference or "").strip():
        errors.append(
            (
                "apprentice_reference",
                "Link the apprentice record for a progression to an apprenticeship",
            )
        )
    if f.progression != APPRENTICESHIP and f.apprentice_reference:
        errors.append(("apprentice_reference", "Only an apprenticeship links an apprentice record"))
    if not placement.started:
        errors.append(("months", "Only a placement that started is followed up"))
    elif f.recorded_on < placement.ended_on:
        errors.append(("recorded_on", "A follow-up is recorded after the placement ended"))
    return errors


def check_follow_up(f: FollowUp, placement: Placement) -> FollowUp:
    errors = follow_up_errors(f, placement)
    if errors:
        raise PlacementError(errors)
    return f


def progression_flags(progression: str) -> tuple[str, ...]:
    """Incentive schemes to check on the linked apprentice record (docs/rules.md §7)."""
    return ("16-18-employer", "care-leaver-bursary") if progression == APPRENTICESHIP else ()


@dataclass(frozen=True)
class FollowUpDue:
    months: int
    due_on: date
    status: str
    recorded: FollowUp | None = None
    days_overdue: int = 0

    @property
    def warning(self) -> str:
        if self.status != FOLLOW_UP_OVERDUE:
            return ""
        return (
            f"{self.months}-month follow-up was due on {day_text(self.due_on)}: "
            f"{self.days_overdue} day{'s' if self.days_overdue != 1 else ''} overdue"
        )


def follow_up_date(placement: Placement, months: int) -> date:
    """``months`` calendar months after the day the placement ended."""
    return placement.ended_on + relativedelta(months=months)


def follow_ups(
    placement: Placement, recorded: Iterable[FollowUp], as_of: date
) -> list[FollowUpDue]:
    """The 3- and 6-month follow-ups of a placement that started, with their status."""
    if not placement.started:
        return []
    by_months = {f.months: f for f in recorded}
    out: list[FollowUpDue] = []
    for months in FOLLOW_UP_MONTHS:
        due = follow_up_date(placement, months)
        done = by_months.get(months)
        if done is not None:
            out.append(FollowUpDue(months, due, FOLLOW_UP_DONE, done))
        elif as_of > due:
            out.append(FollowUpDue(months, due, FOLLOW_UP_OVERDUE, None, (as_of - due).days))
        elif as_of >= due - timedelta(days=FOLLOW_UP_SOON_DAYS):
            out.append(FollowUpDue(months, due, FOLLOW_UP_DUE))
        else:
            out.append(FollowUpDue(months, due, FOLLOW_UP_NOT_YET_DUE))
    return out


def latest_progression(recorded: Iterable[FollowUp]) -> str:
    """The progression at the latest follow-up, or ``none yet``."""
    latest = max(recorded, key=lambda f: (f.months, f.recorded_on), default=None)
    return latest.progression if latest else NONE_YET


# --- vacancies and guaranteed interviews --------------------------------------------


@dataclass(frozen=True)
class VacancyApplication:
    """A care leaver's application for a vacancy shared with the care leavers team."""

    met_minimum_criteria: bool | None  # None until assessed
    interview_on: date | None = None
    interview_declined: bool = False


def interview_status(a: VacancyApplication) -> str:
    """``owed`` when the criteria were met and no interview (or refusal) is recorded."""
    if a.interview_on is not None:
        return INTERVIEW_HELD
    if a.met_minimum_criteria is None:
        return INTERVIEW_TO_ASSESS
    if not a.met_minimum_criteria:
        return INTERVIEW_NOT_OWED
    if a.interview_declined:
        return INTERVIEW_DECLINED
    return INTERVIEW_OWED


def interview_warning(a: VacancyApplication, who: str, vacancy: str) -> str:
    if interview_status(a) != INTERVIEW_OWED:
        return ""
    return (
        f"{who} met the minimum criteria for {vacancy}: a guaranteed interview is owed "
        "and none is recorded"
    )


# --- reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementFacts:
    """One placement as the reports see it."""

    placement: Placement
    follow_ups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
class ProgressionRate:
    months: int
    due: int  # placements whose follow-up date has passed (or is today)
    recorded: int
    progressed: int  # recorded with an apprenticeship, a job or education or training

    @property
    def rate(self) -> Decimal | None:
        """Progressed as a share of the follow-ups due; None when none is due yet."""
        if not self.due:
            return None
        return (Decimal(self.progressed) / Decimal(self.due)).quantize(Decimal("0.001"))


@dataclass
class PlacementReport:
    total: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_directorate: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    hours_by_type: dict[str, Decimal] = field(default_factory=dict)
    progression: dict[int, ProgressionRate] = field(default_factory=dict)
    progressions: Counter[str] = field(default_factory=Counter)


def placement_report(rows: Iterable[PlacementFacts], as_of: date) -> PlacementReport:
    """Placements by type, directorate and outcome; progression rates at 3 and 6 months."""
    report = PlacementReport()
    due = Counter[int]()
    recorded = Counter[int]()
    progressed = Counter[int]()
    for row in rows:
        p = row.placement
        report.total += 1
        report.by_type[p.type] += 1
        report.by_directorate[p.directorate or "(none)"] += 1
        report.by_outcome[p.outcome or "not recorded"] += 1
        if p.outcome != DID_NOT_START:
            report.hours_by_type[p.type] = report.hours_by_type.get(p.type, Decimal(0)) + Decimal(
                p.hours
            )
        if p.started:
            report.progressions[latest_progression(row.follow_ups)] += 1
        for item in follow_ups(p, row.follow_ups, as_of):
            if item.due_on > as_of and item.recorded is None:
                continue
            due[item.months] += 1
            if item.recorded is not None:
                recorded[item.months] += 1
                if item.recorded.progression in PROGRESSED:
                    progressed[item.months] += 1
    for months in FOLLOW_UP_MONTHS:
        report.progression[months] = ProgressionRate(
            months, due[months], recorded[months], progressed[months]
        )
    return report


def interview_report(applications: Iterable[VacancyApplication]) -> Counter[str]:
    """Counts of applications by guaranteed-interview status."""
    return Counter(interview_status(a) for a in applications)
