"""Each directorate's fair share of starts (the method finance chose), and the public-sector
target report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from levy.domain.accounts import Actor
from levy.domain.cohorts import ApprenticeRecord
from levy.domain.money import money_str
from levy.domain.months import financial_year_starting
from levy.domain.quotas import (
    DirectorateFigures,
    QuotaMethod,
    Rag,
    RagReading,
    TargetLine,
    directorate_targets,
    public_sector_report,
    rag_reading,
)
from levy.extensions import db
from levy.models import Apprentice, Directorate, DirectorateYear, Organisation
from levy.models.cohorts import QuotaSetting
from levy.services.audit import record
from levy.services.cohorts.census import directorate_records


def quota_method(year: int) -> QuotaMethod:
    setting = db.session.execute(db.select(QuotaSetting).filter_by(year=year)).scalar_one_or_none()
    return QuotaMethod(setting.method) if setting else QuotaMethod.HEADCOUNT


def set_quota_method(year: int, method: QuotaMethod | str, actor: Actor) -> None:
    method = QuotaMethod(method)
    setting = db.session.execute(db.select(QuotaSetting).filter_by(year=year)).scalar_one_or_none()
    before = None if setting is None else {"method": setting.method}
    if setting is None:
        setting = QuotaSetting(year=year, method=method.value)
        db.session.add(setting)
    setting.method = method.value
    db.session.flush()
    if before != {"method": method.value}:
        record(
            actor,
            "quota_method.set",
            "QuotaSetting",
            setting.id,
            before,
            {"year": year, "method": method.value},
        )


@dataclass
class QuotaLine:
    directorate_id: int
    organisation: str
    directorate: str
    headcount: int
    target_starts: Decimal
    starts: list[str]
    on_programme: list[str]
    rag: Rag
    on_break: list[str] = field(default_factory=list)
    reading: RagReading | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "directorate": self.directorate,
            "headcount": self.headcount,
            "target_starts": money_str(self.target_starts),
            "starts": len(self.starts),
            "on_programme": len(self.on_programme),
            "rag": self.rag.value,
        }


def quotas(
    year: int,
    today: date,
    directorate_ids: Iterable[int] | None = None,
    method: QuotaMethod | None = None,
) -> list[QuotaLine]:
    """One line per directorate with figures for the financial year from 1 April ``year``.

    Targets are shared across every directorate (the pay-bill method needs the whole
    council), then filtered to ``directorate_ids`` if given."""
    fy = financial_year_starting(year)
    as_of = min(fy.end, today)
    method = method or quota_method(year)
    figures_rows = db.session.execute(
        db.select(Directorate, Organisation.name, DirectorateYear)
        .join(Organisation, Directorate.organisation_id == Organisation.id)
        .outerjoin(
            DirectorateYear,
            (DirectorateYear.directorate_id == Directorate.id) & (DirectorateYear.year == year),
        )
        .order_by(Organisation.name, Directorate.name)
    ).all()
    figures = [
        DirectorateFigures(org, d.name, y.headcount if y else 0, y.pay_bill if y else Decimal(0))
        for d, org, y in figures_rows
    ]
    if method is QuotaMethod.PAY_BILL and sum(f.pay_bill for f in figures) <= 0:
        method = QuotaMethod.HEADCOUNT
    targets = directorate_targets(figures, year, method)
    wanted = None if directorate_ids is None else set(directorate_ids)
    by_directorate: dict[int, list[ApprenticeRecord]] = {}
    for directorate_id, rec in directorate_records(wanted):
        by_directorate.setdefault(directorate_id, []).append(rec)
    lines = []
    for (d, org, _y), fig in zip(figures_rows, figures, strict=True):
        if wanted is not None and d.id not in wanted:
            continue
        recs = by_directorate.get(d.id, [])
        starts = [
            r.reference
            for r in recs
            if r.actual_start is not None and r.actual_start in fy and r.actual_start <= as_of
        ]
        on_programme = [r.reference for r in recs if r.on_programme(as_of)]
        on_break = [r.reference for r in recs if r.on_programme(as_of) and r.on_break(as_of)]
        target = targets[(org, d.name)]
        reading = rag_reading(target, len(starts), fy, as_of)
        lines.append(
            QuotaLine(
                d.id,
                org,
                d.name,
                fig.headcount,
                target,
                sorted(starts),
                sorted(on_programme),
                reading.rag,
                sorted(on_break),
                reading,
            )
        )
    return lines


def target_report(year: int) -> list[TargetLine]:
    """The public-sector target report: starts in the year ÷ headcount at its start."""
    headcounts: dict[str, int] = {}
    for org, heads in db.session.execute(
        db.select(Organisation.name, db.func.sum(DirectorateYear.headcount))
        .join(Directorate, Directorate.organisation_id == Organisation.id)
        .join(DirectorateYear, DirectorateYear.directorate_id == Directorate.id)
        .where(DirectorateYear.year == year)
        .group_by(Organisation.name)
    ).all():
        headcounts[org] = int(heads or 0)
    fy = financial_year_starting(year)
    starts = db.session.execute(
        db.select(Organisation.name, Apprentice.actual_start)
        .join(Organisation, Apprentice.organisation_id == Organisation.id)
        .where(
            Apprentice.actual_start >= fy.start,
            Apprentice.actual_start <= fy.end,
            Apprentice.programme_type == "apprenticeship",
        )
    ).all()
    return public_sector_report(headcounts, [(o, s) for o, s in starts], year)


def apprentices_by_reference(directorate_id: int) -> dict[str, Apprentice]:
    """The directorate's apprentices by reference, for a quota line's names."""
    return {
        a.reference: a
        for a in db.session.execute(
            db.select(Apprentice).where(Apprentice.directorate_id == directorate_id)
        ).scalars()
    }
