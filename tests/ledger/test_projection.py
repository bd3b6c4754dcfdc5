"""The forecast projection (issue 21): worked out on every read, from one list of
commitments, and always the same figures as the forecast built the long way (each
commitment's payments listed, then ``run_forecast``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from levy.domain.forecast import (
    commitment_payments,
    mean_levy_funds_in,
    run_forecast,
    smallest_extra_starts,
)
from levy.domain.ledger import build_ledger
from levy.domain.months import add_months
from levy.extensions import db as _db
from levy.models import LevyTransaction
from levy.models.programme import ApprenticeBreak
from levy.rules_config import current_rules
from levy.services import ledger as service
from levy.services import ledger_inputs
from levy.services import projection as stored
from levy.services.cohorts import commitments as cohort_commitments
from levy.services.transfers import forecast_payments as transfer_payments
from tests import factories

START = date(2021, 4, 1)
MONTHS = 24


def _history() -> None:
    for i in range(12):
        month = add_months(date(2020, 4, 1), i)
        factories.create_transaction(month, "levy", Decimal("20000"))
        factories.create_transaction(month, "top-up", Decimal("2000"))
        factories.create_transaction(month, "payment", Decimal("3000"), source_key=f"p{i}")


def _long_way(start: date = START, months: int = MONTHS) -> Any:
    """The inputs the long way: the ledger's pot, the 3-month mean, every payment listed
    (the cohorts area's commitments and the transfers area's payments)."""
    first = ledger_inputs.first_month()
    actual = (
        service.get_ledger(add_months(start, -1))
        if first is not None and first < start
        else build_ledger([], rules=current_rules())
    )
    payments = [
        p
        for _, c in cohort_commitments(start - timedelta(days=1))
        for p in commitment_payments(c, 1, "", current_rules())
        if start <= p.month < add_months(start, months)
    ]
    payments += transfer_payments(start, months)
    funds_in = mean_levy_funds_in(actual.months, start, current_rules())
    return actual.pot, funds_in, payments


def _fresh(start: date = START, months: int = MONTHS) -> Any:
    opening, funds_in, payments = _long_way(start, months)
    return run_forecast(opening, start, months, funds_in, payments)


def _rows(forecast: Any) -> list[tuple[Any, ...]]:
    return [tuple(vars(r).values()) for r in forecast.months]


def test_every_change_shows_in_the_next_read(db):
    _history()
    apprentice = factories.create_apprentice(
        planned_start=date(2020, 9, 1), planned_end=date(2022, 2, 28)
    )
    first = stored.forecast(START, MONTHS)
    assert _rows(first) == _rows(_fresh())
    factories.create_transaction(date(2021, 3, 1), "payment", Decimal("9000"), source_key="x")
    after = stored.forecast(START, MONTHS)
    assert after.months[0].balance == first.months[0].balance - Decimal("9000")
    assert _rows(after) == _rows(_fresh())
    apprentice.status = "withdrawn"
    apprentice.status_date = date(2021, 1, 15)
    db.session.flush()
    withdrawn = stored.forecast(START, MONTHS)
    assert _rows(withdrawn) == _rows(_fresh())
    assert withdrawn.months[0].due == 0  # no more instalments after the withdrawal


def test_a_later_first_month_forecasts_the_months_in_between(db):
    """The last recorded month is March 2021: a forecast from June runs April and May the
    same way, so its rows are the rows of the forecast from April, from June on."""
    _history()
    factories.create_apprentice(planned_start=date(2020, 9, 1), planned_end=date(2022, 2, 28))
    from_april = stored.forecast(START, 12)
    from_june = stored.forecast(date(2021, 6, 1), 10)
    assert _rows(from_june) == _rows(from_april)[2:]
    assert from_june.months[0].funds_in == from_april.months[0].funds_in == Decimal("22000.00")
    # the what-if from June counts the expiry from June on, with the same funds in
    what_if = service.get_what_if(date(2021, 6, 1), 10, Decimal("6000"), 12)
    assert what_if.expired_before == sum((r.expired for r in from_april.months[2:]), Decimal(0))


def test_what_if_on_the_base_equals_the_full_search(db):
    _history()
    factories.create_apprentice(planned_start=date(2020, 9, 1), planned_end=date(2022, 2, 28))
    opening, funds_in, payments = _long_way()
    full = smallest_extra_starts(opening, START, MONTHS, funds_in, payments, Decimal("6000"), 12)
    fast = service.get_what_if(START, MONTHS, Decimal("6000"), 12)
    assert full.extra_starts is not None and full.extra_starts > 0
    assert fast.extra_starts == full.extra_starts
    assert (fast.expired_before, fast.expired_after) == (full.expired_before, full.expired_after)
    assert fast.tried == full.tried
    assert _rows(fast.before) == _rows(full.before)
    assert _rows(fast.after) == _rows(full.after)


def test_the_forecast_reads_apprentices_as_the_cohorts_area_does(db):
    directorate = factories.create_directorate()
    factories.create_apprentice(directorate, planned_start=date(2020, 9, 1))
    future = factories.create_apprentice(
        directorate, planned_start=date(2021, 6, 1), status="future"
    )
    factories.create_apprentice(
        directorate, planned_start=date(2019, 1, 1), planned_end=date(2020, 6, 30)
    ).status = "completed"
    brk = factories.create_apprentice(directorate, planned_start=date(2020, 1, 6))
    brk.breaks.append(ApprenticeBreak(start=date(2020, 5, 1), end=date(2020, 8, 1)))
    _db.session.flush()
    for as_of in (date(2020, 12, 31), date(2021, 3, 31), date(2021, 7, 1)):
        ours = sorted(ledger_inputs.apprentice_commitments(as_of))
        theirs = sorted(cohort_commitments(as_of))
        assert ours == theirs
    assert future.reference in {
        r for r, _ in ledger_inputs.apprentice_commitments(date(2021, 3, 31))
    }


# --- property: after any sequence of changes, the projection is the long way's forecast ----

months = st.integers(min_value=0, max_value=23).map(lambda n: add_months(date(2019, 4, 1), n))
pounds = st.integers(min_value=1, max_value=3_000_000).map(lambda p: Decimal(p) / 100)
changes = st.one_of(
    st.tuples(st.just("levy"), months, pounds),
    st.tuples(st.just("payment"), months, pounds),
    st.tuples(st.just("bulk"), months, pounds),
    st.tuples(
        st.just("apprentice"),
        st.integers(min_value=0, max_value=900).map(lambda d: date(2019, 1, 1) + timedelta(d)),
        st.integers(min_value=12, max_value=30),
    ),
    st.tuples(st.just("break"), st.integers(min_value=0, max_value=50), st.booleans()),
    st.tuples(st.just("withdraw"), st.integers(min_value=0, max_value=50), st.booleans()),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(changes, min_size=1, max_size=6))
def test_projection_equals_the_long_way_after_any_changes(db, steps):
    start = date(2021, 4, 1)
    # March 2021 is recorded, so the forecast runs from April (the months in between a
    # later first month are the test above's)
    factories.create_transaction(date(2021, 3, 1), "levy", Decimal("0.01"))
    directorate = factories.create_directorate()
    apprentices = []
    for n, step in enumerate(steps):
        kind = step[0]
        if kind in ("levy", "payment"):
            factories.create_transaction(step[1], kind, step[2])
        elif kind == "bulk":
            db.session.execute(
                insert(LevyTransaction),
                [{"month": step[1], "type": "levy", "amount": step[2], "source_key": None}],
            )
        elif kind == "apprentice":
            planned_end = step[1] + timedelta(days=30 * step[2])
            apprentices.append(
                factories.create_apprentice(
                    directorate, planned_start=step[1], planned_end=planned_end
                )
            )
        elif apprentices:
            a = apprentices[step[1] % len(apprentices)]
            on = a.planned_start + timedelta(days=60 + n)
            if kind == "break" and not a.breaks:
                a.breaks.append(
                    ApprenticeBreak(start=on, end=on + timedelta(90) if step[2] else None)
                )
            elif kind == "withdraw" and a.status == "on programme":
                a.status = "withdrawn" if step[2] else "completed"
                a.status_date = on
            db.session.flush()
        again = stored.projection(start, 18)
        assert _rows(again.forecast) == _rows(_fresh(start, 18))
        assert again.actual.months == service.get_ledger(add_months(start, -1)).months
