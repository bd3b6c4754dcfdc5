"""What the ledger and the forecast are worked out from, read from the database: the levy
rows by kind, recorded expiries, the first and last months, funds in (the mean of recent
months or the pay bill) and every commitment the forecast includes
(:data:`FORECAST_SOURCES`, the one list of them).

``levy.services.projection`` works the forecast out from these, and ``levy.services.ledger``
(the pot's service) answers pages and commands through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal

from levy.domain.cohorts import ApprenticeRecord, Status, commitment_for
from levy.domain.commitments import (
    Break,
    Commitment,
    first_payment_month,
    last_payment_month,
    schedule_rows,
)
from levy.domain.forecast import (
    Due,
    Dues,
    FundsIn,
    dues_by_month,
    mean_levy_funds_in,
    pay_bill_funds_in,
)
from levy.domain.ledger import FUNDS_IN, PAYMENT, TRANSFER, Ledger, Movement
from levy.domain.months import add_months, month_of
from levy.domain.rules import RULES, RuleBook
from levy.extensions import db
from levy.models import Apprentice, ApprenticeBreak, Directorate, LevyTransaction, Organisation
from levy.models.levy_pot import PayBillMonth, RecordedExpiry
from levy.rules_config import current_rules
from levy.services.cohorts.lists import band_on, funding_bands
from levy.services.transfers.payments import forecast_payments as transfer_payments

KIND_OF_TYPE = {
    "levy": FUNDS_IN,
    "top-up": FUNDS_IN,
    "adjustment": FUNDS_IN,
    "payment": PAYMENT,
    "transfer": TRANSFER,
}


def month_totals(to: date | None = None) -> list[Movement]:
    """Levy rows summed by month and kind in the database: the ledger needs no more
    (sums of integer pence are exact), and 50,000 rows become a few hundred."""
    query = db.select(
        LevyTransaction.month, LevyTransaction.type, db.func.sum(LevyTransaction.amount)
    ).group_by(LevyTransaction.month, LevyTransaction.type)
    if to is not None:
        query = query.where(LevyTransaction.month <= month_of(to))
    return [
        Movement(month, KIND_OF_TYPE[kind], amount)
        for month, kind, amount in db.session.execute(query)
    ]


def recorded_expiries() -> dict[date, Decimal]:
    return {
        row.month: row.amount for row in db.session.execute(db.select(RecordedExpiry)).scalars()
    }


def first_month() -> date | None:
    return db.session.execute(db.select(db.func.min(LevyTransaction.month))).scalar()


def last_month() -> date | None:
    return db.session.execute(db.select(db.func.max(LevyTransaction.month))).scalar()


def pay_bill_funds_in_by_month() -> dict[date, Decimal]:
    """Funds in worked out from the imported pay bill, keyed by the month they
    reach the account (payroll month + 1): council and company share one allowance,
    the top-up is the rule table's for that month (none from the change date)."""
    from levy.domain.levy_calc import funds_in_by_entry_month, group_levy_by_month

    rows = db.session.execute(
        db.select(PayBillMonth.organisation_id, PayBillMonth.month, PayBillMonth.amount)
    ).all()
    return funds_in_by_entry_month(group_levy_by_month(rows, rules=current_rules()))


def forecast_funds_in(
    actual: Ledger,
    start: date,
    months: int,
    funds_in_per_month: Decimal | None,
    from_pay_bill: bool,
) -> tuple[FundsIn, tuple[date, ...]]:
    """A forecast's funds in, and the months whose figure came from the pay bill:
    ``funds_in_per_month`` if given, else the mean of the last 3 actual months; with
    ``from_pay_bill``, the levy from the pay bill wherever its payroll month is imported."""
    funds_in: FundsIn = (
        funds_in_per_month
        if funds_in_per_month is not None
        else mean_levy_funds_in(actual.months, start, current_rules())
    )
    pay_bill_months: tuple[date, ...] = ()
    if from_pay_bill:
        horizon = {add_months(start, i) for i in range(months)}
        known = {m: v for m, v in pay_bill_funds_in_by_month().items() if m in horizon}
        pay_bill_months = tuple(sorted(known))
        funds_in = pay_bill_funds_in(known, funds_in)
    return funds_in, pay_bill_months


# --- the commitments the forecast includes ------------------------------------------------


_STATUS = {status.value: status for status in Status}


def apprentice_commitments(as_of: date) -> list[tuple[str, Commitment]]:
    """Commitments of apprentices on programme on ``as_of`` and of the future cohort
    (the cohorts area's rule, issue 5 item 6), read as plain columns: three queries."""
    breaks: dict[int, list[Break]] = {}
    for apprentice_id, start, end in db.session.execute(
        db.select(ApprenticeBreak.apprentice_id, ApprenticeBreak.start, ApprenticeBreak.end)
        .order_by(ApprenticeBreak.start)
        .order_by(ApprenticeBreak.id)
    ):
        breaks.setdefault(apprentice_id, []).append(Break(start, end))
    bands = funding_bands()
    query = (
        db.select(
            Apprentice.id,
            Apprentice.reference,
            Apprentice.date_of_birth,
            Apprentice.planned_start,
            Apprentice.actual_start,
            Apprentice.planned_end,
            Apprentice.status,
            Apprentice.status_date,
            Apprentice.agreed_price,
            Apprentice.standard_id,
        )
        .join(Organisation, Apprentice.organisation_id == Organisation.id)
        .join(Directorate, Apprentice.directorate_id == Directorate.id)
        .where(Apprentice.programme_type == "apprenticeship")
        .order_by(Apprentice.id)
    )
    out = []
    for (
        apprentice_id,
        reference,
        born,
        planned_start,
        actual_start,
        planned_end,
        status_text,
        status_date,
        price,
        standard_id,
    ) in db.session.execute(query):
        status = _STATUS.get(status_text) or Status(status_text)
        own_breaks = breaks.get(apprentice_id, [])
        record = ApprenticeRecord(
            reference=reference,
            organisation="",
            directorate="",
            level="",
            date_of_birth=born,
            planned_start=planned_start,
            actual_start=actual_start,
            completed_on=status_date if status is Status.COMPLETED else None,
            withdrawn_on=status_date if status is Status.WITHDRAWN else None,
            cancelled_on=status_date if status is Status.CANCELLED else None,
            breaks=tuple(own_breaks),
        )
        if not (record.on_programme(as_of) or record.future(as_of)):
            continue
        start = actual_start or planned_start
        commitment = commitment_for(
            agreed_price=price,
            band_maximum=band_on(bands.get(standard_id, []), start),
            start=start,
            planned_end=planned_end,
            status=status,
            status_date=status_date,
            breaks=own_breaks,
        )
        if commitment is not None:
            out.append((reference, commitment))
    return out


def add_commitments(
    dues: Dues,
    commitments: Iterable[Commitment],
    start: date,
    months: int,
    rules: RuleBook = RULES,
) -> Dues:
    """Sum each commitment's payments in ``[start, start + months)`` into ``dues``, as
    ``dues_by_month`` would their ForecastPayments (same order, same rates)."""
    end = add_months(start, months)
    rates: dict[date, Decimal] = {}
    first = month_of(start)
    for commitment in commitments:
        last = last_payment_month(commitment)
        if (last is not None and last < first) or first_payment_month(commitment) >= end:
            continue  # every payment falls outside the window
        rate = rates.get(commitment.start)
        for month, amount, _kind in schedule_rows(commitment, rules):
            if start <= month < end:
                if rate is None:
                    rate = rates[commitment.start] = rules.value(
                        "coinvest.employer_rate", commitment.start
                    )
                due = dues.get(month)
                if due is None:
                    due = dues[month] = Due()
                due.own += amount
                due.items.append((amount, rate))
    return dues


CommitmentSource = Callable[[date, int, RuleBook, Dues], None]
"""Adds a kind of commitment's payments in ``[first month, first month + months)`` to the
dues by month, with the rule table's rates."""


def apprentice_dues(start: date, months: int, rules: RuleBook, dues: Dues) -> None:
    """Apprentices on programme or in the future cohort the day before the forecast starts."""
    commitments = apprentice_commitments(start - timedelta(days=1))
    add_commitments(dues, (c for _, c in commitments), start, months, rules)


def transfer_dues(start: date, months: int, rules: RuleBook, dues: Dues) -> None:
    """Payments still to come on approved, accepted and in-use transfer applications."""
    dues_by_month(transfer_payments(start, months), rules, dues)


FORECAST_SOURCES: tuple[tuple[str, CommitmentSource], ...] = (
    ("apprentices", apprentice_dues),
    ("transfers", transfer_dues),
)
"""Every commitment the forecast includes, and so the levy pot page, the forecast and
what-if commands, the plan, the alerts, the quarterly report and the feed: one list."""


def commitment_dues(start: date, months: int, rules: RuleBook) -> Dues:
    """What every source in :data:`FORECAST_SOURCES` owes in each forecast month."""
    dues: Dues = {}
    if months > 0:
        for _name, source in FORECAST_SOURCES:
            source(start, months, rules, dues)
    return dues
