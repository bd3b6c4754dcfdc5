"""Care-leaver placements, follow-ups, guaranteed interviews and reports (docs/rules.md §7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from levy.domain.placements import (
    FOLLOW_UP_DONE,
    FOLLOW_UP_DUE,
    FOLLOW_UP_NOT_YET_DUE,
    FOLLOW_UP_OVERDUE,
    INTERVIEW_DECLINED,
    INTERVIEW_HELD,
    INTERVIEW_NOT_OWED,
    INTERVIEW_OWED,
    INTERVIEW_TO_ASSESS,
    FollowUp,
    Placement,
    PlacementError,
    PlacementFacts,
    VacancyApplication,
    YoungPerson,
    check_follow_up,
    check_placement,
    display_name,
    follow_ups,
    interview_report,
    interview_status,
    interview_warning,
    latest_progression,
    placement_errors,
    placement_report,
    placement_warnings,
    progression_flags,
    young_person_errors,
)


def placement(**kw: object) -> Placement:
    defaults: dict[str, object] = {
        "type": "short",
        "planned_start": date(2021, 1, 4),
        "planned_end": date(2021, 1, 15),
        "planned_hours": Decimal("60"),
        "pay_reason": "shadowing only",
        "risk_assessed_on": date(2020, 12, 18),
        "risk_assessed_by": "J Smith",
        "directorate": "People",
    }
    defaults.update(kw)
    return Placement(**defaults)  # type: ignore[arg-type]


def fields(p: Placement) -> list[str]:
    return [name for name, _ in placement_errors(p)]


# --- placement types and their limits ------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "first", "last", "ok"),
    [
        ("taster", date(2021, 3, 1), date(2021, 3, 1), True),  # a one-hour taster: one day
        ("taster", date(2021, 3, 1), date(2021, 3, 2), False),  # two days
        ("short", date(2021, 3, 1), date(2021, 3, 14), True),  # 14 days, both counted
        ("short", date(2021, 3, 1), date(2021, 3, 15), False),  # 15 days
        ("extended", date(2021, 3, 1), date(2021, 4, 11), True),  # 31 + 11 = 42 days
        ("extended", date(2021, 3, 1), date(2021, 4, 12), False),  # 43 days
    ],
)
def test_type_limits_on_planned_dates(kind: str, first: date, last: date, ok: bool) -> None:
    p = placement(type=kind, planned_start=first, planned_end=last, planned_hours=Decimal("1"))
    assert ("planned_end" not in fields(p)) is ok


def test_limit_message_suggests_the_longer_type() -> None:
    p = placement(planned_start=date(2021, 3, 1), planned_end=date(2021, 3, 15))
    with pytest.raises(PlacementError) as exc:
        check_placement(p)
    assert str(exc.value) == (
        "A short placement lasts up to two weeks (14 days); planned dates 1 Mar 2021 to "
        "15 Mar 2021 are 15 days: record it as extended"
    )


def test_limit_is_enforced_on_the_actual_dates_too() -> None:
    p = placement(
        outcome="completed", actual_start=date(2021, 1, 4), actual_end=date(2021, 1, 18)
    )  # 15 days
    assert fields(p) == ["actual_end"]


def test_longer_than_six_weeks_has_no_type() -> None:
    p = placement(type="extended", planned_start=date(2021, 3, 1), planned_end=date(2021, 5, 1))
    assert "record it as" not in str(PlacementError(placement_errors(p)))


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"type": "week"}, "type"),
        ({"planned_end": date(2021, 1, 3)}, "planned_end"),
        ({"outcome": "finished"}, "outcome"),
        ({"outcome": "did not start", "actual_start": date(2021, 1, 4)}, "outcome"),
        ({"outcome": "completed", "actual_end": date(2021, 1, 15)}, "actual_start"),
        ({"outcome": "left early", "actual_start": date(2021, 1, 4)}, "actual_end"),
        ({"planned_hours": Decimal("0")}, "planned_hours"),
        ({"type": "taster", "planned_end": date(2021, 1, 4), "planned_hours": Decimal("25")},
         "planned_hours"),
        ({"pay_reason": " "}, "pay_reason"),
        ({"risk_assessed_by": ""}, "risk_assessed_by"),
    ],
)  # fmt: skip
def test_placement_errors_name_the_field(kw: dict, field: str) -> None:
    assert fields(placement(**kw)) == [field]


def test_a_valid_placement_has_no_errors() -> None:
    p = placement(
        outcome="left early",
        actual_start=date(2021, 1, 4),
        actual_end=date(2021, 1, 8),
        actual_hours=Decimal("30"),
    )
    assert check_placement(p) is p
    assert p.days == 5
    assert p.hours == Decimal("30")


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, []),
        # 5 weeks unpaid: may be real work needing the minimum wage
        ({"type": "extended", "planned_end": date(2021, 2, 7)}, ["minimum wage"]),
        ({"type": "extended", "planned_end": date(2021, 2, 7), "paid": True}, []),
        ({"risk_assessed_on": None, "risk_assessed_by": ""}, ["No risk assessment"]),
        ({"risk_assessed_on": date(2021, 1, 5)}, ["is after the start on 4 Jan 2021"]),
    ],
)
def test_placement_warnings(kw: dict, expected: list[str]) -> None:
    found = placement_warnings(placement(**kw), as_of=date(2021, 1, 10))
    assert len(found) == len(expected)
    for text, want in zip(found, expected, strict=True):
        assert want in text


def test_outcome_missing_after_the_planned_end_warns() -> None:
    found = placement_warnings(placement(), as_of=date(2021, 1, 16))
    assert found == ["Planned to end on 15 Jan 2021: record the outcome"]


# --- young people -------------------------------------------------------------------


def test_young_person_checks_and_redaction() -> None:
    yp = YoungPerson("YP-007", "Sam Carter", date(2002, 5, 1), "care leaver", date(2021, 1, 1))
    assert young_person_errors(yp, date(2021, 2, 1)) == []
    assert yp.age_on(date(2021, 5, 1)) == 19
    assert yp.age_on(date(2021, 4, 30)) == 18
    assert display_name(yp, can_see_names=True) == "Sam Carter"
    assert display_name(yp, can_see_names=False) == "YP-007"
    bad = replace(yp, care_status="looked after", consent_hosts_on=date(2022, 1, 1))
    assert [f for f, _ in young_person_errors(bad, date(2021, 2, 1))] == [
        "care_status",
        "consent_hosts_on",
    ]


# --- follow-ups ---------------------------------------------------------------------

DONE = placement(outcome="completed", actual_start=date(2021, 1, 4), actual_end=date(2021, 1, 15))


@pytest.mark.parametrize(
    ("as_of", "statuses", "overdue"),
    [
        # ended 15 Jan 2021: follow-ups on 15 Apr and 15 Jul 2021
        (date(2021, 3, 31), [FOLLOW_UP_NOT_YET_DUE, FOLLOW_UP_NOT_YET_DUE], 0),
        (date(2021, 4, 1), [FOLLOW_UP_DUE, FOLLOW_UP_NOT_YET_DUE], 0),  # 14 days before
        (date(2021, 4, 15), [FOLLOW_UP_DUE, FOLLOW_UP_NOT_YET_DUE], 0),  # on the day
        (date(2021, 4, 16), [FOLLOW_UP_OVERDUE, FOLLOW_UP_NOT_YET_DUE], 1),
        (date(2021, 7, 16), [FOLLOW_UP_OVERDUE, FOLLOW_UP_OVERDUE], 92),  # 16 Apr..16 Jul
    ],
)
def test_follow_up_statuses(as_of: date, statuses: list[str], overdue: int) -> None:
    found = follow_ups(DONE, [], as_of)
    assert [f.due_on for f in found] == [date(2021, 4, 15), date(2021, 7, 15)]
    assert [f.status for f in found] == statuses
    assert found[0].days_overdue == overdue


def test_overdue_warning_text() -> None:
    item = follow_ups(DONE, [], date(2021, 4, 16))[0]
    assert item.warning == "3-month follow-up was due on 15 Apr 2021: 1 day overdue"


def test_recorded_follow_up_is_done() -> None:
    f = FollowUp(3, date(2021, 4, 20), "job")
    found = follow_ups(DONE, [f], date(2021, 8, 1))
    assert [x.status for x in found] == [FOLLOW_UP_DONE, FOLLOW_UP_OVERDUE]
    assert latest_progression([f]) == "job"
    assert latest_progression([]) == "none yet"


def test_follow_up_from_the_planned_end_when_no_actual_end() -> None:
    # month-end: 30 Nov + 3 months is 28 Feb
    p = placement(outcome="completed", actual_start=date(2021, 1, 4))
    p = replace(
        p, actual_end=None, planned_start=date(2020, 11, 23), planned_end=date(2020, 11, 30)
    )
    assert [f.due_on for f in follow_ups(p, [], date(2021, 1, 1))] == [
        date(2021, 2, 28),
        date(2021, 5, 30),
    ]


def test_no_follow_up_for_a_placement_that_did_not_start() -> None:
    assert follow_ups(placement(outcome="did not start"), [], date(2022, 1, 1)) == []
    assert follow_ups(placement(), [], date(2022, 1, 1)) == []  # outcome not recorded


@pytest.mark.parametrize(
    ("f", "fields_"),
    [
        (FollowUp(3, date(2021, 4, 15), "apprenticeship", "APP-001"), []),
        (FollowUp(3, date(2021, 4, 15), "apprenticeship"), ["apprentice_reference"]),
        (FollowUp(3, date(2021, 4, 15), "job", "APP-001"), ["apprentice_reference"]),
        (FollowUp(4, date(2021, 4, 15), "job"), ["months"]),
        (FollowUp(3, date(2021, 4, 15), "college"), ["progression"]),
        (FollowUp(3, date(2021, 1, 14), "job"), ["recorded_on"]),
    ],
)
def test_follow_up_checks(f: FollowUp, fields_: list[str]) -> None:
    if fields_:
        with pytest.raises(PlacementError) as exc:
            check_follow_up(f, DONE)
        assert [name for name, _ in exc.value.errors] == fields_
    else:
        assert check_follow_up(f, DONE) is f


def test_apprenticeship_progression_flags_the_care_leaver_payments() -> None:
    assert progression_flags("apprenticeship") == ("16-18-employer", "care-leaver-bursary")
    assert progression_flags("job") == ()


# --- guaranteed interviews ----------------------------------------------------------


@pytest.mark.parametrize(
    ("application", "status"),
    [
        (VacancyApplication(None), INTERVIEW_TO_ASSESS),
        (VacancyApplication(False), INTERVIEW_NOT_OWED),
        (VacancyApplication(True), INTERVIEW_OWED),
        (VacancyApplication(True, date(2021, 2, 1)), INTERVIEW_HELD),
        (VacancyApplication(True, interview_declined=True), INTERVIEW_DECLINED),
    ],
)
def test_interview_status(application: VacancyApplication, status: str) -> None:
    assert interview_status(application) == status
    warning = interview_warning(application, "YP-007", "Business admin apprentice")
    assert bool(warning) is (status == INTERVIEW_OWED)


# --- reports ------------------------------------------------------------------------


def test_placement_report() -> None:
    taster = placement(
        type="taster",
        planned_start=date(2020, 10, 1),
        planned_end=date(2020, 10, 1),
        planned_hours=Decimal("1"),
        outcome="completed",
        actual_start=date(2020, 10, 1),
        actual_end=date(2020, 10, 1),
        actual_hours=Decimal("1"),
        directorate="Economy",
    )
    rows = [
        # ended 1 Oct 2020: 3-month follow-up 1 Jan 2021 (job), 6-month 1 Apr 2021 due
        PlacementFacts(taster, (FollowUp(3, date(2021, 1, 5), "job"),)),
        # ended 15 Jan 2021: 3-month follow-up 15 Apr 2021 not due on 1 Apr
        PlacementFacts(DONE),
        PlacementFacts(placement(outcome="did not start")),
    ]
    report = placement_report(rows, as_of=date(2021, 4, 1))
    assert report.total == 3
    assert report.by_type == {"taster": 1, "short": 2}
    assert report.by_directorate == {"Economy": 1, "People": 2}
    assert report.by_outcome == {"completed": 2, "did not start": 1}
    assert report.hours_by_type == {"taster": Decimal("1"), "short": Decimal("60")}
    three, six = report.progression[3], report.progression[6]
    assert (three.due, three.recorded, three.progressed, three.rate) == (1, 1, 1, Decimal("1.000"))
    assert (six.due, six.recorded, six.progressed) == (1, 0, 0)
    assert six.rate == Decimal("0.000")
    assert report.progressions == {"job": 1, "none yet": 1}


def test_progression_rate_is_none_before_any_follow_up_is_due() -> None:
    report = placement_report([PlacementFacts(DONE)], as_of=date(2021, 2, 1))
    assert report.progression[3].rate is None


def test_interview_report() -> None:
    counts = interview_report(
        [
            VacancyApplication(True),
            VacancyApplication(True, date(2021, 2, 1)),
            VacancyApplication(True),
        ]
    )
    assert counts == {INTERVIEW_OWED: 2, INTERVIEW_HELD: 1}
