"""A financial year's transfer allowance from the ledger and the reservations of
approved, accepted and funds-used applications."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

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
    """Levy, top-up and transfer rows summed by month and type in the database: the
    allowance only adds them up by month (sums of integer pence are exact), and twenty
    years of rows become a few hundred."""
    rows = db.session.execute(
        db.select(LevyTransaction.month, LevyTransaction.type, db.func.sum(LevyTransaction.amount))
        .where(LevyTransaction.type.in_((dom.KIND_LEVY, dom.KIND_TOP_UP, dom.KIND_TRANSFER)))
        .group_by(LevyTransaction.month, LevyTransaction.type)
    ).all()
    return [dom.LedgerEntry(month, kind, amount) for month, kind, amount in rows]


def _shares(cost_shares: dict[str, Any] | None) -> tuple[dom.YearShare, ...]:
    return tuple(dom.YearShare(int(y), Decimal(a)) for y, a in (cost_shares or {}).items())


def reservations(exclude: int | None = None) -> list[dom.Reservation]:
    """What approved, accepted and funds-used applications reserve, read as columns."""
    apps = db.session.execute(
        db.select(
            TransferApplication.id, TransferApplication.reference, TransferApplication.cost_shares
        ).where(TransferApplication.status.in_(dom.RESERVING))
    ).all()
    paid = paid_by_application()
    result = []
    for app_id, reference, cost_shares in apps:
        if app_id == exclude:
            continue
        by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for month, amount in paid.get(reference, {}).items():
            by_year[financial_year(month).start.year] += amount
        result.append(dom.Reservation(reference, _shares(cost_shares), dict(by_year)))
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
