"""The stored forecast projection (issue 13): a change marks it stale, the next read
recomputes it once, and what is stored always equals a fresh computation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from levy.models.projection import ForecastProjection
from sqlalchemy import insert

from levy.domain.forecast import run_forecast, smallest_extra_starts
from levy.domain.months import add_months
from levy.extensions import db as _db
from levy.models import LevyTransaction
from levy.models.programme import ApprenticeBreak
from levy.services import ledger as service
from levy.services import projection as stored
from levy.services.cohorts import commitments as cohort_commitments
from tests import factories

START = date(2021, 4, 1)
MONTHS = 24


def _history() -> None:
    for i in range(12):
        month = add_months(date(2020, 4, 1), i)
        factories.create_transaction(month, "levy", Decimal("20000"))
        factories.create_transaction(month, "top-up", Decimal("2000"))
        factories.create_transaction(month, "payment", Decimal("3000"), source_key=f"p{i}")


def _fresh(start: date = START, months: int = MONTHS) -> Any:
    """The forecast computed the way it was before issue 13: inputs from the services,
    the apprentices' commitments from the cohorts area, ``run_forecast``."""
    inputs = service.forecast_inputs(start, months)
    return run_forecast(inputs.opening, start, months, inputs.funds_in, inputs.payments)


def _rows(forecast: Any) -> list[tuple[Any, ...]]:
    return [tuple(vars(r).values()) for r in forecast.months]


def _computed(monkeypatch: Any) -> list[int]:
    calls: list[int] = []
    real = stored.compute

    def counting(*args: Any, **kwargs: Any) -> Any:
        if args[1] == MONTHS:  # the forecast's projection (not a ledger's, months=0)
            calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(stored, "compute", counting)
    return calls


def test_a_change_marks_the_projection_stale_and_the_next_read_recomputes(db, monkeypatch):
    _history()
    apprentice = factories.create_apprentice(
        planned_start=date(2020, 9, 1), planned_end=date(2022, 2, 28)
    )
    calls = _computed(monkeypatch)

    first = stored.forecast(START, MONTHS)
    again = stored.forecast(START, MONTHS)
    assert len(calls) == 1  # the second read is the stored one
    assert _rows(first) == _rows(again) == _rows(_fresh())
    version = stored.inputs_version()
    keys = db.session.execute(
        db.select(ForecastProjection.inputs_version, ForecastProjection.key)
    ).all()
    assert [v for v, key in keys if f"months:{MONTHS}|" in key] == [version]

    # an ORM write to an input table: a new version, recomputed once on the next read
    factories.create_transaction(date(2021, 3, 1), "payment", Decimal("9000"), source_key="x")
    assert stored.inputs_version() == version + 1
    after = stored.forecast(START, MONTHS)
    stored.forecast(START, MONTHS)
    assert len(calls) == 2
    assert after.months[0].balance == first.months[0].balance - Decimal("9000")
    assert _rows(after) == _rows(_fresh())

    # a bulk (Core) insert, as the levy import writes, also marks it stale
    db.session.execute(
        insert(LevyTransaction),
        [{"month": date(2021, 3, 1), "type": "levy", "amount": Decimal("100"), "source_key": "b"}],
    )
    assert stored.inputs_version() == version + 2
    # so does an apprentice's status change
    apprentice.status = "withdrawn"
    apprentice.status_date = date(2021, 1, 15)
    db.session.flush()
    assert stored.inputs_version() == version + 3
    withdrawn = stored.forecast(START, MONTHS)
    assert len(calls) == 3
    assert _rows(withdrawn) == _rows(_fresh())
    assert withdrawn.months[0].due == 0  # no more instalments after the withdrawal

    # older versions are cleared when a new one is stored
    versions = db.session.execute(db.select(ForecastProjection.inputs_version)).scalars().all()
    assert set(versions) == {version + 3}


def test_the_levy_import_marks_the_projection_stale(db):
    """The import writes its rows with one Core statement, past the session's listeners:
    it marks the stored figures stale itself."""
    from levy.domain.accounts import Actor
    from levy.domain.import_rows import TransactionRow

    _history()
    before = stored.forecast(START, MONTHS)
    version = stored.inputs_version()
    row = TransactionRow(2, date(2021, 3, 1), "levy", Decimal("500"), "", "xlsx:test#0")
    service.import_transactions([row], Actor("test"), "xlsx:test.xlsx")
    assert stored.inputs_version() == version + 1
    after = stored.forecast(START, MONTHS)
    # £500 more in the pot, and a higher mean for the funds in that the forecast assumes
    assert after.months[0].balance > before.months[0].balance + Decimal("500")
    assert _rows(after) == _rows(_fresh())


def test_a_new_month_is_a_new_projection(db, monkeypatch):
    _history()
    calls = _computed(monkeypatch)
    stored.forecast(START, MONTHS, today=date(2021, 3, 31))
    stored.forecast(START, MONTHS, today=date(2021, 3, 1))
    assert len(calls) == 1
    stored.forecast(START, MONTHS, today=date(2021, 4, 1))
    assert len(calls) == 2


def test_what_if_on_the_stored_base_equals_the_full_search(db):
    _history()
    factories.create_apprentice(planned_start=date(2020, 9, 1), planned_end=date(2022, 2, 28))
    inputs = service.forecast_inputs(START, MONTHS)
    full = smallest_extra_starts(
        inputs.opening, START, MONTHS, inputs.funds_in, inputs.payments, Decimal("6000"), 12
    )
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
        ours = sorted(stored.apprentice_commitments(as_of))
        theirs = sorted(cohort_commitments(as_of))
        assert ours == theirs
    assert future.reference in {r for r, _ in stored.apprentice_commitments(date(2021, 3, 31))}


# --- property: after any sequence of changes, the stored projection is a fresh one --------

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
def test_stored_projection_equals_a_fresh_computation_after_any_changes(db, steps):
    start = date(2021, 4, 1)
    directorate = factories.create_directorate()
    apprentices = []
    stored.forecast(start, 18)  # something stored before the changes
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
        stored.forecast(start, 18)  # recomputed and stored for the new version
        again = stored.projection(start, 18, detail=True)  # read back from the table
        assert _rows(again.forecast) == _rows(_fresh(start, 18))
        assert again.actual.months == service.get_ledger(add_months(start, -1)).months
