"""The levy pot service: load transactions, call the ledger/forecast domain, write
imports and recorded expiries with an audit entry. Never commits (issue 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Table

from levy.domain.accounts import Actor
from levy.domain.errors import ImportFailed, RowError
from levy.domain.forecast import (
    Forecast,
    Scenario,
    WhatIf,
    run_scenario,
)
from levy.domain.import_rows import DasDownload, PayBillRow, TransactionRow
from levy.domain.ledger import (
    FUNDS_IN,
    Ledger,
    LedgerMonth,
)
from levy.domain.money import ZERO, format_money
from levy.domain.months import add_months, format_month, month_of
from levy.extensions import db
from levy.models import LevyTransaction, Organisation
from levy.models.base import utcnow
from levy.models.levy_pot import PayBillMonth, RecordedExpiry
from levy.rules_config import current_rules
from levy.services import projection
from levy.services.audit import record
from levy.services.cohorts.lists import band_on, funding_bands
from levy.services.ledger_inputs import KIND_OF_TYPE, last_month

# --- reading the ledger ---------------------------------------------------------------


def get_ledger(to: date | None = None) -> Ledger:
    """One row per month from the first transaction to ``to`` (issue 4 rule 1)."""
    return projection.fast_ledger(to)


# --- forecast: every reader goes through ``levy.services.projection`` -------------------


def get_forecast(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
) -> Forecast:
    return projection.forecast(start, months, funds_in_per_month, from_pay_bill)


def get_what_if(
    start: date,
    months: int,
    price: Decimal,
    duration: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
) -> WhatIf:
    """The smallest number of extra starts that stops forecast expiry."""
    return projection.what_if(start, months, price, duration, funds_in_per_month, from_pay_bill)


@dataclass(frozen=True)
class StandardPrice:
    """A standard the what-if offers: its funding band maximum on a day and duration."""

    id: int
    label: str
    band_maximum: Decimal | None
    duration_months: int


def what_if_standards(on: date) -> list[StandardPrice]:
    """Every standard with the funding band maximum in force on ``on`` (the first month
    of the extra starts) and its typical duration, by reference."""
    from levy.models.programme import Standard

    bands = funding_bands()
    return [
        StandardPrice(
            id,
            f"{reference} {title} (level {level})",
            band_on(bands.get(id, []), on),
            duration,
        )
        for id, reference, title, level, duration in db.session.execute(
            db.select(
                Standard.id,
                Standard.reference,
                Standard.title,
                Standard.level,
                Standard.duration_months,
            ).order_by(Standard.reference)
        )
    ]


def get_scenario(
    start: date,
    months: int,
    scenario: Scenario,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
) -> tuple[Forecast, Forecast]:
    """(baseline, scenario) over the same horizon, from the one forecast projection."""
    base = projection.projection(start, months, funds_in_per_month, from_pay_bill)
    assert base.opening is not None and base.dues is not None
    return run_scenario(base.opening, base.start, base.funds_in, base.dues, scenario)


# --- recording expiry -------------------------------------------------------------------


@dataclass
class PotSummary:
    """The dashboard's figures: the ledger to ``as_of`` and the forecast after it."""

    as_of: date
    balance: Decimal
    funds_in_12: Decimal
    out_12: Decimal
    expired_12: Decimal
    expiring: dict[int, Decimal]
    actual: list[LedgerMonth]
    forecast: list[Any]
    pay_bill_months: tuple[date, ...] = ()


def pot_summary(as_of: date, horizon: int = 12, from_pay_bill: bool = False) -> PotSummary:
    """The pot at ``as_of``, the last 12 months' totals and what expires in 3/6/12 months."""
    stored = projection.projection(add_months(as_of, 1), horizon, None, from_pay_bill)
    ledger, forecast = stored.actual, stored.forecast
    year_ago = add_months(as_of, -12)
    last_12 = [r for r in ledger.months if r.month > year_ago]
    expiring = {n: sum((r.expired for r in forecast.months[:n]), ZERO) for n in (3, 6, 12)}
    return PotSummary(
        as_of,
        ledger.balance,
        sum((r.funds_in for r in last_12), ZERO),
        sum((r.payments + r.transfers for r in last_12), ZERO),
        sum((r.expired for r in last_12), ZERO),
        expiring,
        list(ledger.months),
        list(forecast.months),
        stored.pay_bill_months,
    )


def ledger_months(first: date | None, last: date | None) -> list[LedgerMonth]:
    """The ledger's months from ``first`` (or the start) to ``last`` (or the latest)."""
    ledger = get_ledger(last or last_month())
    return [r for r in ledger.months if first is None or r.month >= first]


def record_expiries(as_of: date, actor: Actor) -> list[tuple[date, Decimal]]:
    """Write the computed expiry of every month up to and including ``as_of`` that
    has none recorded yet (idempotent; each written month is audited)."""
    as_of = month_of(as_of)
    ledger = get_ledger(as_of)
    written = []
    for row in ledger.months:
        if row.recorded:
            continue
        entry = RecordedExpiry(month=row.month, amount=row.expired, source="computed")
        db.session.add(entry)
        db.session.flush()
        record(
            actor,
            "levy.expiry.recorded",
            "levy_expiry",
            entry.id,
            None,
            {"month": format_month(row.month), "amount": row.expired},
        )
        written.append((row.month, row.expired))
    return written


# --- imports ----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    rows: int = 0
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    months: list[date] = field(default_factory=list)
    funds_in: Decimal = ZERO
    funds_out: Decimal = ZERO
    expiries: int = 0
    recognised: str = "levy_transactions template"

    def __str__(self) -> str:
        span = ""
        if self.months:
            span = f" ({format_month(self.months[0])} to {format_month(self.months[-1])})"
        changes = f"{self.new} new, {self.unchanged} already there"
        if self.updated:
            changes += f", {self.updated} updated"
        return (
            f"{self.rows} rows, {len(self.months)} months{span}, "
            f"in {format_money(self.funds_in)}, out {format_money(self.funds_out)}; {changes}"
        )


def _summarise(rows: Iterable[TransactionRow], summary: ImportSummary) -> None:
    months = set()
    for row in rows:
        summary.rows += 1
        months.add(row.month)
        kind = KIND_OF_TYPE[row.type]
        if kind == FUNDS_IN:
            summary.funds_in += row.amount
        else:
            summary.funds_out += row.amount
    summary.months = sorted(months)


def _existing(keys: Sequence[str]) -> dict[str, LevyTransaction]:
    found: dict[str, LevyTransaction] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for row in db.session.execute(
            db.select(LevyTransaction).where(LevyTransaction.source_key.in_(chunk))
        ).scalars():
            assert row.source_key is not None
            found[row.source_key] = row
    return found


def preview_transactions(rows: Sequence[TransactionRow]) -> ImportSummary:
    """What an import would do, without writing."""
    summary = ImportSummary()
    _summarise(rows, summary)
    existing = _existing([r.key for r in rows])
    for row in rows:
        old = existing.get(row.key)
        if old is None:
            summary.new += 1
        elif old.amount == row.amount:
            summary.unchanged += 1
        else:
            summary.updated += 1
    return summary


def import_transactions(
    rows: Sequence[TransactionRow], actor: Actor, source: str = "levy_transactions"
) -> ImportSummary:
    """Add the rows not already imported (by key); one audit entry for the import."""
    summary = ImportSummary()
    _summarise(rows, summary)
    existing = _existing([r.key for r in rows])
    new = []
    now = utcnow()  # one import, one time: not two clock reads per row
    for row in rows:
        old = existing.get(row.key)
        if old is None:
            new.append(
                {
                    "month": row.month,
                    "type": row.type,
                    "amount": row.amount,
                    "reference": row.reference,
                    "source": source,
                    "source_key": row.key,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            summary.new += 1
        elif old.amount != row.amount:
            before = {"amount": old.amount}
            old.amount = row.amount
            summary.updated += 1
            record(
                actor,
                "levy.transaction.updated",
                "levy_transaction",
                old.id,
                before,
                {"amount": row.amount},
            )
        else:
            summary.unchanged += 1
    if new:  # one Core executemany: no ORM bookkeeping per row on 50,000-row files
        table = LevyTransaction.__table__
        assert isinstance(table, Table)
        db.session.connection().execute(table.insert(), new)
    db.session.flush()
    if summary.new or summary.updated:
        record(
            actor,
            "levy.transactions.imported",
            "levy_transaction",
            None,
            None,
            {"source": source, "summary": str(summary)},
        )
    return summary


def import_das_download(download: DasDownload, actor: Actor) -> ImportSummary:
    """Upsert the service's month totals (``das:YYYY-MM:type``) and its recorded expiries."""
    summary = import_transactions(download.transactions, actor, "das-download")
    summary.recognised = download.description
    for month, amount in download.expiries.items():
        entry = db.session.execute(
            db.select(RecordedExpiry).where(RecordedExpiry.month == month)
        ).scalar_one_or_none()
        if entry is not None and entry.amount == amount and entry.source == "service":
            continue
        before = None if entry is None else {"amount": entry.amount, "source": entry.source}
        if entry is None:
            entry = RecordedExpiry(month=month, amount=amount, source="service")
            db.session.add(entry)
        else:
            entry.amount, entry.source = amount, "service"
        db.session.flush()
        summary.expiries += 1
        record(
            actor,
            "levy.expiry.recorded",
            "levy_expiry",
            entry.id,
            before,
            {"month": format_month(month), "amount": amount, "source": "service"},
        )
    return summary


@dataclass
class PayBillSummary:
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.rows} rows: {self.new} new, {self.updated} updated, {self.unchanged} unchanged"
        )


class UnknownOrganisation(ValueError):
    pass


def import_pay_bill(rows: Sequence[PayBillRow], actor: Actor) -> PayBillSummary:
    orgs = {o.name.lower(): o for o in db.session.execute(db.select(Organisation)).scalars()}
    errors = [
        RowError("Pay bill", r.row, "Organisation", f"no organisation called '{r.organisation}'")
        for r in rows
        if r.organisation.lower() not in orgs
    ]
    if errors:
        raise ImportFailed(errors)
    summary = PayBillSummary()
    for r in rows:
        org = orgs[r.organisation.lower()]
        summary.rows += 1
        entry = db.session.execute(
            db.select(PayBillMonth).where(
                PayBillMonth.organisation_id == org.id, PayBillMonth.month == r.month
            )
        ).scalar_one_or_none()
        if entry is None:
            db.session.add(PayBillMonth(organisation_id=org.id, month=r.month, amount=r.pay_bill))
            summary.new += 1
        elif entry.amount != r.pay_bill:
            entry.amount = r.pay_bill
            summary.updated += 1
        else:
            summary.unchanged += 1
    db.session.flush()
    if summary.new or summary.updated:
        record(
            actor, "levy.pay_bill.imported", "pay_bill_month", None, None, {"summary": str(summary)}
        )
    return summary


def pay_bills(organisation_id: int | None = None) -> list[tuple[date, Decimal]]:
    """Pay bill by payroll month, summed over organisations (or one)."""
    query = (
        db.select(PayBillMonth.month, db.func.sum(PayBillMonth.amount))
        .group_by(PayBillMonth.month)
        .order_by(PayBillMonth.month)
    )
    if organisation_id is not None:
        query = query.where(PayBillMonth.organisation_id == organisation_id)
    return [(month, amount) for month, amount in db.session.execute(query)]


@dataclass(frozen=True)
class DeclarationCheck:
    payroll_month: date
    entry_month: date
    pay_bill: Decimal
    computed_levy: Decimal  # English levy before top-up, from the pay bill
    declared_levy: Decimal  # levy rows imported for the entry month
    difference: Decimal


def declaration_checks(
    english_fraction: Decimal = Decimal(1), last: int | None = None
) -> list[DeclarationCheck]:
    """Levy worked out from the pay bill (council and company together share one
    allowance, docs/rules.md §2) against the levy imported for the month it entered;
    ``last``: only the latest that many payroll months (the levy rows of those months are
    all that is read)."""
    from levy.domain.levy_calc import levy_by_month

    computed = levy_by_month(pay_bills(), english_fraction=english_fraction, rules=current_rules())
    if last is not None:
        computed = computed[-last:] if last > 0 else []
    if not computed:  # no pay bill imported: nothing to check against
        return []
    query = (
        db.select(LevyTransaction.month, db.func.sum(LevyTransaction.amount))
        .where(
            LevyTransaction.type == "levy",
            LevyTransaction.month >= min(row.entry_month for row in computed),
        )
        .group_by(LevyTransaction.month)
    )
    declared: dict[date, Decimal] = dict(db.session.execute(query).all())
    out = []
    for row in computed:
        english = row.funds_in - row.top_up
        got = declared.get(row.entry_month, ZERO)
        out.append(
            DeclarationCheck(
                row.payroll_month, row.entry_month, row.pay_bill, english, got, got - english
            )
        )
    return out
