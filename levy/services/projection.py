"""The forecast projection, computed once per change of its inputs (issue 13).

* **Stale, never shown.** Every write to a table the forecast reads bumps
  ``projection_inputs.version`` in the writer's transaction (the session listeners in
  ``levy/models/projection.py``). A stored projection is keyed by that version and
  by its arguments (first month, months, funds in, pay bill, the month of "today"),
  so the read is one query joining the two tables: a hit is current by construction,
  a miss computes once and stores it for every worker and host sharing the database.
* **Fast when computed.** Levy rows are summed by month and kind in SQL (the ledger
  only needs the month totals); apprentices, bands and breaks are read with one query
  each as plain columns, each schedule is worked out once and summed straight into
  the forecast months (:class:`levy.domain.forecast.Due`).
* **What-if on the stored base.** The projection's ``detail`` keeps the opening lots,
  funds in and dues by month, so a what-if probe adds only the extra starts' schedule
  and runs one pass over the months (:func:`levy.domain.forecast.search_extra_starts`).

Figures are the same, to the penny, as computing from scratch
(``tests/ledger/test_projection.py`` checks it after random sequences of changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, event, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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
    Forecast,
    WhatIf,
    dues_by_month,
    funds_in_values,
    run_dues,
)
from levy.domain.ledger import Ledger, build_ledger
from levy.domain.months import add_months, month_of
from levy.domain.projection import ACCOUNT, ANY_DATA, Projection, decode, encode, projection_key
from levy.domain.projection import what_if as what_if_on
from levy.domain.rules import RULES, RuleBook
from levy.extensions import db
from levy.models import Apprentice, ApprenticeBreak, Directorate, Organisation
from levy.models.programme import FundingBand
from levy.models.projection import ForecastProjection, ProjectionInputs
from levy.rules_config import current_rules
from levy.services.ledger_inputs import (
    PAYMENT_PROVIDERS,
    first_month,
    forecast_funds_in,
    month_totals,
    recorded_expiries,
)

# --- what has been written in this transaction -----------------------------------------


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info["levy_wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["levy_wrote"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session: Session) -> None:
    session.info.pop("levy_wrote", None)


# --- the inputs, read fast ----------------------------------------------------------------


def fast_ledger(to: date | None = None) -> Ledger:
    """``services.ledger.get_ledger`` from the month totals."""
    rows = month_totals(to)
    if not rows:
        return build_ledger([], rules=current_rules())
    recorded = {m: v for m, v in recorded_expiries().items() if to is None or m <= month_of(to)}
    return build_ledger(rows, to=to, recorded_expiries=recorded, rules=current_rules())


def _bands() -> dict[int, list[tuple[date, Decimal]]]:
    bands: dict[int, list[tuple[date, Decimal]]] = {}
    query = db.select(FundingBand.standard_id, FundingBand.valid_from, FundingBand.maximum)
    for standard_id, valid_from, maximum in db.session.execute(
        query.order_by(FundingBand.valid_from)
    ):
        bands.setdefault(standard_id, []).append((valid_from, maximum))
    return bands


def _band_on(bands: list[tuple[date, Decimal]], day: date) -> Decimal | None:
    current = None
    for valid_from, maximum in bands:
        if valid_from <= day:
            current = maximum
    return current


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
    bands = _bands()
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
            band_maximum=_band_on(bands.get(standard_id, []), start),
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


# --- computing a projection ---------------------------------------------------------------


def compute(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
) -> Projection:
    """The forecast from scratch, as ``services.ledger.forecast_inputs`` and
    ``run_forecast`` define it, on the fast readers above."""
    start = month_of(start)
    first = first_month()
    actual = (
        build_ledger([], rules=current_rules())
        if first is None or first >= start
        else fast_ledger(add_months(start, -1))
    )
    funds_in, pay_bill_months = forecast_funds_in(
        actual, start, months, funds_in_per_month, from_pay_bill
    )
    values = tuple(funds_in_values(funds_in, start, months))
    rules = actual.pot.rules
    dues: Dues = {}
    for name, provider in PAYMENT_PROVIDERS.items() if months > 0 else ():
        if name == "apprentices":
            commitments = apprentice_commitments(start - timedelta(days=1))
            add_commitments(dues, (c for _, c in commitments), start, months, rules)
        else:
            dues_by_month(provider(start, months), rules, dues)
    forecast = run_dues(actual.pot, start, values, dues)
    return Projection(
        start, months, actual, forecast, pay_bill_months, actual.pot.copy(), values, dues
    )


# --- storing and reading -------------------------------------------------------------------


def key_for(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None,
    from_pay_bill: bool,
    today: date | None,
) -> str:
    return projection_key(
        start, months, funds_in_per_month, from_pay_bill, today, current_rules().change_date
    )


def inputs_version() -> int:
    """The current version of the forecast's inputs (one cheap query)."""
    return version_of(ACCOUNT)


def mark_stale() -> None:
    """Mark the stored projections stale by hand (the listeners do it for every write
    to an input table through the session; this is for inputs outside the database and
    for rows written with a Core statement on the session's connection)."""
    from levy.models.projection import bump_inputs_version

    session = db.session()
    bump_inputs_version(session)
    session.info["levy_wrote"] = True


def projection(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
    today: date | None = None,
    detail: bool = False,
) -> Projection:
    """The stored projection for these arguments if it is current, else computed once
    and stored. ``today`` (the caller's ``levy.clock.today()``): a new month is a new
    projection. ``detail`` also loads what a what-if needs."""
    key = key_for(start, months, funds_in_per_month, from_pay_bill, today)
    columns = [ForecastProjection.summary]
    if detail:
        columns.append(ForecastProjection.detail)
    row = db.session.execute(
        db.select(*columns)
        .join(ProjectionInputs, ProjectionInputs.version == ForecastProjection.inputs_version)
        .where(ProjectionInputs.id == ACCOUNT, ForecastProjection.key == key)
    ).first()
    if row is not None:
        return decode(row[0], row[1] if detail else None, current_rules())
    version = inputs_version()
    computed = compute(start, months, funds_in_per_month, from_pay_bill)
    _store(version, key, computed)
    return computed


def _store(version: int, key: str, computed: Projection) -> None:
    summary, detail = encode(computed)
    put(ACCOUNT, version, {key: (summary, detail)})


def put(
    version_id: int,
    version: int,
    rows: dict[str, tuple[str, str]],
    replacing: str | None = None,
) -> None:
    """Keep figures for every worker under ``version`` of ``version_id``'s inputs,
    clearing that kind's older versions, and any row whose key starts with ``replacing``
    (letters, digits, ``:`` and ``|`` only). A session that has written nothing in this
    transaction (a page, a report) commits just these rows; otherwise they ride on the
    caller's transaction (its version is bumped by those writes and goes with them)."""
    session = db.session()
    table = ForecastProjection.__table__
    assert isinstance(table, Table)
    quiet = not (session.info.get("levy_wrote") or session.new or session.dirty or session.deleted)
    prefix = f"{_PREFIX[version_id]}%"
    try:
        with session.begin_nested():
            session.execute(
                delete(table).where(table.c.inputs_version < version, table.c.key.like(prefix))
            )
            if replacing is not None:
                assert replacing.replace("|", "").replace(":", "").isalnum(), "no LIKE wildcards"
                session.execute(delete(table).where(table.c.key.like(f"{replacing}%")))
            session.execute(
                insert(table),
                [
                    {
                        "organisation_id": None,
                        "inputs_version": version,
                        "key": key,
                        "summary": summary,
                        "detail": detail,
                    }
                    for key, (summary, detail) in rows.items()
                ],
            )
    except IntegrityError:  # another worker stored them first
        return
    if quiet:
        session.commit()


_PREFIX = {ACCOUNT: "account:", ANY_DATA: "page:"}


def get(version_id: int, keys: list[str]) -> tuple[int | None, dict[str, str]]:
    """Stored figures for ``keys`` that are current for ``version_id``'s inputs, in one
    query: (the current version if something was found, else None; key -> summary)."""
    rows = db.session.execute(
        db.select(ProjectionInputs.version, ForecastProjection.key, ForecastProjection.summary)
        .join(ProjectionInputs, ProjectionInputs.version == ForecastProjection.inputs_version)
        .where(ProjectionInputs.id == version_id, ForecastProjection.key.in_(keys))
    ).all()
    if not rows:
        return None, {}
    return int(rows[0][0]), {key: summary for _, key, summary in rows}


def version_of(version_id: int) -> int:
    version = db.session.execute(
        db.select(ProjectionInputs.version).where(ProjectionInputs.id == version_id)
    ).scalar()
    return int(version or 1)


# --- what the pages and commands call -----------------------------------------------------


def forecast(
    start: date,
    months: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
    today: date | None = None,
) -> Forecast:
    return projection(start, months, funds_in_per_month, from_pay_bill, today).forecast


def what_if(
    start: date,
    months: int,
    price: Decimal,
    duration: int,
    funds_in_per_month: Decimal | None = None,
    from_pay_bill: bool = False,
    today: date | None = None,
) -> WhatIf:
    """The smallest number of extra starts that stops forecast expiry, searched on the
    stored base projection."""
    base = projection(start, months, funds_in_per_month, from_pay_bill, today, detail=True)
    return what_if_on(base, price, duration)
