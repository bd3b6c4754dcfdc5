"""Incentive schemes, due dates and claim statuses (docs/rules.md §5, issue 7 rules 1-3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levy.domain.commitments import Break
from levy.domain.incentives import (
    APPLICATION_MOVES,
    APPLIED,
    DUE,
    FORFEITED,
    INSTALMENT_MOVES,
    MISSED,
    NOT_APPLIED,
    NOT_YET_DUE,
    PAID,
    SCHEMES,
    Application,
    ApplicationRefused,
    IncentiveApprentice,
    IncentiveError,
    Payment,
    PaymentRefused,
    UnknownScheme,
    apply,
    check_move,
    days_left_to_apply,
    due_date,
    eligibility,
    eligible_schemes,
    equal_split,
    falling_due,
    instalments,
    mark_paid,
    scheme_records,
    totals_by_scheme,
)
from levy.domain.rules import RULES

D = Decimal


def apprentice(
    start: date = date(2020, 9, 1),
    born: date = date(2002, 1, 15),
    employed: date | None = None,
    **kw: object,
) -> IncentiveApprentice:
    return IncentiveApprentice(
        reference="APP-001",
        date_of_birth=born,
        apprenticeship_start=start,
        employment_start=employed,
        **kw,  # type: ignore[arg-type]
    )


def scheme_ids(a: IncentiveApprentice) -> list[str]:
    return [e.scheme for e in eligible_schemes(a)]


# --- rule 1: which new-hire phase, by the employment start ----------------------------


@pytest.mark.parametrize(
    ("employed", "start", "expected"),
    [
        (date(2020, 7, 31), date(2020, 9, 1), None),  # day before phase 1
        (date(2020, 8, 1), date(2020, 8, 1), "new-hire-1"),  # first day of phase 1
        (date(2021, 3, 31), date(2021, 5, 31), "new-hire-1"),  # last day of both windows
        (date(2021, 3, 31), date(2021, 6, 1), None),  # apprenticeship starts too late
        (date(2021, 4, 1), date(2021, 4, 1), "new-hire-2"),  # first day of phase 2
        (date(2021, 9, 30), date(2021, 11, 30), "new-hire-2"),
        (date(2021, 9, 30), date(2021, 12, 1), None),
        (date(2021, 10, 1), date(2021, 10, 1), "new-hire-3"),
        (date(2021, 10, 1), date(2021, 9, 30), None),  # start before phase 3's start window
        (date(2022, 1, 31), date(2022, 3, 31), "new-hire-3"),
        (date(2022, 1, 31), date(2022, 4, 1), None),
        (date(2022, 2, 1), date(2022, 2, 1), None),  # after phase 3
    ],
)
def test_new_hire_phase_by_employment_and_start_windows(
    employed: date, start: date, expected: str | None
) -> None:
    a = apprentice(start=start, employed=employed, born=date(2000, 1, 1))
    found = [s for s in scheme_ids(a) if s.startswith("new-hire")]
    assert found == ([expected] if expected else [])


def test_employment_outside_window_gives_the_reason() -> None:
    e = eligibility(apprentice(employed=date(2020, 7, 31)), "new-hire-1")
    assert not e.eligible
    assert e.reason == (
        "employment started 31 Jul 2020, outside this phase's employment window "
        "(1 Aug 2020 to 31 Mar 2021)"
    )


def test_start_outside_window_gives_the_reason() -> None:
    e = eligibility(apprentice(employed=date(2021, 3, 31), start=date(2021, 6, 1)), "new-hire-1")
    assert e.reason == (
        "apprenticeship started 1 Jun 2021, outside this phase's start window "
        "(1 Aug 2020 to 31 May 2021)"
    )


OLDER = "aged 25 or over at start: £1,500, not £2,000"


@pytest.mark.parametrize(
    ("born", "age", "total", "each", "reason"),
    [
        # start 1 Sep 2020: born 2 Sep 1995 is 24 that day, born 1 Sep 1995 turns 25
        (date(1995, 9, 2), 24, D("2000"), D("1000"), "aged 24 at start (16 to 24): £2,000"),
        (date(1995, 9, 1), 25, D("1500"), D("750"), OLDER),
        (date(2004, 9, 1), 16, D("2000"), D("1000"), "aged 16 at start (16 to 24): £2,000"),
        (date(1960, 1, 1), 60, D("1500"), D("750"), OLDER),
    ],
)
def test_phase_1_amount_by_age_at_apprenticeship_start(
    born: date, age: int, total: Decimal, each: Decimal, reason: str
) -> None:
    a = apprentice(born=born)
    assert a.age_at_start == age
    e = eligibility(a, "new-hire-1")
    assert e.eligible
    assert e.total == total
    assert e.amounts == (each, each)  # 50% at day 90, 50% at day 365
    assert e.days == (90, 365)
    assert e.reason == reason


def test_age_is_taken_at_the_apprenticeship_start_not_employment() -> None:
    # 24 on the employment start (1 Aug 2020), 25 on the apprenticeship start (1 Sep 2020)
    a = apprentice(born=date(1995, 8, 15), employed=date(2020, 8, 1), start=date(2020, 9, 1))
    assert eligibility(a, "new-hire-1").total == D("1500")


@pytest.mark.parametrize("scheme", ["new-hire-2", "new-hire-3"])
@pytest.mark.parametrize("born", [date(1996, 10, 2), date(1996, 10, 1), date(1970, 1, 1)])
def test_phases_2_and_3_pay_3000_at_any_age(scheme: str, born: date) -> None:
    start = date(2021, 10, 1) if scheme == "new-hire-3" else date(2021, 6, 1)
    e = eligibility(apprentice(start=start, born=born), scheme)
    assert e.eligible
    assert e.total == D("3000")
    assert e.amounts == (D("1500"), D("1500"))


def test_under_16_is_not_eligible() -> None:
    e = eligibility(apprentice(born=date(2004, 9, 2)), "new-hire-1")  # 15 on 1 Sep 2020
    assert not e.eligible
    assert "aged 15 at start" in e.reason


@pytest.mark.parametrize(
    ("previously_until", "eligible"),
    [
        (None, True),
        (date(2020, 7, 31), True),  # employed 1 Feb 2021: the 6 months start 1 Aug 2020
        (date(2020, 8, 1), False),
        (date(2021, 1, 31), False),  # the day before the employment start
    ],
)
def test_not_employed_by_the_organisation_in_the_6_months_before(
    previously_until: date | None, eligible: bool
) -> None:
    a = apprentice(
        employed=date(2021, 2, 1),
        start=date(2021, 2, 1),
        previously_employed_until=previously_until,
    )
    e = eligibility(a, "new-hire-1")
    assert e.eligible is eligible
    if not eligible:
        assert e.reason == "employed by the council within the 6 months before"


def test_an_existing_employee_is_not_a_new_hire() -> None:
    a = apprentice(employed=date(2020, 9, 1), previously_employed_until=date(2021, 1, 1))
    assert "not a new hire" in eligibility(a, "new-hire-1").reason


def test_one_incentive_per_apprentice() -> None:
    a = apprentice(new_hire_claimed_elsewhere="new-hire-1")
    e = eligibility(a, "new-hire-1")
    assert not e.eligible
    assert e.reason == "one incentive per apprentice: new-hire-1 already claimed"


def test_at_most_one_new_hire_phase_for_any_employment_start() -> None:
    day = date(2020, 6, 1)
    while day <= date(2022, 4, 30):
        a = apprentice(employed=day, start=day)
        assert len([s for s in scheme_ids(a) if s.startswith("new-hire")]) <= 1
        day += timedelta(days=7)


# --- rule 1: the 16-18 employer payment --------------------------------------------


@pytest.mark.parametrize(
    ("born", "kw", "eligible", "reason"),
    [
        # start 1 Sep 2020
        (date(2004, 9, 1), {}, True, "aged 16 at start"),
        (date(2001, 9, 2), {}, True, "aged 18 at start"),
        (date(2001, 9, 1), {}, False,
         "aged 19 at start: 19 to 24 only with an EHC plan or as a care leaver"),
        (date(2001, 9, 1), {"ehc_plan": True}, True, "aged 19 at start with an EHC plan"),
        (date(1995, 9, 2), {"care_leaver": True, "care_leaver_consent": True}, True,
         "aged 24 at start, a care leaver who consented to the employer being told"),
        (date(1995, 9, 2), {"care_leaver": True}, False,
         "aged 24 at start: a care leaver, but has not consented to the employer being told"),
        (date(1995, 9, 1), {"ehc_plan": True}, False, "aged 25 or over at start"),
        (date(2004, 9, 2), {}, False, "aged 15 at start: under 16"),
    ],
)  # fmt: skip
def test_16_18_employer_payment(born: date, kw: dict, eligible: bool, reason: str) -> None:
    e = eligibility(apprentice(born=born, **kw), "16-18-employer")
    assert e.eligible is eligible
    assert e.reason == reason
    if eligible:
        assert e.amounts == (D("500"), D("500"))
        assert e.days == (90, 365)
        assert e.claimed_by == "provider"
        assert e.claim_to is None


# --- rule 1: the care leavers' bursary ---------------------------------------------


@pytest.mark.parametrize(
    ("start", "amounts", "days"),
    [
        (date(2018, 7, 31), None, None),
        (date(2018, 8, 1), (D("1000"),), (60,)),
        (date(2023, 7, 31), (D("1000"),), (60,)),
        (date(2023, 8, 1), (D("1000"),) * 3, (60, 120, 300)),
    ],
)
def test_bursary_by_apprenticeship_start(
    start: date, amounts: tuple[Decimal, ...] | None, days: tuple[int, ...] | None
) -> None:
    born = start.replace(year=start.year - 20)
    a = apprentice(start=start, born=born, care_leaver=True, care_leaver_consent=True)
    e = eligibility(a, "care-leaver-bursary")
    if amounts is None:
        assert not e.eligible
        assert e.reason == (
            "apprenticeship started 31 Jul 2018, before the bursary began (1 Aug 2018)"
        )
    else:
        assert e.eligible
        assert e.amounts == amounts
        assert e.days == days


@pytest.mark.parametrize(
    ("kw", "born", "reason"),
    [
        ({}, date(2000, 1, 1), "not a care leaver"),
        ({"care_leaver": True}, date(2000, 1, 1),
         "a care leaver, but has not consented to the employer being told"),
        ({"care_leaver": True, "care_leaver_consent": True}, date(1995, 9, 1),
         "aged 25 at start: the bursary is for care leavers aged 16 to 24"),
    ],
)  # fmt: skip
def test_bursary_not_eligible_reasons(kw: dict, born: date, reason: str) -> None:
    e = eligibility(apprentice(born=born, **kw), "care-leaver-bursary")
    assert not e.eligible
    assert e.reason == reason


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(UnknownScheme, match="'new-hire-4' is not a scheme"):
        eligibility(apprentice(), "new-hire-4")


def test_the_schemes_come_from_the_rule_table() -> None:
    for scheme in SCHEMES:
        assert RULES.history(f"incentive.{scheme}")


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        (D("2000"), 2, (D("1000.00"), D("1000.00"))),
        (D("1500"), 2, (D("750.00"), D("750.00"))),
        (D("1000.01"), 2, (D("500.01"), D("500.00"))),  # 500.005 rounds half-up
    ],
)
def test_equal_split(total: Decimal, parts: int, expected: tuple[Decimal, ...]) -> None:
    assert equal_split(total, parts) == expected
    assert sum(expected) == total


# --- rule 2: due dates --------------------------------------------------------------

START = date(2020, 9, 1)


@pytest.mark.parametrize(
    ("days", "breaks", "expected"),
    [
        # no break: start + N - 1. Sep has 30 days, Oct 31: day 61 is 31 Oct, day 90 29 Nov
        (90, [], date(2020, 11, 29)),
        (1, [], date(2020, 9, 1)),  # day 1 is the start date
        (365, [], date(2021, 8, 31)),  # 1 Sep 2020 + 364 days (no 29 Feb in between)
        (60, [], date(2020, 10, 30)),
        # a 14-day break (1-14 Oct, both days count) pushes day 90 back 14 days
        (90, [Break(date(2020, 10, 1), date(2020, 10, 14))], date(2020, 12, 13)),
        # a one-day break
        (90, [Break(date(2020, 10, 1), date(2020, 10, 1))], date(2020, 11, 30)),
        # straddling the due date: 20 Nov - 10 Dec is 11 + 10 = 21 days. 80 days done by
        # 19 Nov; 10 more from 11 Dec: day 90 is 20 Dec = 29 Nov + 21
        (90, [Break(date(2020, 11, 20), date(2020, 12, 10))], date(2020, 12, 20)),
        # a break beginning on the would-be due date: that day is not in learning
        (90, [Break(date(2020, 11, 29), date(2020, 11, 29))], date(2020, 11, 30)),
        # a break beginning after the due date changes nothing
        (90, [Break(date(2020, 11, 30), date(2020, 12, 31))], date(2020, 11, 29)),
        # two breaks: the first pushes day 90 to 13 Dec, so the second (1-5 Dec, 5 days)
        # now begins before it and pushes it to 18 Dec
        (
            90,
            [Break(date(2020, 10, 1), date(2020, 10, 14)),
             Break(date(2020, 12, 1), date(2020, 12, 5))],
            date(2020, 12, 18),
        ),
        # overlapping breaks count each day once: 1-14 Oct and 10-20 Oct are 20 days
        (
            90,
            [Break(date(2020, 10, 1), date(2020, 10, 14)),
             Break(date(2020, 10, 10), date(2020, 10, 20))],
            date(2020, 12, 19),
        ),
    ],
)  # fmt: skip
def test_due_date(days: int, breaks: list[Break], expected: date) -> None:
    assert due_date(START, days, breaks) == expected


def test_bursary_days_60_120_300_from_1_aug_2023() -> None:
    start = date(2023, 8, 1)
    # Aug 31 + Sep 29 = 60; + Oct 31 + Nov 28 = 120; 300th day is 26 May 2024 (leap year)
    assert [due_date(start, n) for n in (60, 120, 300)] == [
        date(2023, 9, 29),
        date(2023, 11, 28),
        date(2024, 5, 26),
    ]


def test_an_open_break_counts_to_the_as_of_date() -> None:
    brk = Break(date(2020, 11, 1), None)
    with pytest.raises(IncentiveError, match="still open"):
        due_date(START, 90, [brk])
    # on break 1-15 Nov (15 days so far): the earliest due date is 29 Nov + 15 = 14 Dec
    assert due_date(START, 90, [brk], open_until=date(2020, 11, 15)) == date(2020, 12, 14)


def _count_in_learning(start: date, days: int, breaks: list[tuple[date, date]]) -> date:
    """The definition itself: walk the calendar, counting days not on a break."""
    day, count = start, 0
    while True:
        if not any(first <= day <= last for first, last in breaks):
            count += 1
            if count == days:
                return day
        day += timedelta(days=1)


@given(
    days=st.sampled_from([60, 90, 120, 300, 365]),
    offsets=st.lists(st.tuples(st.integers(0, 500), st.integers(0, 80)), max_size=4),
)
def test_due_date_matches_counting_days_in_learning(
    days: int, offsets: list[tuple[int, int]]
) -> None:
    spans = [
        (START + timedelta(days=o), START + timedelta(days=o + length)) for o, length in offsets
    ]
    breaks = [Break(first, last) for first, last in spans]
    assert due_date(START, days, breaks) == _count_in_learning(START, days, spans)


# --- rule 3: instalment statuses ----------------------------------------------------


def _instalments(a: IncentiveApprentice, as_of: date, payments=None, scheme="new-hire-1"):
    return instalments(a, eligibility(a, scheme), payments, as_of)


@pytest.mark.parametrize(
    ("as_of", "statuses"),
    [
        (date(2020, 11, 28), [NOT_YET_DUE, NOT_YET_DUE]),
        (date(2020, 11, 29), [DUE, NOT_YET_DUE]),  # day 90
        (date(2021, 8, 30), [DUE, NOT_YET_DUE]),
        (date(2021, 8, 31), [DUE, DUE]),  # day 365
    ],
)
def test_instalments_fall_due(as_of: date, statuses: list[str]) -> None:
    found = _instalments(apprentice(), as_of)
    assert [i.status for i in found] == statuses
    assert [i.due_date for i in found] == [date(2020, 11, 29), date(2021, 8, 31)]
    assert [i.amount for i in found] == [D("1000"), D("1000")]


@pytest.mark.parametrize(
    ("end_field", "ended", "statuses", "due_dates"),
    [
        # leaving before day 90 forfeits both halves
        ("withdrawn_on", date(2020, 11, 28), [FORFEITED, FORFEITED], [None, None]),
        # leaving on day 90 has completed 90 days: the first half is owed
        ("withdrawn_on", date(2020, 11, 29), [DUE, FORFEITED], [date(2020, 11, 29), None]),
        ("left_employment_on", date(2021, 8, 30), [DUE, FORFEITED], [date(2020, 11, 29), None]),
        ("completed_on", date(2021, 8, 30), [DUE, FORFEITED], [date(2020, 11, 29), None]),
        ("completed_on", date(2021, 8, 31), [DUE, DUE], [date(2020, 11, 29), date(2021, 8, 31)]),
    ],
)
def test_forfeiture(end_field: str, ended: date, statuses: list[str], due_dates: list) -> None:
    a = apprentice(**{end_field: ended})
    found = _instalments(a, date(2022, 1, 1))
    assert [i.status for i in found] == statuses
    assert [i.due_date for i in found] == due_dates


def test_forfeit_reason_names_the_event() -> None:
    a = apprentice(withdrawn_on=date(2020, 10, 1))
    assert (
        _instalments(a, date(2021, 1, 1))[0].forfeit_reason
        == "withdrew on 1 Oct 2020, before day 90"
    )


def test_a_break_pushes_the_due_date_past_a_leaving_date() -> None:
    # without the break day 90 is 29 Nov and leaving on 10 Dec would keep the first half;
    # a 14-day break pushes day 90 to 13 Dec, after the leaving date: forfeited
    a = apprentice(
        breaks=(Break(date(2020, 10, 1), date(2020, 10, 14)),), withdrawn_on=date(2020, 12, 10)
    )
    assert [i.status for i in _instalments(a, date(2021, 1, 1))] == [FORFEITED, FORFEITED]


def test_leaving_after_the_as_of_date_has_not_happened_yet() -> None:
    a = apprentice(withdrawn_on=date(2021, 1, 1))
    assert [i.status for i in _instalments(a, date(2020, 12, 1))] == [DUE, NOT_YET_DUE]


def test_open_break_keeps_the_instalment_not_yet_due() -> None:
    a = apprentice(breaks=(Break(date(2020, 11, 1), None),))
    found = _instalments(a, date(2020, 12, 1))
    # 1 Nov - 1 Dec on break so far (31 days): due no earlier than 29 Nov + 31 = 30 Dec
    assert found[0].status == NOT_YET_DUE
    assert found[0].due_date == date(2020, 12, 30)


def test_paid_instalment_stays_paid() -> None:
    payment = Payment(date(2020, 12, 14), D("1000"))
    found = _instalments(apprentice(), date(2021, 1, 1), {1: payment})
    assert found[0].status == PAID
    assert found[0].received == D("1000")


def test_ineligible_scheme_has_no_instalments() -> None:
    assert _instalments(apprentice(), date(2021, 1, 1), scheme="care-leaver-bursary") == []


# --- rule 3: applications -----------------------------------------------------------

PHASE_1 = apprentice()
PHASE_2 = apprentice(start=date(2021, 6, 1))
PHASE_3 = apprentice(start=date(2021, 11, 1))


@pytest.mark.parametrize(
    ("a", "scheme", "as_of", "status", "days_left"),
    [
        (PHASE_1, "new-hire-1", date(2021, 5, 31), NOT_APPLIED, 1),  # the last day
        (PHASE_1, "new-hire-1", date(2021, 6, 1), MISSED, 0),
        (PHASE_2, "new-hire-2", date(2021, 11, 30), NOT_APPLIED, 1),
        (PHASE_2, "new-hire-2", date(2021, 12, 1), MISSED, 0),
        (PHASE_3, "new-hire-3", date(2022, 5, 20), NOT_APPLIED, 1),
        (PHASE_3, "new-hire-3", date(2022, 5, 21), MISSED, 0),
        (PHASE_3, "new-hire-3", date(2022, 5, 1), NOT_APPLIED, 20),
    ],
)
def test_missed_claim_windows(a, scheme: str, as_of: date, status: str, days_left: int) -> None:
    from levy.domain.incentives import application_status

    e = eligibility(a, scheme)
    assert application_status(e, None, as_of) == status
    assert days_left_to_apply(e, as_of) == days_left


def test_provider_claimed_schemes_are_never_missed() -> None:
    from levy.domain.incentives import application_status

    e = eligibility(apprentice(born=date(2003, 1, 1)), "16-18-employer")
    assert application_status(e, None, date(2030, 1, 1)) == NOT_APPLIED
    assert days_left_to_apply(e, date(2030, 1, 1)) is None


@pytest.mark.parametrize(
    ("a", "scheme", "on", "message"),
    [
        (PHASE_1, "new-hire-1", date(2021, 6, 1), "closed on 31 May 2021: the claim is missed"),
        (PHASE_2, "new-hire-2", date(2021, 5, 31), "open on 1 Jun 2021, not 31 May 2021"),
        (PHASE_3, "new-hire-3", date(2022, 1, 10), "open on 11 Jan 2022"),
        (PHASE_3, "new-hire-3", date(2022, 5, 21), "closed on 20 May 2022"),
        (
            PHASE_1,
            "new-hire-2",
            date(2021, 7, 1),
            "not eligible for the New-hire incentive, phase 2",
        ),
    ],
)
def test_application_refused_outside_the_window(a, scheme: str, on: date, message: str) -> None:
    with pytest.raises(ApplicationRefused, match=message):
        apply(eligibility(a, scheme), None, on, "INC-1")


@pytest.mark.parametrize(
    ("a", "scheme", "on"),
    [
        (PHASE_1, "new-hire-1", date(2021, 5, 31)),
        (PHASE_2, "new-hire-2", date(2021, 6, 1)),
        (PHASE_3, "new-hire-3", date(2022, 1, 11)),
        (PHASE_3, "new-hire-3", date(2022, 5, 20)),
    ],
)
def test_application_accepted_on_the_window_edges(a, scheme: str, on: date) -> None:
    assert apply(eligibility(a, scheme), None, on, " INC-9 ") == Application(on, "INC-9")


def test_application_only_once() -> None:
    e = eligibility(PHASE_1, "new-hire-1")
    done = apply(e, None, date(2021, 1, 11), "INC-1")
    with pytest.raises(
        ApplicationRefused, match=r"already applied for on 11 Jan 2021 \(reference INC-1\)"
    ):
        apply(e, done, date(2021, 1, 12), "INC-2")


def test_application_needs_a_claim_reference_unless_the_provider_claims() -> None:
    with pytest.raises(ApplicationRefused, match="claim reference"):
        apply(eligibility(PHASE_1, "new-hire-1"), None, date(2021, 1, 11), "  ")
    e = eligibility(apprentice(born=date(2003, 1, 1)), "16-18-employer")
    assert apply(e, None, date(2020, 9, 10), "") == Application(date(2020, 9, 10), "")


def test_application_cannot_be_dated_in_the_future() -> None:
    with pytest.raises(ApplicationRefused, match="in the future"):
        apply(
            eligibility(PHASE_1, "new-hire-1"), None, date(2021, 2, 2), "X", as_of=date(2021, 2, 1)
        )


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (NOT_APPLIED, APPLIED, True),
        (NOT_APPLIED, MISSED, True),
        (MISSED, APPLIED, False),
        (APPLIED, NOT_APPLIED, False),
    ],
)
def test_application_moves(current: str, target: str, allowed: bool) -> None:
    if allowed:
        check_move(APPLICATION_MOVES, current, target, "the application")
    else:
        with pytest.raises(IncentiveError, match=f"is {current}: it cannot become {target}"):
            check_move(APPLICATION_MOVES, current, target, "the application")


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (NOT_YET_DUE, DUE, True),
        (NOT_YET_DUE, FORFEITED, True),
        (DUE, PAID, True),
        (NOT_YET_DUE, PAID, False),
        (FORFEITED, PAID, False),
        (PAID, DUE, False),
    ],
)
def test_instalment_moves(current: str, target: str, allowed: bool) -> None:
    if allowed:
        check_move(INSTALMENT_MOVES, current, target, "the instalment")
    else:
        with pytest.raises(IncentiveError):
            check_move(INSTALMENT_MOVES, current, target, "the instalment")


# --- rule 3: payments ---------------------------------------------------------------


def test_mark_paid() -> None:
    first = _instalments(PHASE_1, date(2020, 12, 14))[0]
    assert mark_paid(first, APPLIED, date(2020, 12, 14), D("1000")) == Payment(
        date(2020, 12, 14), D("1000")
    )


@pytest.mark.parametrize(
    ("as_of", "application", "on", "amount", "payments", "kw", "message"),
    [
        (date(2020, 11, 28), APPLIED, date(2020, 11, 28), D("1000"), None, {},
         "instalment 1 of new-hire-1 is not due until 29 Nov 2020"),
        (date(2020, 12, 1), NOT_APPLIED, date(2020, 12, 1), D("1000"), None, {},
         "record the application for new-hire-1 before a payment .the application is not applied"),
        (date(2020, 12, 1), APPLIED, date(2020, 11, 28), D("1000"), None, {},
         "fell due on 29 Nov 2020: it cannot have been paid on 28 Nov 2020"),
        (date(2020, 12, 1), APPLIED, date(2020, 12, 1), D("0"), None, {}, "more than £0.00"),
        (date(2020, 12, 1), APPLIED, date(2020, 12, 1), D("1.001"), None, {}, "2 decimal places"),
        (date(2020, 12, 1), APPLIED, date(2020, 12, 1), D("1000"),
         {1: Payment(date(2020, 11, 30), D("1000"))}, {},
         "already recorded as paid on 30 Nov 2020"),
        (date(2020, 12, 1), APPLIED, date(2020, 12, 1), D("1000"), None,
         {"withdrawn_on": date(2020, 10, 1)}, "forfeited: the apprentice withdrew on 1 Oct 2020"),
    ],
)  # fmt: skip
def test_mark_paid_refused(as_of, application, on, amount, payments, kw, message) -> None:
    first = _instalments(apprentice(**kw), as_of, payments)[0]
    with pytest.raises(PaymentRefused, match=message):
        mark_paid(first, application, on, amount)


# --- the whole picture --------------------------------------------------------------


def test_scheme_records_and_totals() -> None:
    # a 17-year-old care leaver hired 1 Sep 2020: new-hire-1 (£2,000), 16-18 (£1,000)
    # and the bursary (£1,000 at day 60, due 30 Oct 2020)
    a = apprentice(born=date(2003, 1, 1), care_leaver=True, care_leaver_consent=True)
    records = scheme_records(
        a,
        applications={"new-hire-1": Application(date(2020, 10, 1), "INC-1")},
        payments={("new-hire-1", 1): Payment(date(2020, 12, 14), D("1000"))},
        as_of=date(2021, 1, 1),
        only_eligible=True,
    )
    assert [r.scheme for r in records] == ["new-hire-1", "16-18-employer", "care-leaver-bursary"]
    assert [r.application_status for r in records] == [APPLIED, NOT_APPLIED, NOT_APPLIED]
    totals = totals_by_scheme(records)
    assert totals["new-hire-1"].paid == D("1000")
    assert totals["new-hire-1"].not_yet_due == D("1000")
    assert totals["16-18-employer"].due == D("500")  # day 90 was 29 Nov 2020
    assert totals["care-leaver-bursary"].due == D("1000")
    assert totals["new-hire-2"].apprentices == 0
    soon = falling_due(records, date(2021, 8, 5), within_days=30)
    assert [(r.scheme, i.number) for r, i in soon] == [("new-hire-1", 2), ("16-18-employer", 2)]


def test_scheme_records_lists_every_scheme_with_reasons() -> None:
    records = scheme_records(PHASE_1, as_of=date(2021, 1, 1))
    assert [r.scheme for r in records] == list(SCHEMES)
    assert not records[1].eligibility.eligible
    assert records[1].eligibility.reason.startswith("employment started 1 Sep 2020")


@given(
    offsets=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), max_size=3),
    ended_after=st.one_of(st.none(), st.integers(0, 500)),
    as_of_after=st.integers(0, 700),
)
def test_instalment_invariants(
    offsets: list[tuple[int, int]], ended_after: int | None, as_of_after: int
) -> None:
    """Due dates rise with the day count; an instalment is forfeited exactly when the
    apprentice left before its due date; the amounts always add up to the scheme total."""
    breaks = tuple(
        Break(START + timedelta(days=o), START + timedelta(days=o + n)) for o, n in offsets
    )
    ended = None if ended_after is None else START + timedelta(days=ended_after)
    a = apprentice(breaks=breaks, withdrawn_on=ended, born=date(2003, 1, 1))
    as_of = START + timedelta(days=as_of_after)
    for scheme in ("new-hire-1", "16-18-employer"):
        e = eligibility(a, scheme)
        found = instalments(a, e, None, as_of)
        assert sum(i.amount for i in found) == e.total
        full = [due_date(START, i.days, breaks) for i in found]
        assert full == sorted(full)
        for i, due in zip(found, full, strict=True):
            left_early = ended is not None and ended <= as_of and ended < due
            assert (i.status == FORFEITED) is left_early
            if not left_early:
                assert i.due_date == due
                assert (i.status == DUE) is (as_of >= due)
