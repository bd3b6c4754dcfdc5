"""What officers read: the ranked queue and a financial year's report of what was
transferred, to whom and for what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import selectinload

from levy.domain import transfers as dom
from levy.domain.money import ZERO, money_str
from levy.domain.months import financial_year, financial_year_starting
from levy.extensions import db
from levy.models import LevyTransaction
from levy.models.transfers import TransferApplication
from levy.services.transfers.allowance import year_allowance
from levy.services.transfers.businesses import get_profile
from levy.services.transfers.payments import PAYMENT_SOURCE


@dataclass
class QueueRow:
    app: TransferApplication
    remaining: Decimal
    year_label: str


def queue() -> list[QueueRow]:
    """Submitted applications ranked by score (highest first) then submission date."""
    apps = (
        db.session.execute(
            db.select(TransferApplication)
            .where(TransferApplication.status == dom.SUBMITTED)
            .options(selectinload(TransferApplication.organisation))
        )
        .scalars()
        .all()
    )
    apps = sorted(apps, key=lambda a: (-(a.score or 0), a.submitted_on or date.max, a.id))
    cache: dict[int, dom.Allowance] = {}
    rows = []
    for app in apps:
        year = financial_year(app.planned_start).start.year
        if year not in cache:
            cache[year] = year_allowance(year)
        rows.append(QueueRow(app, cache[year].remaining, cache[year].year.label))
    return rows


@dataclass
class YearReport:
    year_label: str
    transferred: Decimal  # paid to local businesses under the scheme
    businesses: int
    apprenticeships: int
    by_district: dict[str, Decimal]
    by_sector: dict[str, Decimal]
    by_target_group: dict[str, int]
    by_level: dict[str, Decimal]
    rows: list[tuple[TransferApplication, Decimal]]
    other_transfers: Decimal = ZERO  # ledger transfers not paid through the scheme

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year_label,
            "transferred": money_str(self.transferred),
            "businesses": self.businesses,
            "apprenticeships": self.apprenticeships,
            "other_transfers": money_str(self.other_transfers),
            "by_district": {k: money_str(v) for k, v in self.by_district.items()},
            "by_sector": {k: money_str(v) for k, v in self.by_sector.items()},
            "by_target_group": self.by_target_group,
            "by_level": {k: money_str(v) for k, v in self.by_level.items()},
        }


def report(year_start: int) -> YearReport:
    """What the council transferred to local businesses in a financial year: the ledger's
    transfer rows paid through this scheme, the businesses and apprenticeships they funded,
    by district, sector, target group and level. Other transfer rows in the ledger (say,
    imported from the apprenticeship service) are reported apart as ``other_transfers``;
    the allowance counts them all as paid."""
    year = financial_year_starting(year_start)
    rows = db.session.execute(
        db.select(LevyTransaction.reference, LevyTransaction.source, LevyTransaction.amount).where(
            LevyTransaction.type == dom.KIND_TRANSFER,
            LevyTransaction.month >= year.start,
            LevyTransaction.month <= year.end,
        )
    ).all()
    by_ref: dict[str, Decimal] = defaultdict(lambda: ZERO)
    other = ZERO
    for reference, source, amount in rows:
        if source == PAYMENT_SOURCE:
            by_ref[reference] += amount
        else:  # e.g. imported from the apprenticeship service's download
            other += amount
    transferred = sum(by_ref.values(), ZERO)
    apps = (
        db.session.execute(
            db.select(TransferApplication)
            .where(TransferApplication.reference.in_(list(by_ref)))
            .order_by(TransferApplication.reference)
        )
        .scalars()
        .all()
        if by_ref
        else []
    )
    by_district: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_sector: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_level: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_group: dict[str, int] = defaultdict(int)
    for app in apps:
        amount = by_ref[app.reference]
        profile = get_profile(app.organisation)
        by_district[(profile.district if profile else None) or "Outside the county"] += amount
        by_sector[(profile.sector if profile else "") or "Not given"] += amount
        by_level[f"Level {app.level}"] += amount
        for group in app.target_groups or ():
            by_group[dom.TARGET_GROUPS.get(group, group)] += app.apprentices_taken or 0
    return YearReport(
        year_label=year.label,
        transferred=transferred,
        businesses=len({a.organisation_id for a in apps}),
        apprenticeships=sum(a.apprentices_taken or 0 for a in apps),
        by_district=dict(sorted(by_district.items())),
        by_sector=dict(sorted(by_sector.items())),
        by_target_group=dict(sorted(by_group.items())),
        by_level=dict(sorted(by_level.items())),
        rows=[(a, by_ref[a.reference]) for a in apps],
        other_transfers=other,
    )


def years_with_transfers() -> list[int]:
    months = (
        db.session.execute(
            db.select(LevyTransaction.month)
            .where(LevyTransaction.type == dom.KIND_TRANSFER)
            .distinct()
        )
        .scalars()
        .all()
    )
    return sorted({financial_year(m).start.year for m in months}, reverse=True)
