"""Transfer payments in the levy ledger: what each application has been paid, the monthly
payments ``tick`` writes, and the payments still to come for the levy forecast."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.forecast import ForecastPayment
from levy.domain.ledger import TRANSFER
from levy.domain.money import ZERO
from levy.domain.months import add_months, format_month
from levy.extensions import db
from levy.models import LevyTransaction
from levy.models.transfers import TransferApplication
from levy.services.audit import record

PAYMENT_SOURCE = "transfers"


def paid_by_application() -> dict[str, dict[date, Decimal]]:
    """Transfer payments written for each application, by month."""
    rows = db.session.execute(
        db.select(LevyTransaction.reference, LevyTransaction.month, LevyTransaction.amount).where(
            LevyTransaction.type == dom.KIND_TRANSFER, LevyTransaction.source == PAYMENT_SOURCE
        )
    ).all()
    paid: dict[str, dict[date, Decimal]] = defaultdict(dict)
    for reference, month, amount in rows:
        paid[reference][month] = paid[reference].get(month, ZERO) + amount
    return paid


def write_payments(as_of: date, actor: Actor) -> list[tuple[str, date, Decimal]]:
    """Transfer payments for applications with apprentices recorded, month by month,
    as ``transfer`` rows in the levy ledger (they leave the pot oldest funds first)."""
    apps = (
        db.session.execute(
            db.select(TransferApplication)
            .where(
                TransferApplication.status == dom.FUNDS_USED,
                TransferApplication.apprentices_taken.is_not(None),
            )
            .order_by(TransferApplication.id)
        )
        .scalars()
        .all()
    )
    paid = paid_by_application()
    written: list[tuple[str, date, Decimal]] = []
    for app in apps:
        start = app.actual_start or app.planned_start
        schedule = dom.monthly_payments(
            app.band_maximum, app.apprentices_taken or 0, start, app.duration_months
        )
        limit = app.band_maximum * (app.apprentices_taken or 0)
        for month, amount in dom.payments_due(schedule, paid.get(app.reference, {}), as_of, limit):
            db.session.add(
                LevyTransaction(
                    month=month,
                    type=dom.KIND_TRANSFER,
                    amount=amount,
                    reference=app.reference,
                    source=PAYMENT_SOURCE,
                    source_key=f"transfer:{app.reference}:{format_month(month)}",
                )
            )
            written.append((app.reference, month, amount))
    db.session.flush()
    if written:
        record(
            actor,
            "transfers.payments",
            "LevyTransaction",
            None,
            None,
            {
                "as_of": as_of,
                "payments": [[r, format_month(m), a] for r, m, a in written],
                "total": sum((a for _, _, a in written), ZERO),
            },
        )
    return written


FORECAST_STATUSES = (dom.APPROVED, dom.ACCEPTED, dom.FUNDS_USED)


def forecast_payments(start: date, months: int) -> list[ForecastPayment]:
    """Transfer payments still to come from approved, accepted and in-use applications
    (issue 4 rule 8): each schedule less the months already written to the ledger.
    They leave the pot oldest funds first, like every transfer."""
    end = add_months(start, months)
    paid = paid_by_application()
    out: list[ForecastPayment] = []
    query = db.select(TransferApplication).where(TransferApplication.status.in_(FORECAST_STATUSES))
    for app in db.session.execute(query).scalars():
        begin = app.actual_start or app.planned_start
        count = app.apprentices_taken or app.apprentices
        already = paid.get(app.reference, {})
        for month, amount in dom.monthly_payments(
            app.band_maximum, count, begin, app.duration_months
        ):
            if start <= month < end and month not in already:
                out.append(ForecastPayment(month, amount, begin, TRANSFER, app.reference))
    return out
