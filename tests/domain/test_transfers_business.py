"""Issue 14, the local businesses' journey: the funds-expired timer from the planned start,
screening at registration, no "medium business" for 300 employees, failed rules in plain
English, and the apprentices' starts a business reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from levy.domain import transfers as t
from levy.domain.errors import Problems
from levy.domain.transfers import Clock

# --------------------------------------------------------------------------------------------
# Funds expire 3 months after the planned start
# --------------------------------------------------------------------------------------------


def test_funds_expire_3_months_after_the_planned_start_not_the_acceptance():
    # the finding: accepted on 29 March 2021 for a start on 1 September 2021 read
    # "by 29 June 2021"; the deadline now follows the start
    assert t.funds_expire_on(date(2021, 9, 1), date(2021, 3, 29)) == date(2021, 12, 1)


def test_an_offer_accepted_after_its_planned_start_counts_from_the_acceptance():
    assert t.funds_expire_on(date(2021, 5, 1), date(2021, 6, 10)) == date(2021, 9, 10)


def test_old_records_without_a_planned_start_count_from_the_acceptance():
    assert t.funds_expire_on(None, date(2021, 3, 31)) == date(2021, 6, 30)


@pytest.mark.parametrize(
    ("as_of", "expired"),
    [(date(2021, 3, 29), False), (date(2021, 11, 30), False), (date(2021, 12, 1), True)],
)
def test_tick_expires_from_the_planned_start(as_of, expired):
    clock = Clock(
        "C",
        "accepted",
        approved_on=date(2021, 3, 1),
        accepted_on=date(2021, 3, 29),
        planned_start=date(2021, 9, 1),
    )
    moves = t.tick([clock], as_of)
    assert [(m.to_status, m.due_on) for m in moves] == (
        [("funds expired", date(2021, 12, 1))] if expired else []
    )
    if moves:
        assert "3 months of the planned start" in moves[0].reason


def test_the_business_can_report_starts_but_not_for_an_offer_not_accepted():
    assert t.transition("accepted", "record_apprentices", "applicant") == "funds used"
    with pytest.raises(t.TransitionNotAllowed, match="that is approved"):
        t.transition("approved", "record_apprentices", "applicant")


# --------------------------------------------------------------------------------------------
# Registration screening and size bands
# --------------------------------------------------------------------------------------------


def test_300_employees_are_refused_at_registration_with_the_reason():
    problems = t.registration_problems(300, "Construction")
    assert [field for field, _ in problems] == ["employees"]
    message = problems[0][1]
    assert "300 employees is not eligible" in message
    assert "fewer than 250 employees" in message


def test_249_employees_pass_and_the_limit_follows_the_policy():
    assert t.registration_problems(249, "Construction") == []
    assert t.registration_problems(100, "Construction", t.LocalPolicy(max_employees=100)) != []


def test_a_sector_outside_the_list_is_refused_when_the_sector_is_a_hard_rule():
    # the policy as written: growth sector is a group of its own, so it must hold
    assert t.sector_required(t.DEFAULT_POLICY)
    problems = t.registration_problems(8, "Retail")
    assert [field for field, _ in problems] == ["sector"]
    assert "Retail is not one of the county's priority sectors" in problems[0][1]
    assert "Advanced manufacturing" in problems[0][1]
    assert t.registration_notes("Retail") == []


def test_a_sector_outside_the_list_is_scored_lower_when_it_is_an_alternative():
    policy = t.LocalPolicy(
        criteria_groups=(
            t.CriterionGroup("local.presence", ("based_in_county", "growth_sector")),
            t.CriterionGroup("local.county_provider", ("county_provider",)),
        )
    )
    assert not t.sector_required(policy)
    assert t.registration_problems(8, "Retail", policy) == []
    (note,) = t.registration_notes("Retail", policy)
    assert "scored lower" in note and "Construction" in note
    assert t.registration_notes("construction", policy) == []  # case does not matter


def test_300_employees_is_never_a_medium_business():
    assert t.size_band(249) == "size.medium"
    assert t.size_band(250) == t.LARGE
    org = t.Organisation("Big Ltd", 300, "Worcester", sector="Construction")
    app = t.Application(
        "ST0001", 3, 1, date(2021, 9, 1), 12, Decimal("9000"), Decimal("9000"), True
    )
    scored = t.score(org, app, first_time=False)
    size = scored.breakdown[0]
    assert (size.code, size.points) == ("size.large", 0)
    assert "Medium" not in size.label
    assert "250 or more" in size.label
    # level 3 10 + priority sector 10 + county provider 10, nothing for size
    assert scored.total == 30


# --------------------------------------------------------------------------------------------
# Failed rules in plain English
# --------------------------------------------------------------------------------------------


def test_failed_rules_have_a_title_the_reason_and_a_fix():
    org = t.Organisation("Cider Co", 8, "Wychavon", sector="Retail")
    app = t.Application(
        "ST0001", 3, 1, date(2021, 9, 1), 12, Decimal("9000"), Decimal("9000"), False
    )
    screening = t.screen(org, app, on=date(2021, 4, 1))
    failed = t.failed_rules(screening.results)
    assert [f.code for f in failed] == ["local.growth_sector", "local.county_provider"]
    sector, provider = failed
    assert sector.title == "A priority sector"
    assert "Advanced manufacturing" in sector.fix
    assert provider.title == "A training provider in Worcestershire"
    assert "Choose a training provider based in Worcestershire" in provider.fix
    # the same from the lists stored on an application
    stored = [[r.code, r.passed, r.reason] for r in screening.results]
    assert t.failed_rules(stored) == failed


# --------------------------------------------------------------------------------------------
# Apprentices' starts
# --------------------------------------------------------------------------------------------

EARLIEST, LATEST = date(2021, 4, 1), date(2021, 11, 30)


def test_starts_are_tidied_and_blank_rows_ignored():
    starts = [
        t.ApprenticeStart("  Sam   Jones ", date(2021, 9, 1), "12345 67890"),
        t.ApprenticeStart("", None, ""),
        t.ApprenticeStart("Ali Khan", date(2021, 9, 6)),
    ]
    clean = t.check_starts(starts, 2, EARLIEST, LATEST)
    assert clean == [
        t.ApprenticeStart("Sam Jones", date(2021, 9, 1), "1234567890"),
        t.ApprenticeStart("Ali Khan", date(2021, 9, 6), ""),
    ]


def test_no_start_at_all_is_refused():
    with pytest.raises(Problems) as err:
        t.check_starts([t.ApprenticeStart("", None)], 2, EARLIEST, LATEST)
    assert err.value.problems == [
        ("starts", "Enter the name and start date of at least one apprentice")
    ]


def test_more_starts_than_funded_are_refused():
    starts = [t.ApprenticeStart(f"Person {i}", date(2021, 9, 1)) for i in range(3)]
    with pytest.raises(Problems, match="The offer funds 2 apprentice"):
        t.check_starts(starts, 2, EARLIEST, LATEST)


def test_each_row_problem_names_its_field():
    starts = [
        t.ApprenticeStart("", date(2021, 9, 1), "123"),
        t.ApprenticeStart("Ali Khan", date(2021, 12, 1)),
        t.ApprenticeStart("Jo Bloggs", date(2021, 3, 31)),
    ]
    with pytest.raises(Problems) as err:
        t.check_starts(starts, 3, EARLIEST, LATEST)
    fields = [f for f, _ in err.value.problems]
    assert fields == ["starts-0-name", "starts-0-uln", "starts-1-start", "starts-2-start"]
    messages = dict(err.value.problems)
    assert messages["starts-0-uln"].startswith("Apprentice 1's ULN must be 10 digits")
    assert "to 30 November 2021" in messages["starts-1-start"]


def test_a_uln_given_twice_is_refused():
    starts = [
        t.ApprenticeStart("A", date(2021, 9, 1), "1234567890"),
        t.ApprenticeStart("B", date(2021, 9, 1), "1234567890"),
    ]
    with pytest.raises(Problems, match="ULN is given twice"):
        t.check_starts(starts, 2, EARLIEST, LATEST)
