"""Apprentice status machine, 42-day rule, ages, intake and the census (issue 5)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levy.domain.cohorts import (
    AGE_BANDS,
    LEVELS,
    ApprenticeRecord,
    CohortError,
    Status,
    StatusTransitionError,
    age_at_start,
    age_band,
    allowed_moves,
    breaks_from_history,
    check_breaks,
    check_record,
    commitment_for,
    count_cohort,
    funding_due,
    future_cohort,
    intake_academic_year,
    intake_month,
    replay,
    starts_by_month,
    transition,
)
from levy.domain.commitments import Break

D = date

# --- state machine ------------------------------------------------------------

ALLOWED = [
    (Status.FUTURE, Status.ON_PROGRAMME),
    (Status.FUTURE, Status.CANCELLED),
    (Status.ON_PROGRAMME, Status.BREAK),
    (Status.ON_PROGRAMME, Status.COMPLETED),
    (Status.ON_PROGRAMME, Status.WITHDRAWN),
    (Status.BREAK, Status.ON_PROGRAMME),
    (Status.BREAK, Status.WITHDRAWN),
]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_moves(current, target):
    change = transition(current, target, D(2021, 3, 1), "  planned  ")
    assert (change.from_status, change.to_status, change.reason) == (current, target, "planned")


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in Status for t in Status if (c, t) not in ALLOWED],
)
def test_every_other_move_is_refused(current, target):
    with pytest.raises(StatusTransitionError):
        transition(current, target, D(2021, 3, 1), "reason")


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (
            Status.FUTURE,
            Status.COMPLETED,
            (
                "An apprentice who is future cannot complete; from future the status can only "
                "become on programme or cancelled."
            ),
        ),
        (
            Status.COMPLETED,
            Status.ON_PROGRAMME,
            (
                "An apprentice who is completed cannot start or return to the programme: "
                "completed is a final status."
            ),
        ),
        (
            Status.BREAK,
            Status.COMPLETED,
            (
                "An apprentice who is break cannot complete; from break the status can only "
                "become on programme or withdrawn."
            ),
        ),
    ],
)
def test_refusal_messages_are_readable(current, target, message):
    with pytest.raises(StatusTransitionError) as err:
        transition(current, target, D(2021, 3, 1), "reason")
    assert str(err.value) == message


def test_a_move_needs_a_reason_and_cannot_go_back_in_time():
    with pytest.raises(StatusTransitionError, match="Give a reason"):
        transition(Status.FUTURE, Status.ON_PROGRAMME, D(2021, 3, 1), "  ")
    with pytest.raises(StatusTransitionError, match="before the previous status change"):
        transition(
            Status.ON_PROGRAMME, Status.BREAK, D(2021, 2, 28), "ill", last_move_on=D(2021, 3, 1)
        )
    # the same day as the previous move is fine
    transition(Status.ON_PROGRAMME, Status.BREAK, D(2021, 3, 1), "ill", last_move_on=D(2021, 3, 1))


def test_final_statuses_allow_nothing():
    for status in (Status.COMPLETED, Status.WITHDRAWN, Status.CANCELLED):
        assert allowed_moves(status) == []


def test_replay_and_breaks_from_history():
    history = replay(
        Status.FUTURE,
        [
            (Status.ON_PROGRAMME, D(2021, 1, 4), "started"),
            (Status.BREAK, D(2021, 3, 1), "maternity leave"),
            (Status.ON_PROGRAMME, D(2021, 9, 1), "returned"),
            (Status.BREAK, D(2022, 1, 10), "long illness"),
        ],
    )
    assert [c.to_status for c in history][-1] is Status.BREAK
    assert breaks_from_history(history) == [
        Break(D(2021, 3, 1), D(2021, 9, 1)),
        Break(D(2022, 1, 10), None),
    ]
    with pytest.raises(StatusTransitionError):
        replay(Status.FUTURE, [(Status.BREAK, D(2021, 1, 4), "no")])


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("on programme", Status.ON_PROGRAMME),
        ("On Programme", Status.ON_PROGRAMME),
        ("on_programme", Status.ON_PROGRAMME),
        (" Future ", Status.FUTURE),
        ("withdrawn", Status.WITHDRAWN),
    ],
)
def test_status_parse(text, status):
    assert Status.parse(text) is status


def test_status_parse_refuses_unknown():
    with pytest.raises(CohortError, match="'started' is not a status"):
        Status.parse("started")


# --- breaks -------------------------------------------------------------------


def test_check_breaks_finds_overlap_reversed_and_outside():
    start = D(2021, 1, 4)
    assert (
        check_breaks(start, [Break(D(2021, 2, 1), D(2021, 3, 1)), Break(D(2021, 3, 2), None)]) == []
    )
    problems = check_breaks(
        start, [Break(D(2021, 2, 1), D(2021, 3, 1)), Break(D(2021, 3, 1), D(2021, 4, 1))]
    )
    assert problems == ["The breaks starting 01 Feb 2021 and 01 Mar 2021 overlap."]
    assert check_breaks(start, [Break(D(2021, 5, 1), D(2021, 4, 1))]) == [
        "The break starting 01 May 2021 ends before it starts."
    ]
    assert check_breaks(start, [Break(D(2021, 1, 3), D(2021, 4, 1))]) == [
        "The break starting 03 Jan 2021 is before the start 04 Jan 2021."
    ]
    # an open break followed by another overlaps
    assert len(check_breaks(start, [Break(D(2021, 2, 1), None), Break(D(2022, 2, 1), None)])) == 1


# --- 42-day rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("withdrawn_on", "due"),
    [
        # start 1 Mar 2021: day 42 is 11 Apr 2021 (1 Mar + 41 days)
        (D(2021, 4, 11), False),
        (D(2021, 4, 12), True),
        (D(2021, 3, 1), False),
        (None, True),
    ],
)
def test_42_day_rule(withdrawn_on, due):
    assert funding_due(D(2021, 3, 1), [], withdrawn_on) is due


def test_a_break_inside_the_qualifying_period_restarts_it():
    # start 1 Mar 2021, break 10 Mar - 31 Mar: the period restarts on 1 Apr, day 42 is 12 May
    breaks = [Break(D(2021, 3, 10), D(2021, 3, 31))]
    assert funding_due(D(2021, 3, 1), breaks, D(2021, 5, 12)) is False
    assert funding_due(D(2021, 3, 1), breaks, D(2021, 5, 13)) is True
    # a break after the period does not restart it
    late = [Break(D(2021, 6, 1), D(2021, 7, 1))]
    assert funding_due(D(2021, 3, 1), late, D(2021, 4, 12)) is True


# --- ages and intake ------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "start", "age"),
    [
        (D(2003, 3, 31), D(2021, 3, 31), 18),  # birthday on the start day counts
        (D(2003, 4, 1), D(2021, 3, 31), 17),  # a day short
        (D(2000, 2, 29), D(2021, 2, 28), 20),  # leap-day birthday not yet reached
        (D(2000, 2, 29), D(2021, 3, 1), 21),
    ],
)
def test_age_at_start(born, start, age):
    assert age_at_start(born, start) == age


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (16, "16-18"),
        (18, "16-18"),
        (19, "19-24"),
        (24, "19-24"),
        (25, "25-49"),
        (49, "25-49"),
        (50, "50+"),
        (67, "50+"),
    ],
)
def test_age_bands(age, band):
    assert age_band(age) == band


def test_under_16_is_an_error():
    with pytest.raises(CohortError, match="at least 16"):
        age_band(15)


@pytest.mark.parametrize(
    ("start", "month", "year"),
    [
        (D(2021, 7, 31), "2021-07", "2020-21"),
        (D(2021, 8, 1), "2021-08", "2021-22"),
        (D(2022, 7, 31), "2022-07", "2021-22"),
        (D(2022, 8, 1), "2022-08", "2022-23"),
    ],
)
def test_intake(start, month, year):
    assert intake_month(start) == month
    assert intake_academic_year(start) == year


# --- census ---------------------------------------------------------------------


def rec(ref, **kw):
    defaults = {
        "organisation": "WCC",
        "directorate": "People",
        "level": 3,
        "date_of_birth": D(1990, 6, 1),
        "planned_start": D(2020, 9, 1),
        "actual_start": D(2020, 9, 1),
    }
    defaults.update(kw)
    return ApprenticeRecord(ref, **defaults)


CENSUS = D(2021, 3, 31)


@pytest.mark.parametrize(
    ("record", "on_programme", "on_break", "future"),
    [
        (rec("A"), True, False, False),
        # started on the census date: counts
        (rec("B", actual_start=CENSUS, planned_start=CENSUS), True, False, False),
        # starts the day after: future
        (rec("C", actual_start=None, planned_start=D(2021, 4, 1)), False, False, True),
        # completed on the census date: no longer on programme
        (rec("D", completed_on=CENSUS), False, False, False),
        # completed the day after: still on programme on the date
        (rec("E", completed_on=D(2021, 4, 1)), True, False, False),
        (rec("F", withdrawn_on=CENSUS), False, False, False),
        (rec("G", withdrawn_on=D(2021, 4, 1)), True, False, False),
        # on a break that covers the date: on programme and on break
        (rec("H", breaks=[Break(D(2021, 3, 1), None)]), True, True, False),
        (rec("I", breaks=[Break(D(2021, 1, 1), D(2021, 3, 30))]), True, False, False),
        # a future start cancelled before the date is nothing
        (
            rec("J", actual_start=None, planned_start=D(2021, 6, 1), cancelled_on=D(2021, 3, 1)),
            False,
            False,
            False,
        ),
        # cancelled after the date: still future on it
        (
            rec("K", actual_start=None, planned_start=D(2021, 6, 1), cancelled_on=D(2021, 5, 1)),
            False,
            False,
            True,
        ),
        # planned start passed but not started: neither on programme nor future
        (rec("L", actual_start=None, planned_start=D(2021, 3, 1)), False, False, False),
        # started later than the census (historical view of a current apprentice): future
        (rec("M", actual_start=D(2021, 5, 4), planned_start=D(2021, 5, 4)), False, False, True),
    ],
)
def test_census_rule(record, on_programme, on_break, future):
    count = count_cohort([record], CENSUS)
    assert (count.on_programme, count.on_break, count.future) == (
        int(on_programme),
        int(on_break),
        int(future),
    )


def test_count_cohort_groups_on_programme_only():
    records = [
        rec("1", level=2, date_of_birth=D(2003, 1, 1)),  # 17 at start: 16-18
        rec("2", level=7, directorate="Economy", date_of_birth=D(1970, 1, 1)),  # 50
        rec("3", organisation="WCF", directorate="Children", date_of_birth=D(1996, 9, 1)),  # 24
        rec("4", date_of_birth=D(1995, 9, 1), standard="ST0070", route="external"),  # 25
        rec("5", actual_start=None, planned_start=D(2021, 6, 1)),  # future
        rec("6", withdrawn_on=D(2021, 1, 1)),  # gone
    ]
    count = count_cohort(records, CENSUS)
    data = count.as_dict()
    assert data["on_programme"] == 4
    assert data["future"] == 1
    assert data["on_break"] == 0
    assert data["by_organisation"] == {"WCC": 3, "WCF": 1}
    assert data["by_directorate"] == {"Children": 1, "Economy": 1, "People": 2}
    assert list(data["by_level"]) == list(LEVELS)
    assert data["by_level"] == {"2": 1, "3": 2, "4": 0, "5": 0, "6": 0, "7": 1}
    assert list(data["by_age_band"]) == list(AGE_BANDS)
    assert data["by_age_band"] == {"16-18": 1, "19-24": 1, "25-49": 1, "50+": 1}
    assert data["future_by_directorate"] == {"People": 1}
    assert data["by_standard"] == {"ST0070": 1}
    assert data["by_intake"] == {"2020-21": 4}
    assert data["by_intake_month"] == {"2020-09": 4}
    assert sum(data["by_directorate"].values()) == data["on_programme"]


def test_starts_by_month_and_future_cohort():
    records = [
        rec("1", actual_start=D(2021, 1, 31)),
        rec("2", actual_start=D(2021, 2, 1)),
        rec("3", actual_start=D(2020, 12, 31)),
        rec("4", actual_start=None, planned_start=D(2021, 9, 1)),
        rec("5", actual_start=None, planned_start=D(2021, 5, 1)),
    ]
    assert starts_by_month(records, D(2021, 1, 1), D(2021, 3, 31)) == {
        "2021-01": 1,
        "2021-02": 1,
        "2021-03": 0,
    }
    assert [r.reference for r in future_cohort(records, CENSUS)] == ["5", "4"]


# --- one record -------------------------------------------------------------------


def problems(**kw):
    args = {
        "date_of_birth": D(1990, 1, 1),
        "start": D(2021, 1, 4),
        "planned_end": D(2022, 1, 31),
        "status": Status.ON_PROGRAMME,
        "status_date": None,
    }
    args.update(kw)
    return [(p.field, p.message) for p in check_record(**args)]


def test_a_good_record_has_no_problems():
    assert problems() == []
    assert problems(status=Status.COMPLETED, status_date=D(2022, 1, 31)) == []
    assert problems(status=Status.BREAK, breaks=[Break(D(2021, 6, 1), None)]) == []


@pytest.mark.parametrize(
    ("kw", "field", "fragment"),
    [
        ({"planned_end": D(2021, 1, 4)}, "Planned end date", "is not after the start date"),
        ({"date_of_birth": D(2005, 1, 5)}, "Date of birth", "under 16"),  # 15 on 4 Jan 2021
        ({"status": Status.COMPLETED}, "Status date", "is blank"),
        ({"status": Status.WITHDRAWN}, "Status date", "is blank"),
        ({"status_date": D(2021, 5, 1)}, "Status date", "must be blank"),
        ({"status": Status.COMPLETED, "status_date": D(2021, 1, 3)}, "Status date", "before the"),
        ({"status": Status.BREAK}, "Status", "no break is open"),
        ({"breaks": [Break(D(2021, 6, 1), None)]}, "Break end", "close the break"),
        (
            {"breaks": [Break(D(2021, 6, 1), D(2021, 7, 1)), Break(D(2021, 7, 1), D(2021, 8, 1))]},
            "Break start",
            "overlap",
        ),
        (
            {"status": Status.FUTURE, "breaks": [Break(D(2021, 6, 1), D(2021, 7, 1))]},
            "Break start",
            "cannot have breaks",
        ),
    ],
)
def test_record_problems(kw, field, fragment):
    found = problems(**kw)
    assert any(f == field and fragment in m for f, m in found), found


def test_commitment_for_statuses():
    from decimal import Decimal

    args = {
        "agreed_price": Decimal(9000),
        "band_maximum": Decimal(8000),
        "start": D(2021, 1, 4),
        "planned_end": D(2022, 1, 31),
        "status_date": D(2021, 6, 30),
    }
    assert commitment_for(status=Status.CANCELLED, **args) is None
    withdrawn = commitment_for(status=Status.WITHDRAWN, **args)
    assert withdrawn.withdrawn_on == D(2021, 6, 30)
    assert withdrawn.completed_on is None
    assert withdrawn.capped_price == Decimal(8000)
    assert withdrawn.excess == Decimal(1000)
    done = commitment_for(status=Status.COMPLETED, **args)
    assert done.completed_on == D(2021, 6, 30)
    assert done.withdrawn_on is None


# --- invariants -------------------------------------------------------------------


days = st.dates(min_value=D(2018, 1, 1), max_value=D(2026, 12, 31))


@given(
    planned=days,
    started=st.booleans(),
    ended=st.sampled_from(["none", "completed", "withdrawn", "cancelled"]),
    end_gap=st.integers(min_value=0, max_value=900),
    as_of=days,
)
def test_census_categories_never_overlap(planned, started, ended, end_gap, as_of):
    from datetime import timedelta

    end = planned + timedelta(days=end_gap)
    record = rec(
        "X",
        planned_start=planned,
        actual_start=planned if started else None,
        completed_on=end if started and ended == "completed" else None,
        withdrawn_on=end if started and ended == "withdrawn" else None,
        cancelled_on=end if not started and ended == "cancelled" else None,
        breaks=[Break(planned, planned + timedelta(days=end_gap // 2))] if started else [],
    )
    count = count_cohort([record], as_of)
    assert count.on_programme + count.future <= 1
    assert count.on_break <= count.on_programme
    assert sum(count.by_age_band.values()) == count.on_programme
    assert sum(count.by_level.values()) == count.on_programme
