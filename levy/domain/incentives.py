"""Incentive payments and the care leavers' bursary (docs/rules.md §5, issue 7).

Schemes (ids are part of the CLI contract):

* ``new-hire-1``, ``new-hire-2``, ``new-hire-3``: the new-hire incentive, paid to the
  organisation. The phase is chosen by the **employment start**; the apprenticeship
  start must fall in the phase's start window; the amount depends on the age at the
  apprenticeship start (phase 1: £2,000 aged 16-24, £1,500 aged 25 or over). The
  apprentice must not have been employed by the organisation in the 6 months before
  the employment start, and only one new-hire incentive is paid per apprentice. The
  organisation applies once, inside the phase's application window.
* ``16-18-employer``: £500 + £500 to the employer (via the provider) for apprentices
  aged 16-18 at the start, or 19-24 with an EHC plan or who are care leavers and
  consent to the employer being told.
* ``care-leaver-bursary``: to the apprentice (via the provider): £1,000 at day 60 for
  starts 1 Aug 2018 - 31 Jul 2023; £1,000 at days 60, 120 and 300 from 1 Aug 2023.

Every amount, window and day count comes from the ``incentive.*`` rows of
``levy.domain.rules``; nothing here is a dated ``if``.

Due dates (issue 7 rule 2): an instalment due "after N days" falls due on the day the
apprentice completes N days in learning. Day 1 is the start date and days on a break
do not count, so with no break the due date is start + N - 1 days, and each break that
begins before that day pushes it back by the break's length (first and last days both
count as days on break).

Statuses (issue 7 rule 3), each a small state machine:

* application: ``not applied`` -> ``applied`` (date, reference), or ``missed`` once the
  application window closed first (provider-claimed schemes have no window);
* instalment: ``not yet due`` -> ``due`` -> ``paid`` (date, amount), or ``forfeited``
  when the apprentice completed, withdrew or left employment before the due date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from levy.domain.commitments import Break
from levy.domain.errors import DomainError, TransitionNotAllowed
from levy.domain.fields import FieldError, parse_text
from levy.domain.money import ZERO, format_money, round_pence
from levy.domain.months import age_on
from levy.domain.rules import RULES, RuleBook, RuleNotFound
from levy.domain.schemes import NEW_HIRE_SCHEMES, SCHEME_NAMES, SCHEMES

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


# --- eligibility --------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether one scheme pays for one apprentice, how much and when."""

    scheme: str
    eligible: bool
    amounts: tuple[Decimal, ...] = ()
    days: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()  # why not eligible
    notes: tuple[str, ...] = ()  # how the amount was decided
    claimed_by: str = "organisation"  # "organisation" applies itself; "provider" claims
    claim_from: date | None = None
    claim_to: date | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)

    @property
    def reason(self) -> str:
        """The sentence shown on the record: why not, or how the amount was decided."""
        return "; ".join(self.reasons if not self.eligible else self.notes)

    @property
    def has_window(self) -> bool:
        return self.claim_to is not None


def _window_text(first: date, last: date) -> str:
    return f"{day_text(first)} to {day_text(last)}"


def _phase_row(scheme: str, rules: RuleBook) -> dict:
    """The (only) row of a new-hire phase: its windows are in the value."""
    rows = rules.history(f"incentive.{scheme}")
    if not rows:  # pragma: no cover - the table always has the phases
        raise RuleNotFound(f"no rule 'incentive.{scheme}'")
    return rows[0].value


def _new_hire(a: IncentiveApprentice, scheme: str, rules: RuleBook) -> Eligibility:
    row = _phase_row(scheme, rules)
    try:
        # keyed by the employment start: raises outside the phase's employment window
        row = rules.value(f"incentive.{scheme}", a.employed_from)
        in_window = True
    except RuleNotFound:
        in_window = False
    reasons: list[str] = []
    notes: list[str] = []
    base = {
        "scheme": scheme,
        "days": tuple(row["days"]),
        "claimed_by": row["claimed_by"],
        "claim_from": row["claim_from"],
        "claim_to": row["claim_to"],
    }
    if not in_window:
        reasons.append(
            f"employment started {day_text(a.employed_from)}, outside this phase's "
            f"employment window ({_window_text(row['employment_from'], row['employment_to'])})"
        )
        return Eligibility(eligible=False, reasons=tuple(reasons), **base)
    if not row["start_from"] <= a.apprenticeship_start <= row["start_to"]:
        reasons.append(
            f"apprenticeship started {day_text(a.apprenticeship_start)}, outside this phase's "
            f"start window ({_window_text(row['start_from'], row['start_to'])})"
        )
    months = rules.value("incentive.new-hire.prior_employment_months", a.employed_from)
    if a.previously_employed_until is not None:
        window_from = a.employed_from - relativedelta(months=months)
        if window_from <= a.previously_employed_until < a.employed_from:
            reasons.append(f"employed by {a.employer_name} within the {months} months before")
        elif a.previously_employed_until >= a.employed_from:
            reasons.append(f"already employed by {a.employer_name}: not a new hire")
    if a.new_hire_claimed_elsewhere:
        reasons.append(
            f"one incentive per apprentice: {a.new_hire_claimed_elsewhere} already claimed"
        )
    age = a.age_at_start
    if age < row["min_age"]:
        reasons.append(f"aged {age} at start: apprentices must be {row['min_age']} or over")
    if row["amount_25_plus"] != row["amount_16_24"]:
        if age >= row["older_from_age"]:
            total = row["amount_25_plus"]
            notes.append(
                f"aged {row['older_from_age']} or over at start: "
                f"{format_money(total, pence=False)}, "
                f"not {format_money(row['amount_16_24'], pence=False)}"
            )
        else:
            total = row["amount_16_24"]
            notes.append(
                f"aged {age} at start (16 to {row['older_from_age'] - 1}): "
                f"{format_money(total, pence=False)}"
            )
    else:
        total = row["amount_16_24"]
        notes.append(f"any age: {format_money(total, pence=False)}")
    if reasons:
        return Eligibility(eligible=False, reasons=tuple(reasons), **base)
    return Eligibility(
        eligible=True, amounts=equal_split(total, len(row["days"])), notes=tuple(notes), **base
    )


def equal_split(total: Decimal, parts: int) -> tuple[Decimal, ...]:
    """Equal instalments rounded half-up to the penny, the last taking the remainder."""
    each = round_pence(total / parts)
    return (*([each] * (parts - 1)), total - each * (parts - 1))


def _employer_1618(a: IncentiveApprentice, rules: RuleBook) -> Eligibility:
    row = rules.value("incentive.16-18-employer", a.apprenticeship_start)
    base = {"scheme": "16-18-employer", "days": tuple(row["days"]), "claimed_by": row["claimed_by"]}
    age = a.age_at_start
    low, high = row["ages"]
    ext_low, ext_high = row["extended_ages"]
    amounts = tuple(row["amounts"])
    if low <= age <= high:
        return Eligibility(eligible=True, amounts=amounts, notes=(f"aged {age} at start",), **base)
    if ext_low <= age <= ext_high:
        if a.ehc_plan:
            note = f"aged {age} at start with an EHC plan"
            return Eligibility(eligible=True, amounts=amounts, notes=(note,), **base)
        if a.care_leaver and a.care_leaver_consent:
            note = f"aged {age} at start, a care leaver who consented to the employer being told"
            return Eligibility(eligible=True, amounts=amounts, notes=(note,), **base)
        if a.care_leaver:
            reason = (
                f"aged {age} at start: a care leaver, but has not consented to the "
                "employer being told"
            )
        else:
            reason = (
                f"aged {age} at start: {ext_low} to {ext_high} only with an EHC plan "
                "or as a care leaver"
            )
        return Eligibility(eligible=False, reasons=(reason,), **base)
    if age < low:
        reason = f"aged {age} at start: under {low}"
    else:
        reason = f"aged {ext_high + 1} or over at start"
    return Eligibility(eligible=False, reasons=(reason,), **base)


def _bursary(a: IncentiveApprentice, rules: RuleBook) -> Eligibility:
    key = "incentive.care-leaver-bursary"
    try:
        row = rules.value(key, a.apprenticeship_start)
    except RuleNotFound:
        first = min(r.valid_from for r in rules.history(key) if r.valid_from)
        reason = (
            f"apprenticeship started {day_text(a.apprenticeship_start)}, before the bursary "
            f"began ({day_text(first)})"
        )
        return Eligibility(
            scheme="care-leaver-bursary", eligible=False, reasons=(reason,), claimed_by="provider"
        )
    base = {
        "scheme": "care-leaver-bursary",
        "days": tuple(row["days"]),
        "claimed_by": row["claimed_by"],
    }
    reasons: list[str] = []
    if not a.care_leaver:
        reasons.append("not a care leaver")
    elif not a.care_leaver_consent:
        reasons.append("a care leaver, but has not consented to the employer being told")
    low, high = row["ages"]
    age = a.age_at_start
    if not low <= age <= high:
        reasons.append(f"aged {age} at start: the bursary is for care leavers aged {low} to {high}")
    if reasons:
        return Eligibility(eligible=False, reasons=tuple(reasons), **base)
    amounts = tuple(row["amounts"])
    note = (
        f"started {day_text(a.apprenticeship_start)}: "
        f"{format_money(sum(amounts, ZERO), pence=False)} in {len(amounts)} "
        f"payment{'s' if len(amounts) > 1 else ''}"
    )
    return Eligibility(eligible=True, amounts=amounts, notes=(note,), **base)


def eligibility(a: IncentiveApprentice, scheme: str, rules: RuleBook = RULES) -> Eligibility:
    """Whether ``scheme`` pays for apprentice ``a``, with the reason in plain English."""
    check_scheme(scheme)
    if scheme in NEW_HIRE_SCHEMES:
        return _new_hire(a, scheme, rules)
    if scheme == "16-18-employer":
        return _employer_1618(a, rules)
    return _bursary(a, rules)


def all_schemes(a: IncentiveApprentice, rules: RuleBook = RULES) -> list[Eligibility]:
    """Every scheme, in ``SCHEMES`` order, eligible or not."""
    return [eligibility(a, scheme, rules) for scheme in SCHEMES]


def eligible_schemes(a: IncentiveApprentice, rules: RuleBook = RULES) -> list[Eligibility]:
    """The schemes that pay for ``a`` (at most one new-hire phase)."""
    found = [e for e in all_schemes(a, rules) if e.eligible]
    new_hire = [e for e in found if e.scheme in NEW_HIRE_SCHEMES]
    if len(new_hire) > 1:  # pragma: no cover - the phases' windows do not overlap
        raise IncentiveError("one incentive per apprentice: more than one new-hire phase matched")
    return found


# --- due dates ----------------------------------------------------------------------


def _closed_breaks(
    start: date, breaks: Iterable[Break], open_until: date | None
) -> list[tuple[date, date]]:
    """Breaks clipped to the start date, open ones run to ``open_until``, overlaps merged."""
    spans: list[tuple[date, date]] = []
    for brk in breaks:
        end = brk.end if brk.end is not None else open_until
        if end is None:
            raise IncentiveError(
                f"the break from {day_text(brk.start)} is still open: give the date to count to"
            )
        first = max(brk.start, start)
        if end < first:
            continue
        spans.append((first, end))
    spans.sort()
    merged: list[tuple[date, date]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def due_date(
    start: date, days: int, breaks: Iterable[Break] = (), open_until: date | None = None
) -> date:
    """The day the apprentice completes ``days`` days in learning (issue 7 rule 2).

    Day 1 is ``start``; with no break the answer is ``start + days - 1``. Each break that
    begins before the due date worked out so far pushes it back by the break's length in
    days, first and last days included. An open break counts as running to
    ``open_until`` (the as-of date: the earliest the apprentice could be back).
    """
    if days < 1:
        raise ValueError("an instalment falls due after at least 1 day in learning")
    due = start + timedelta(days=days - 1)
    for first, last in _closed_breaks(start, breaks, open_until):
        if first <= due:
            due += timedelta(days=(last - first).days + 1)
    return due


# --- applications -------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """The recorded application (or date the provider was told); empty when not applied."""

    applied_on: date | None = None
    reference: str = ""


def application_status(e: Eligibility, application: Application | None, as_of: date) -> str:
    """``applied`` once recorded; ``missed`` once the window closed first; else ``not applied``."""
    if application is not None and application.applied_on is not None:
        return APPLIED
    if e.claim_to is not None and as_of > e.claim_to:
        return MISSED
    return NOT_APPLIED


def days_left_to_apply(e: Eligibility, as_of: date) -> int | None:
    """Days you can still apply on, today included (None without a window, 0 once closed)."""
    if e.claim_to is None:
        return None
    return max(0, (e.claim_to - as_of).days + 1)


def apply(
    e: Eligibility,
    application: Application | None,
    on: date,
    reference: str,
    as_of: date | None = None,
) -> Application:
    """Record the application (``not applied -> applied``) or refuse with a reason.

    The organisation applies for a new-hire phase inside its application window and gives
    the claim reference; for provider-claimed schemes ``on`` is the day the provider was
    told and the reference is optional.
    """
    name = SCHEME_NAMES[e.scheme]
    if not e.eligible:
        raise ApplicationRefused(f"not eligible for the {name}: {e.reason}")
    current = application_status(e, application, on)  # the window is judged on the date applied
    if current == APPLIED:
        assert application is not None
        assert application.applied_on is not None
        ref = f" (reference {application.reference})" if application.reference else ""
        raise ApplicationRefused(
            f"the {name} was already applied for on {day_text(application.applied_on)}{ref}"
        )
    if as_of is not None and on > as_of:
        raise ApplicationRefused(f"the application date {day_text(on)} is in the future")
    if e.claim_from is not None and on < e.claim_from:
        raise ApplicationRefused(
            f"applications for the {name} open on {day_text(e.claim_from)}, not {day_text(on)}"
        )
    if current == MISSED or (e.claim_to is not None and on > e.claim_to):
        assert e.claim_to is not None
        raise ApplicationRefused(
            f"the application window for the {name} closed on {day_text(e.claim_to)}: "
            "the claim is missed"
        )
    try:
        reference = parse_text(reference, label="The claim reference", max_length=100)
    except FieldError as exc:
        raise ApplicationRefused(str(exc)) from None
    if e.claimed_by == "organisation" and not reference:
        raise ApplicationRefused("enter the claim reference from the apprenticeship service")
    check_move(APPLICATION_MOVES, NOT_APPLIED, APPLIED, f"the application for the {name}")
    return Application(applied_on=on, reference=reference)


# --- instalments --------------------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    """A payment received for one instalment."""

    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class Instalment:
    """One instalment of one scheme, with its status on the as-of date."""

    scheme: str
    number: int  # 1, 2, 3
    days: int  # due after this many days in learning
    amount: Decimal
    due_date: date | None  # None when forfeited before it could be reached
    status: str
    payment: Payment | None = None
    forfeit_reason: str = ""
    moved_by: int = 0  # days the due date moved because of breaks in learning

    @property
    def label(self) -> str:
        return f"instalment {self.number} of {self.scheme}"

    @property
    def received(self) -> Decimal:
        return self.payment.amount if self.payment else ZERO


def instalments(
    a: IncentiveApprentice,
    e: Eligibility,
    payments: Mapping[int, Payment] | None = None,
    as_of: date | None = None,
) -> list[Instalment]:
    """The scheme's instalments for ``a`` with their due dates and statuses on ``as_of``.

    A recorded payment makes an instalment ``paid``; otherwise it is ``forfeited`` when the
    apprentice completed, withdrew or left employment before its due date, ``due`` once the
    due date is reached, and ``not yet due`` before. Ineligible schemes have none.
    """
    if not e.eligible:
        return []
    payments = payments or {}
    today = as_of or date.max
    ended = a.ended_on
    if ended is not None and ended > today:
        ended = None  # not yet happened on the as-of date
    open_until = ended if ended is not None else as_of
    result: list[Instalment] = []
    for number, (days, amount) in enumerate(zip(e.days, e.amounts, strict=True), start=1):
        payment = payments.get(number)
        try:
            due: date | None = due_date(a.apprenticeship_start, days, a.breaks, open_until)
        except IncentiveError:
            due = None  # open break and no as-of date: not yet known
        moved = (due - a.apprenticeship_start).days - (days - 1) if due is not None else 0
        if payment is not None:
            result.append(
                Instalment(e.scheme, number, days, amount, due, PAID, payment, moved_by=moved)
            )
            continue
        if ended is not None and (due is None or ended < due):
            reason = f"{a.end_reason} on {day_text(ended)}, before day {days}"
            result.append(
                Instalment(e.scheme, number, days, amount, None, FORFEITED, forfeit_reason=reason)
            )
            continue
        status = DUE if due is not None and today >= due else NOT_YET_DUE
        result.append(Instalment(e.scheme, number, days, amount, due, status, moved_by=moved))
    return result


def mark_paid(
    instalment: Instalment,
    application: str,
    on: date,
    amount: Decimal,
    as_of: date | None = None,
) -> Payment:
    """Record a payment (``due -> paid``) or refuse it with a reason a person can act on."""
    what = instalment.label
    if instalment.status == PAID:
        assert instalment.payment is not None
        raise PaymentRefused(
            f"{what} was already recorded as paid on {day_text(instalment.payment.paid_on)}"
        )
    if instalment.status == FORFEITED:
        raise PaymentRefused(f"{what} was forfeited: the apprentice {instalment.forfeit_reason}")
    if application != APPLIED:
        raise PaymentRefused(
            f"record the application for {instalment.scheme} before a payment "
            f"(the application is {application})"
        )
    if instalment.status == NOT_YET_DUE:
        when = (
            f"until {day_text(instalment.due_date)}"
            if instalment.due_date
            else "while a break in learning is open"
        )
        raise PaymentRefused(f"{what} is not due {when}")
    assert instalment.due_date is not None
    if on < instalment.due_date:
        raise PaymentRefused(
            f"{what} fell due on {day_text(instalment.due_date)}: it cannot have been paid "
            f"on {day_text(on)}"
        )
    if as_of is not None and on > as_of:
        raise PaymentRefused(f"the payment date {day_text(on)} is in the future")
    amount = Decimal(amount)
    if amount <= ZERO:
        raise PaymentRefused("enter the amount received: more than £0.00")
    if amount != round_pence(amount):
        raise PaymentRefused(f"{amount} has more than 2 decimal places")
    check_move(INSTALMENT_MOVES, instalment.status, PAID, what)
    return Payment(paid_on=on, amount=amount)


# --- the whole picture for one apprentice -------------------------------------------


@dataclass(frozen=True)
class SchemeRecord:
    """One scheme for one apprentice: eligibility, application and instalments."""

    apprentice: str
    eligibility: Eligibility
    application: Application
    application_status: str
    instalments: tuple[Instalment, ...] = field(default_factory=tuple)

    @property
    def scheme(self) -> str:
        return self.eligibility.scheme


def scheme_records(
    a: IncentiveApprentice,
    applications: Mapping[str, Application] | None = None,
    payments: Mapping[tuple[str, int], Payment] | None = None,
    as_of: date | None = None,
    rules: RuleBook = RULES,
    only_eligible: bool = False,
) -> list[SchemeRecord]:
    """Every scheme (or only the eligible ones) for ``a`` on ``as_of``."""
    applications = applications or {}
    payments = payments or {}
    today = as_of or date.max
    records = []
    for e in all_schemes(a, rules):
        if only_eligible and not e.eligible:
            continue
        app = applications.get(e.scheme) or Application()
        mine = {k: p for (s, k), p in payments.items() if s == e.scheme}
        records.append(
            SchemeRecord(
                apprentice=a.reference,
                eligibility=e,
                application=app,
                application_status=application_status(e, app, today) if e.eligible else NOT_APPLIED,
                instalments=tuple(instalments(a, e, mine, as_of)),
            )
        )
    return records


def falling_due(
    records: Iterable[SchemeRecord], as_of: date, within_days: int = 30
) -> list[tuple[SchemeRecord, Instalment]]:
    """Instalments not yet due whose due date is in the next ``within_days`` days."""
    horizon = as_of + timedelta(days=within_days)
    return [
        (r, i)
        for r in records
        for i in r.instalments
        if i.status == NOT_YET_DUE and i.due_date is not None and as_of < i.due_date <= horizon
    ]


@dataclass
class SchemeTotals:
    """Money by status for one scheme."""

    scheme: str
    apprentices: int = 0
    expected: Decimal = ZERO
    not_yet_due: Decimal = ZERO
    due: Decimal = ZERO
    paid: Decimal = ZERO
    forfeited: Decimal = ZERO
    applied: int = 0
    not_applied: int = 0
    missed: int = 0


def totals_by_scheme(records: Iterable[SchemeRecord]) -> dict[str, SchemeTotals]:
    """Totals for every scheme (in ``SCHEMES`` order) over eligible records."""
    out = {scheme: SchemeTotals(scheme) for scheme in SCHEMES}
    for r in records:
        if not r.eligibility.eligible:
            continue
        t = out[r.scheme]
        t.apprentices += 1
        t.expected += r.eligibility.total
        if r.application_status == APPLIED:
            t.applied += 1
        elif r.application_status == MISSED:
            t.missed += 1
        else:
            t.not_applied += 1
        for i in r.instalments:
            if i.status == PAID:
                t.paid += i.received
            elif i.status == DUE:
                t.due += i.amount
            elif i.status == FORFEITED:
                t.forfeited += i.amount
            else:
                t.not_yet_due += i.amount
    return out
