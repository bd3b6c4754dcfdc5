"""The home page's incentive claims to act on, counted in SQL (issue 21, item 4).

``services.incentives.claims_due`` builds every apprentice's schedule to list the claims;
the home card only needs four numbers, so this module asks the database for them in one
statement, with the same rules: eligibility, application windows and instalment due dates
all come from the ``incentive.*`` rows of ``levy.domain.rules``, turned into SQL here.

How the domain's schedule maps to SQL:

* an instalment due after N days in learning is due on the as-of date when the days in
  learning from the start to the as-of date (the days not on a break, breaks clipped to
  the start, an open break running to the end or the as-of date) are N or more; it is
  forfeited when the apprentice ended (completed, withdrew or left employment) on or
  before the as-of date with fewer than N days in learning by then;
* an application window is a constant of the scheme's rule row, so "to apply" and
  "missed" only need the eligible records with no application;
* two rules need the person, not the row: one new-hire incentive per person (same name
  and date of birth, as ``services.incentives`` compares them in Python) and breaks that
  overlap (the domain merges them). Both are rare: a small first statement finds them, the
  first is passed to the count as a list of ids, the second is scheduled by the domain.

``tests/incentives/test_incentive_counts.py`` compares these counts with ``claims_due``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    exists,
    extract,
    false,
    literal,
    or_,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from levy.domain import incentives as inc
from levy.domain.rules import RULES, Rule, RuleBook
from levy.domain.schemes import NEW_HIRE_SCHEMES
from levy.extensions import db
from levy.models import Apprentice
from levy.models.base import Money
from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from levy.models.programme import ApprenticeBreak
from levy.services.incentives import ClaimedSoFar, schemes_for

ENDED_STATUSES = ("completed", "withdrawn", "cancelled")
_FAR = date(9999, 12, 31)


@dataclass(frozen=True)
class ClaimCounts:
    """What the home card shows: claims to apply for (and how many of their windows close
    soon), instalments due and not received, applications missed."""

    to_apply: int = 0
    closing: int = 0
    due: int = 0
    missed: int = 0

    def __add__(self, other: ClaimCounts) -> ClaimCounts:
        return ClaimCounts(
            self.to_apply + other.to_apply,
            self.closing + other.closing,
            self.due + other.due,
            self.missed + other.missed,
        )


# --- dates as day numbers, on SQLite and PostgreSQL ---------------------------------


class day_number(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it is
    """A date as a whole number of days, so that differences are days on both databases."""

    type = Integer()
    inherit_cache = True


@compiles(day_number)
def _day_number_sqlite(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"(CAST({compiler.process(element.clauses, **kw)} AS DATE) - DATE '2000-01-01')"


def _least(a: Any, b: Any) -> ColumnElement[Any]:
    return case((a <= b, a), else_=b)


def _greatest(a: Any, b: Any) -> ColumnElement[Any]:
    return case((a >= b, a), else_=b)


def _part(field: str, day: Any) -> ColumnElement[int]:
    return cast(extract(field, day), Integer)


def age_at(born: Any, day: Any) -> ColumnElement[int]:
    """``months.age_on`` in SQL: whole years, a 29 February birthday on 28 February in
    other years. (Before the birth it counts down differently, but every age rule starts
    at 16.)"""
    year, month, dom = _part("year", day), _part("month", day), _part("day", day)
    born_year, born_month, born_day = _part("year", born), _part("month", born), _part("day", born)
    leap = and_(year % 4 == 0, or_(year % 100 != 0, year % 400 == 0))
    birthday = case((and_(born_month == 2, born_day == 29, ~leap), 28), else_=born_day)
    before = or_(month < born_month, and_(month == born_month, dom < birthday))
    return year - born_year - case((before, 1), else_=0)


def _applies(rule: Rule, day: Any) -> ColumnElement[bool]:
    parts = []
    if rule.valid_from is not None:
        parts.append(day >= rule.valid_from)
    if rule.valid_to is not None:
        parts.append(day <= rule.valid_to)
    return and_(*parts) if parts else literal(True)


def _chosen(rules: RuleBook, key: str, day: Any) -> list[tuple[Rule, ColumnElement[bool]]]:
    """Each row of ``key`` with the condition that it is the one ``rules.value(key, day)``
    picks (the first that applies)."""
    out = []
    earlier: list[ColumnElement[bool]] = []
    for rule in rules.history(key):
        here = _applies(rule, day)
        out.append((rule, and_(here, *[~e for e in earlier]) if earlier else here))
        earlier.append(here)
    return out


# --- the statements -----------------------------------------------------------------


def _people_apart() -> tuple[set[int], set[int]]:
    """(apprentices whose person has a new-hire claim on another apprenticeship,
    apprentices whose breaks may overlap), from one small statement."""
    other, claim = aliased(Apprentice), aliased(IncentiveApplication)
    claimed_births = (
        db.select(other.date_of_birth)
        .join(claim, claim.apprentice_id == other.id)
        .where(claim.scheme.in_(NEW_HIRE_SCHEMES))
    )
    first, second = aliased(ApprenticeBreak), aliased(ApprenticeBreak)
    overlapping = exists().where(
        first.apprentice_id == Apprentice.id,
        second.apprentice_id == Apprentice.id,
        first.id < second.id,
        first.start <= db.func.coalesce(second.end, _FAR),
        second.start <= db.func.coalesce(first.end, _FAR),
    )
    has_claim = exists().where(
        IncentiveApplication.apprentice_id == Apprentice.id,
        IncentiveApplication.scheme.in_(NEW_HIRE_SCHEMES),
    )
    rows = db.session.execute(
        db.select(
            Apprentice.id,
            Apprentice.first_name,
            Apprentice.last_name,
            Apprentice.date_of_birth,
            has_claim,
            overlapping,
        ).where(
            Apprentice.programme_type == "apprenticeship",
            or_(Apprentice.date_of_birth.in_(claimed_births), overlapping),
        )
    ).all()
    claimers: dict[tuple[str, str, date], set[int]] = {}
    for id_, first_name, last_name, born, claims, _ in rows:
        if claims:
            key = (first_name.strip().lower(), last_name.strip().lower(), born)
            claimers.setdefault(key, set()).add(id_)
    elsewhere = {
        id_
        for id_, first_name, last_name, born, _, _ in rows
        if claimers.get((first_name.strip().lower(), last_name.strip().lower(), born), set())
        - {id_}
    }
    return elsewhere, {row[0] for row in rows if row[5]}


def _count_in_sql(
    as_of: date, elsewhere: Iterable[int], left_out: Iterable[int], closing_within: int
) -> tuple[ClaimCounts, int, Decimal]:
    """The counts for every apprentice but ``left_out``; with the applications recorded
    and the money received (the other card), in the same statement."""
    a = Apprentice
    rules = RULES
    today = day_number(literal(as_of, Date))
    start = db.func.coalesce(a.actual_start, a.planned_start)
    employed = db.func.coalesce(a.employment_start, start)
    status_end = case(
        (a.status.in_(ENDED_STATUSES), day_number(db.func.coalesce(a.status_date, start))),
        else_=None,
    )
    left = day_number(a.left_employment_on)
    ended = case(
        (status_end.is_(None), left),
        (left.is_(None), status_end),
        else_=_least(status_end, left),
    )
    people = (
        db.select(
            a.id.label("id"),
            day_number(start).label("start"),
            case((ended <= today, ended), else_=None).label("ended"),
            age_at(a.date_of_birth, start).label("age"),
        )
        .where(a.programme_type == "apprenticeship", a.id.not_in(list(left_out)))
        .subquery("people")
    )

    def break_days(until: Any) -> ColumnElement[int]:
        """Days on a break from the start to ``until``, both included."""
        b = ApprenticeBreak
        first = _greatest(day_number(b.start), people.c.start)
        last = _least(
            db.func.coalesce(day_number(b.end), db.func.coalesce(people.c.ended, today)), until
        )
        return (
            db.select(
                db.func.coalesce(db.func.sum(case((last >= first, last - first + 1), else_=0)), 0)
            )
            .where(b.apprentice_id == people.c.id)
            .scalar_subquery()
        )

    learned = (
        db.select(
            people.c.id,
            people.c.ended,
            people.c.age,
            (today - people.c.start + 1 - break_days(today)).label("by_today"),
            case(
                (people.c.ended.is_(None), None),
                else_=people.c.ended - people.c.start + 1 - break_days(people.c.ended),
            ).label("by_end"),
        )
    ).subquery("learned")

    p = learned.c
    age = p.age
    consented = and_(a.care_leaver, a.care_leaver_consent_on.is_not(None))

    # (scheme, rule row, condition that the row applies and pays)
    records: list[tuple[str, Rule, ColumnElement[bool]]] = []
    prior = [
        and_(chosen, ~a.new_hire)
        for rule, chosen in _chosen(rules, "incentive.new-hire.prior_employment_months", employed)
        if rule.value >= 1
    ]
    not_new_hire = or_(*prior) if prior else false()
    for scheme in NEW_HIRE_SCHEMES:
        for rule, chosen in _chosen(rules, f"incentive.{scheme}", employed):
            row = rule.value
            eligible = and_(
                chosen,
                start >= row["start_from"],
                start <= row["start_to"],
                ~not_new_hire,
                a.id.not_in(list(elsewhere)),
                age >= row["min_age"],
            )
            records.append((scheme, rule, eligible))
    for rule, chosen in _chosen(rules, "incentive.16-18-employer", start):
        row = rule.value
        low, high = row["ages"]
        ext_low, ext_high = row["extended_ages"]
        extended = and_(age >= ext_low, age <= ext_high, or_(a.ehc_plan, consented))
        records.append(
            ("16-18-employer", rule, and_(chosen, or_(and_(age >= low, age <= high), extended)))
        )
    for rule, chosen in _chosen(rules, "incentive.care-leaver-bursary", start):
        low, high = rule.value["ages"]
        records.append(
            ("care-leaver-bursary", rule, and_(chosen, consented, age >= low, age <= high))
        )

    def applied(scheme: str) -> ColumnElement[bool]:
        return exists().where(
            IncentiveApplication.apprentice_id == a.id, IncentiveApplication.scheme == scheme
        )

    def paid(scheme: str, number: int) -> ColumnElement[bool]:
        return exists().where(
            IncentiveInstalment.apprentice_id == a.id,
            IncentiveInstalment.scheme == scheme,
            IncentiveInstalment.number == number,
        )

    not_applied = [
        db.func.coalesce(db.func.sum(case((and_(eligible, ~applied(scheme)), 1), else_=0)), 0)
        for scheme, _, eligible in records
    ]
    due_terms = [
        case(
            (
                and_(
                    eligible,
                    ~paid(scheme, number),
                    p.by_today >= days,
                    or_(p.ended.is_(None), p.by_end >= days),
                ),
                1,
            ),
            else_=0,
        )
        for scheme, rule, eligible in records
        for number, days in enumerate(rule.value["days"], start=1)
    ]
    due = db.func.coalesce(db.func.sum(sum(due_terms[1:], due_terms[0])), 0)
    applications = db.select(db.func.count(IncentiveApplication.id)).scalar_subquery()
    # the sum of a Money column is integer pence in the database: Money converts it
    received = (
        db.select(db.func.coalesce(db.func.sum(IncentiveInstalment.amount), 0))
        .scalar_subquery()
        .label("received")
    )
    found = db.session.execute(
        db.select(due, *not_applied)
        .select_from(learned)
        .join(a, a.id == p.id)
        .add_columns(applications, type_coerce(received, Money))
    ).one()
    to_apply = closing = missed = 0
    for (_, rule, _), waiting in zip(records, found[1 : len(records) + 1], strict=True):
        claim_to = rule.value.get("claim_to")
        if claim_to is None or as_of <= claim_to:
            to_apply += waiting
            if claim_to is not None and (claim_to - as_of).days + 1 <= closing_within:
                closing += waiting
        else:
            missed += waiting
    return ClaimCounts(to_apply, closing, found[0], missed), found[-2], Decimal(found[-1])


def _count_schedules(as_of: date, ids: Sequence[int], closing_within: int) -> ClaimCounts:
    """The domain's schedules for the few apprentices SQL leaves out."""
    if not ids:
        return ClaimCounts()
    apprentices = db.session.execute(
        db.select(Apprentice)
        .where(Apprentice.id.in_(ids))
        .options(selectinload(Apprentice.breaks), selectinload(Apprentice.organisation))
    ).scalars()
    to_apply = closing = due = missed = 0
    for item in schemes_for(apprentices, as_of, only_eligible=True):
        for r in item.records:
            if r.application_status == inc.NOT_APPLIED:
                to_apply += 1
                left = inc.days_left_to_apply(r.eligibility, as_of)
                closing += left is not None and left <= closing_within
            elif r.application_status == inc.MISSED:
                missed += 1
            due += sum(1 for i in r.instalments if i.status == inc.DUE)
    return ClaimCounts(to_apply, closing, due, missed)


def home_figures(as_of: date, closing_within: int = 30) -> tuple[ClaimedSoFar, ClaimCounts]:
    """The home cards' figures in two statements: ``claimed_so_far()``, and the counts
    ``claims_due(as_of)`` gives: ``to_apply``, of those the windows closing within
    ``closing_within`` days, ``due`` and ``missed``."""
    elsewhere, overlapping = _people_apart()
    counted, applications, received = _count_in_sql(as_of, elsewhere, overlapping, closing_within)
    counts = counted + _count_schedules(as_of, sorted(overlapping), closing_within)
    return ClaimedSoFar(applications, received), counts


def claim_counts(as_of: date, closing_within: int = 30) -> ClaimCounts:
    """The counts of ``home_figures``."""
    return home_figures(as_of, closing_within)[1]
