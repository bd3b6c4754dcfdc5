"""A financial year's transfer allowance from the ledger and the reservations of
approved, accepted and funds-used applications."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from levy.domain import transfers as dom
from levy.domain.money import ZERO
from levy.domain.months import financial_year
from levy.extensions import db
from levy.models import LevyTransaction
from levy.models.transfers import (
    TransferApplication,
    TransferPolicy,
)
from levy.services.transfers.payments import paid_by_application
from levy.services.transfers.policy import get_policy, local_share


def ledger_entries() -> list[dom.LedgerEntry]:
    rows = db.session.execute(
        db.select(LevyTransaction.month, LevyTransaction.type, LevyTransaction.amount).where(
            LevyTransaction.type.in_((dom.KIND_LEVY, dom.KIND_TOP_UP, dom.KIND_TRANSFER))
        )
    ).all()
    return [dom.LedgerEntry(month, kind, amount) for month, kind, amount in rows]


def _shares(app: TransferApplication) -> tuple[dom.YearShare, ...]:
    return tuple(dom.YearShare(int(y), Decimal(a)) for y, a in (app.cost_shares or {}).items())


def reservations(exclude: int | None = None) -> list[dom.Reservation]:
    apps = db.session.execute(
        db.select(TransferApplication).where(TransferApplication.status.in_(dom.RESERVING))
    ).scalars()
    paid = paid_by_application()
    result = []
    for app in apps:
        if app.id == exclude:
            continue
        by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for month, amount in paid.get(app.reference, {}).items():
            by_year[financial_year(month).start.year] += amount
        result.append(dom.Reservation(app.reference, _shares(app), dict(by_year)))
    return result


def year_allowance(year_start: int, policy: TransferPolicy | None = None) -> dom.Allowance:
    p = policy or get_policy()
    return dom.allowance(year_start, ledger_entries(), reservations(), local_share=local_share(p))


def allowance_years(today: date, limit: int = 8) -> list[int]:
    """Years worth showing, newest first: next year, this year, and every year whose
    base or payments are in the ledger (at most ``limit``)."""
    months = db.session.execute(
        db.select(LevyTransaction.month, LevyTransaction.type)
        .where(LevyTransaction.type.in_((dom.KIND_LEVY, dom.KIND_TOP_UP, dom.KIND_TRANSFER)))
        .distinct()
    ).all()
    this_year = financial_year(today).start.year
    years = {this_year, this_year + 1}
    for month, kind in months:
        year = financial_year(month).start.year
        if kind == dom.KIND_TRANSFER:
            years.add(year)
        else:  # May to April feeds the base of the year starting in that April
            years.add(year if month.month == 4 else year + 1)
    return sorted(years, reverse=True)[:limit]
