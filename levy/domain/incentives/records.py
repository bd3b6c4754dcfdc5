"""The whole picture for one apprentice, what falls due, and totals by scheme."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from levy.domain.incentives.applications import Application, application_status
from levy.domain.incentives.base import (
    APPLIED,
    DUE,
    FORFEITED,
    MISSED,
    NOT_APPLIED,
    NOT_YET_DUE,
    PAID,
    IncentiveApprentice,
)
from levy.domain.incentives.eligibility import Eligibility, all_schemes
from levy.domain.incentives.schedule import Instalment, Payment, instalments
from levy.domain.money import ZERO
from levy.domain.rules import RULES, RuleBook
from levy.domain.schemes import SCHEMES

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
