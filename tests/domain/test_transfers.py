"""Levy transfers to local businesses: allowance, cost, hard rules, scoring,
lifecycle and timers (issue 6; docs/transfers.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levy.domain import transfers as t
from levy.domain.errors import DomainError
from levy.domain.months import add_months
from levy.domain.transfers import (
    Allowance,
    AllowanceExceeded,
    Application,
    ApplicationWindow,
    Clock,
    CriterionGroup,
    LedgerEntry,
    LocalPolicy,
    Organisation,
    OrganisationYear,
    Reservation,
    ScoringRules,
    TransferError,
    TransitionNotAllowed,
    YearShare,
)

D = Decimal

# --------------------------------------------------------------------------------------------
# Allowance
# --------------------------------------------------------------------------------------------


def test_funds_in_adds_the_top_up_to_the_english_share():
    # £1,200,000 × 100% = £1,200,000; + 10% top-up £120,000 = £1,320,000
    assert t.funds_in(D("1200000"), D("1"), date(2020, 5, 1)) == D("1320000.00")
    # at 98.5% English: 1,182,000 + 118,200 = 1,300,200
    assert t.funds_in(D("1200000"), D("0.985"), date(2020, 5, 1)) == D("1300200.00")


def test_funds_in_has_no_top_up_from_the_2026_change():
    assert t.funds_in(D("1000"), D("1"), date(2026, 7, 1)) == D("1100.00")
    assert t.funds_in(D("1000"), D("1"), date(2026, 8, 1)) == D("1000.00")


def _year_2020_ledger() -> list[LedgerEntry]:
    """Levy £100,000 + top-up £10,000 for each month May 2019 - April 2020
    (12 × 110,000 = £1,320,000), rows just outside the window, and £40,000 of
    transfers inside 2020-21 (15,000 in April 2020 + 25,000 in March 2021)."""
    rows = []
    for i in range(12):
        month = add_months(date(2019, 5, 1), i)
        rows.append(LedgerEntry(month, "levy", D("100000")))
        rows.append(LedgerEntry(month, "top-up", D("10000")))
    rows += [
        LedgerEntry(date(2019, 4, 1), "levy", D("99999")),  # before the window
        LedgerEntry(date(2020, 5, 1), "levy", D("88888")),  # after the window
        LedgerEntry(date(2020, 1, 1), "payment", D("41000")),  # spending is not base
        LedgerEntry(date(2020, 3, 1), "transfer", D("7000")),  # paid in 2019-20
        LedgerEntry(date(2020, 4, 1), "transfer", D("15000")),
        LedgerEntry(date(2021, 3, 1), "transfer", D("25000")),
        LedgerEntry(date(2021, 4, 1), "transfer", D("5000")),  # paid in 2021-22
    ]
    return rows


def test_allowance_the_issues_figures():
    a = t.allowance(2020, _year_2020_ledger())
    assert a.year.label == "2020-21"
    assert a.base == D("1320000.00")
    assert a.statutory_share == D("0.25")
    assert a.local_share == D("0.25")
    assert a.cap == D("330000.00")  # 25% of 1,320,000
    assert a.paid == D("40000.00")  # 15,000 + 25,000
    assert a.committed == D("0.00")
    assert a.remaining == D("290000.00")  # 330,000 − 40,000


def test_allowance_committed_is_the_unpaid_share_in_the_year():
    # 12,000 in 2020-21 with 2,000 paid → 10,000 committed; the 18,000 in 2021-22 not here
    res = Reservation(
        "A1", (YearShare(2020, D("12000")), YearShare(2021, D("18000"))), {2020: D("2000")}
    )
    overpaid = Reservation("A2", (YearShare(2020, D("500")),), {2020: D("600")})
    a = t.allowance(2020, _year_2020_ledger(), [res, overpaid])
    assert a.committed == D("10000.00")
    assert a.remaining == D("280000.00")  # 330,000 − 40,000 − 10,000
    assert t.allowance(2021, [], [res]).committed == D("18000.00")


@pytest.mark.parametrize(
    ("year", "statutory"),
    [(2018, "0.10"), (2019, "0.25"), (2023, "0.25"), (2024, "0.50")],
)
def test_statutory_share_by_year(year, statutory):
    assert t.allowance(year, []).statutory_share == D(statutory)


@pytest.mark.parametrize(
    ("year", "local", "cap"),
    [
        (2018, "0.25", "132000.00"),  # statutory 10% is lower: 1,320,000 × 10%
        (2020, "0.25", "330000.00"),
        (2020, "0.20", "264000.00"),  # local 20% is lower
        (2024, "0.60", "660000.00"),  # statutory 50% is lower than local 60%
    ],
)
def test_cap_uses_the_lower_share(year, local, cap):
    ledger = [
        LedgerEntry(date(year, 4, 1), "levy", D("1200000")),
        LedgerEntry(date(year, 4, 1), "top-up", D("120000")),
    ]
    assert t.allowance(year, ledger, local_share=D(local)).cap == D(cap)


@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (date(2019, 4, 1), False),
        (date(2019, 5, 1), True),
        (date(2020, 4, 1), True),
        (date(2020, 5, 1), False),
    ],
)
def test_base_window_is_may_to_april(day, counted):
    a = t.allowance(2020, [LedgerEntry(day, "levy", D("1000"))])
    assert a.base == (D("1000.00") if counted else D("0.00"))


@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (date(2020, 3, 31), False),
        (date(2020, 4, 1), True),
        (date(2021, 3, 31), True),
        (date(2021, 4, 1), False),
    ],
)
def test_paid_is_the_financial_years_transfers(day, counted):
    a = t.allowance(2020, [LedgerEntry(day, "transfer", D("1000"))])
    assert a.paid == (D("1000.00") if counted else D("0.00"))


def test_a_refunded_transfer_reduces_paid():
    rows = [
        LedgerEntry(date(2020, 6, 1), "transfer", D("1000")),
        LedgerEntry(date(2020, 7, 1), "transfer", D("-250")),
    ]
    assert t.allowance(2020, rows).paid == D("750.00")


def test_reserving_exactly_the_remainder_is_allowed_a_penny_more_is_refused():
    a = t.allowance(2020, _year_2020_ledger())
    a.check_reserve(D("290000.00"))
    with pytest.raises(AllowanceExceeded) as err:
        a.check_reserve(D("290000.01"))
    message = str(err.value)
    for figure in ("£290,000.01", "£290,000.00", "£330,000.00"):
        assert figure in message
    assert isinstance(err.value, TransferError)
    assert isinstance(err.value, DomainError)


def test_allowance_as_dict_has_the_cli_keys_with_two_decimals():
    assert t.allowance(2020, _year_2020_ledger()).as_dict() == {
        "year": "2020-21",
        "base": "1320000.00",
        "statutory_percent": "25.00",
        "local_percent": "25.00",
        "cap": "330000.00",
        "paid": "40000.00",
        "committed": "0.00",
        "remaining": "290000.00",
    }


def test_allowance_can_go_negative_when_paid_exceeds_a_lowered_cap():
    a = Allowance(
        t.financial_year_starting(2020), D("100000"), D("0.25"), D("0.10"), D("12000"), D("0")
    )
    assert a.cap == D("10000.00")
    assert a.remaining == D("-2000.00")
    with pytest.raises(AllowanceExceeded):
        a.check_reserve(D("0.01"))


# --------------------------------------------------------------------------------------------
# Cost
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "months", "apprentices", "reserved", "shares"),
    [
        # 15,000 × 2 × 0.8 ÷ 24 × 12 = 12,000; year 2: 12,000 + the 20% (6,000)
        ("15000", 24, 2, "12000.00", ["12000.00", "18000.00"]),
        # 12 months or less: the whole band × apprentices
        ("9000", 12, 1, "9000.00", ["9000.00"]),
        ("9000", 8, 3, "27000.00", ["27000.00"]),
        # 13 months: 7,200 ÷ 13 × 12 = 6,646.153… → 6,646.15; then 9,000 − 6,646.15
        ("9000", 13, 1, "6646.15", ["6646.15", "2353.85"]),
        # 36 months: 12,000 of 80% → 4,000 a year; the last year adds 3,000
        ("15000", 36, 1, "4000.00", ["4000.00", "4000.00", "7000.00"]),
    ],
)
def test_application_cost(band, months, apprentices, reserved, shares):
    cost = t.application_cost(D(band), apprentices, months, date(2021, 5, 1))
    assert cost.reserved == D(reserved)
    assert [str(s.amount) for s in cost.shares] == shares
    assert [s.year_start for s in cost.shares] == list(range(2021, 2021 + len(shares)))
    assert sum(s.amount for s in cost.shares) == cost.total == D(band) * apprentices


@pytest.mark.parametrize(
    ("start", "first_year"), [(date(2021, 3, 31), 2020), (date(2021, 4, 1), 2021)]
)
def test_cost_falls_in_the_financial_year_of_the_start(start, first_year):
    cost = t.application_cost(D("15000"), 1, 24, start)
    assert [s.year_start for s in cost.shares] == [first_year, first_year + 1]
    assert cost.share_in(first_year) == D("6000.00")


@pytest.mark.parametrize(("apprentices", "months"), [(0, 12), (1, 0)])
def test_cost_refuses_nonsense(apprentices, months):
    with pytest.raises(TransferError):
        t.application_cost(D("9000"), apprentices, months, date(2021, 5, 1))


@given(
    band=st.integers(min_value=1500, max_value=27000),
    apprentices=st.integers(min_value=1, max_value=20),
    months=st.integers(min_value=1, max_value=60),
    start=st.dates(min_value=date(2018, 8, 1), max_value=date(2030, 12, 31)),
)
def test_cost_shares_always_add_up_to_the_total(band, apprentices, months, start):
    cost = t.application_cost(D(band), apprentices, months, start)
    assert sum(s.amount for s in cost.shares) == cost.total == D(band) * apprentices
    assert all(s.amount > 0 for s in cost.shares)
    assert cost.reserved <= cost.total


# --------------------------------------------------------------------------------------------
# Postcode districts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "district", "normalised"),
    [
        ("wr1 2ab", "Worcester", "WR1 2AB"),
        ("WR5 2NP", "Worcester", "WR5 2NP"),
        ("WR10 1AA", "Wychavon", "WR10 1AA"),  # not WR1
        ("wr111aa", "Wychavon", "WR11 1AA"),
        ("WR14 3AA", "Malvern Hills", "WR14 3AA"),
        ("DY10 1AA", "Wyre Forest", "DY10 1AA"),
        ("B60 1AA", "Bromsgrove", "B60 1AA"),
        ("B98 0AA", "Redditch", "B98 0AA"),
        ("B1 1AA", None, "B1 1AA"),  # Birmingham
        ("HR1 1AA", None, "HR1 1AA"),  # Hereford
    ],
)
def test_postcode_district(postcode, district, normalised):
    match = t.postcode_district(postcode)
    assert match.district == district
    assert match.in_county is (district is not None)
    assert match.postcode == normalised


def test_every_county_district_is_reachable_and_partials_are_flagged():
    assert {a.district for a in t.DEFAULT_POSTCODE_AREAS.values()} == set(t.COUNTY_DISTRICTS)
    assert t.postcode_district("B96 6AA").partial is True
    assert t.postcode_district("WR1 1AA").partial is False


def test_postcode_districts_are_configuration():
    areas = {"HR1": t.PostcodeArea("Worcester")}
    assert t.postcode_district("HR1 1AA", areas).district == "Worcester"
    assert t.postcode_district("WR1 1AA", areas).district is None


@pytest.mark.parametrize("bad", ["", "WR", "12345", "WR1 ABC", "not a postcode"])
def test_a_bad_postcode_is_refused(bad):
    with pytest.raises(t.PostcodeError, match="is not a UK postcode"):
        t.postcode_district(bad)


# --------------------------------------------------------------------------------------------
# Hard rules
# --------------------------------------------------------------------------------------------


def make_org(**kw) -> Organisation:
    values = {
        "name": "Acme Ltd",
        "employees": 12,
        "district": "Worcester",
        "serves_county_residents": True,
        "pays_rates_in_county": True,
        "is_vcse": False,
        "sector": "Advanced manufacturing",
        "pays_levy": False,
        "sends_transfers": False,
    }
    values.update(kw)
    return Organisation(**values)


def make_app(**kw) -> Application:
    values = {
        "standard_code": "ST0076",
        "level": 3,
        "apprentices": 1,
        "start": date(2021, 9, 1),
        "duration_months": 18,
        "price": D("9000"),
        "band_maximum": D("9000"),
        "provider_in_county": True,
        "target_groups": frozenset({"care_leavers"}),
        "submitted_on": date(2021, 6, 1),
    }
    values.update(kw)
    return Application(**values)


def test_a_good_application_passes_every_rule():
    screening = t.screen(make_org(), make_app())
    assert screening.eligible, screening.failures
    assert [r.code for r in screening.results] == [
        "local.presence",
        "local.growth_sector",
        "local.county_provider",
        "receiver.not_levy_sender",
        "course.standard_new_start",
        "course.duration",
        "course.price_within_band",
        "receiver.size",
        "receiver.yearly_limit",
        "window.open",
    ]
    assert all(r.reason for r in screening.results)


@pytest.mark.parametrize(
    ("org_kw", "passed"),
    [
        # any one of the three presence criteria is enough (the policy's "or")
        ({"pays_rates_in_county": False}, True),  # based in the county serving residents
        ({"district": None, "pays_rates_in_county": True}, True),  # pays rates here
        ({"district": None, "pays_rates_in_county": False}, False),
        ({"serves_county_residents": False, "pays_rates_in_county": False}, False),
        ({"serves_county_residents": False, "pays_rates_in_county": True}, True),
    ],
)
def test_county_presence_is_any_of_three(org_kw, passed):
    result = t.screen(make_org(**org_kw), make_app()).result("local.presence")
    assert result.passed is passed
    if not passed:
        assert "Needs at least one of" in result.reason


def test_a_county_vcse_meets_presence_through_its_own_criterion():
    policy = LocalPolicy(criteria_groups=(CriterionGroup("local.vcse", ("county_vcse",)),))
    assert t.screen(make_org(is_vcse=True), make_app(), policy).result("local.vcse").passed
    assert not t.screen(make_org(is_vcse=False), make_app(), policy).result("local.vcse").passed
    outside = make_org(is_vcse=True, district=None)
    assert not t.screen(outside, make_app(), policy).result("local.vcse").passed


@pytest.mark.parametrize(
    ("sector", "passed"),
    [("Advanced manufacturing", True), ("advanced MANUFACTURING", True), ("Retail", False)],
)
def test_growth_sector_must_hold(sector, passed):
    result = t.screen(make_org(sector=sector), make_app()).result("local.growth_sector")
    assert result.passed is passed


def test_county_provider_must_hold():
    assert (
        not t.screen(make_org(), make_app(provider_in_county=False))
        .result("local.county_provider")
        .passed
    )


def test_which_criteria_are_alternatives_is_configuration():
    all_five = LocalPolicy(
        criteria_groups=tuple(CriterionGroup(f"local.{c}", (c,)) for c in t.LOCAL_CRITERIA)
    )
    screening = t.screen(make_org(is_vcse=False), make_app(), all_five)
    assert [r.code for r in screening.failures] == ["local.county_vcse"]
    growth_optional = LocalPolicy(
        criteria_groups=(CriterionGroup("local.any", ("growth_sector", "county_provider")),)
    )
    app = make_app(provider_in_county=False)
    assert t.screen(make_org(), app, growth_optional).eligible


@pytest.mark.parametrize(
    ("pays_levy", "sends", "refuse_all", "passed"),
    [
        (False, False, False, True),
        (True, False, False, True),
        (True, True, False, False),
        (True, False, True, False),
        (False, False, True, True),
    ],
)
def test_a_sending_levy_payer_cannot_receive(pays_levy, sends, refuse_all, passed):
    org = make_org(pays_levy=pays_levy, sends_transfers=sends)
    policy = LocalPolicy(refuse_all_levy_payers=refuse_all)
    assert t.screen(org, make_app(), policy).result("receiver.not_levy_sender").passed is passed


@pytest.mark.parametrize(
    ("app_kw", "passed", "words"),
    [
        ({}, True, "new start"),
        ({"is_standard": False}, False, "frameworks"),
        ({"new_start": False}, False, "new starts only"),
    ],
)
def test_new_starts_on_standards_only(app_kw, passed, words):
    result = t.screen(make_org(), make_app(**app_kw)).result("course.standard_new_start")
    assert result.passed is passed
    assert words in result.reason


@pytest.mark.parametrize(
    ("start", "months", "passed"),
    [
        (date(2025, 7, 31), 11, False),  # minimum 12 for starts to 31 Jul 2025
        (date(2025, 7, 31), 12, True),
        (date(2025, 8, 1), 7, False),  # minimum 8 from 1 Aug 2025
        (date(2025, 8, 1), 8, True),
        (date(2021, 9, 1), 60, True),
        (date(2021, 9, 1), 61, False),
    ],
)
def test_duration_between_the_minimum_and_60_months(start, months, passed):
    app = make_app(start=start, duration_months=months)
    result = t.screen(make_org(), app, LocalPolicy(max_amount_per_year=None)).result(
        "course.duration"
    )
    assert result.passed is passed


@pytest.mark.parametrize(
    ("price", "passed"), [("9000", True), ("8999.99", True), ("9000.01", False), ("0", False)]
)
def test_price_within_the_band(price, passed):
    result = t.screen(make_org(), make_app(price=D(price))).result("course.price_within_band")
    assert result.passed is passed


@pytest.mark.parametrize(
    ("employees", "limit", "passed"),
    [(249, 250, True), (250, 250, False), (99, 100, True), (100, 100, False)],
)
def test_fewer_than_the_employee_limit(employees, limit, passed):
    policy = LocalPolicy(max_employees=limit)
    result = t.screen(make_org(employees=employees), make_app(), policy).result("receiver.size")
    assert result.passed is passed


@pytest.mark.parametrize(
    ("history", "passed"),
    [
        (OrganisationYear(2, D("0")), True),  # this is the 3rd: allowed
        (OrganisationYear(3, D("0")), False),  # a 4th is not
        # the app reserves 9,000 × 0.8 ÷ 18 × 12 = 4,800: 45,200 + 4,800 = 50,000 exactly
        (OrganisationYear(0, D("45200")), True),
        (OrganisationYear(0, D("45200.01")), False),
    ],
)
def test_per_organisation_yearly_limit(history, passed):
    result = t.screen(make_org(), make_app(), history=history).result("receiver.yearly_limit")
    assert result.passed is passed


def test_no_yearly_limit_when_unset():
    policy = LocalPolicy(max_applications_per_year=None, max_amount_per_year=None)
    history = OrganisationYear(99, D("9999999"))
    assert t.screen(make_org(), make_app(), policy, history).result("receiver.yearly_limit").passed


@pytest.mark.parametrize(
    ("day", "passed"),
    [
        (date(2021, 3, 31), False),
        (date(2021, 4, 1), True),
        (date(2021, 4, 30), True),
        (date(2021, 5, 1), False),
    ],
)
def test_application_window(day, passed):
    policy = LocalPolicy(windows=(ApplicationWindow(date(2021, 4, 1), date(2021, 4, 30)),))
    result = t.screen(make_org(), make_app(submitted_on=day), policy).result("window.open")
    assert result.passed is passed


def test_no_windows_means_open_all_year():
    assert t.screen(make_org(), make_app(submitted_on=None)).result("window.open").passed


def test_organisation_year_counts_live_applications_starting_in_the_year():
    apps = [
        ("submitted", date(2021, 4, 1), D("1000")),
        ("approved", date(2022, 3, 31), D("2000")),
        ("rejected", date(2021, 6, 1), D("4000")),
        ("accepted", date(2022, 4, 1), D("8000")),
        ("draft", date(2021, 6, 1), D("16000")),
    ]
    assert t.organisation_year(apps, 2021) == OrganisationYear(2, D("3000"))


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "band"),
    [
        (1, "size.micro"),
        (9, "size.micro"),
        (10, "size.small"),
        (49, "size.small"),
        (50, "size.medium"),
        (249, "size.medium"),
    ],
)
def test_size_bands(employees, band):
    assert t.size_band(employees) == band


def test_score_breakdown_with_the_default_weights():
    org = make_org(employees=8, is_vcse=True)
    app = make_app(target_groups=frozenset({"care_leavers", "neet"}), level=3)
    s = t.score(org, app, first_time=True)
    # micro 30 + VCSE 15 + care leavers 15 + NEET 10 + level 3 10 + sector 10
    # + county provider 10 + first time 10 = 110
    assert s.total == 110
    assert s.version == 1
    assert [line.code for line in s.breakdown] == [
        "size.micro",
        "vcse",
        "target.care_leavers",
        "target.neet",
        "level3_plus",
        "priority_sector",
        "county_provider",
        "first_time",
    ]
    assert sum(line.points for line in s.breakdown) == s.total


def test_score_without_extras():
    org = make_org(employees=60, sector="Retail")
    app = make_app(target_groups=frozenset(), level=2, provider_in_county=False)
    s = t.score(org, app, first_time=False)
    assert s.total == 10  # medium only
    assert [line.code for line in s.breakdown] == ["size.medium"]


def test_score_uses_the_given_weights_and_records_their_version():
    weights = {**t.DEFAULT_WEIGHTS, "size.micro": 50, "first_time": 0}
    s = t.score(
        make_org(employees=5), make_app(target_groups=frozenset()), True, ScoringRules(7, weights)
    )
    # micro 50 + level 3 10 + sector 10 + provider 10 + first time 0 = 80
    assert (s.total, s.version) == (80, 7)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vcse": "ten"}, "whole number"),
        ({"vcse": 101}, "0 to 100"),
        ({"vcse": -1}, "0 to 100"),
        ({"bogus": 1}, "Unknown scoring items"),
    ],
)
def test_validate_weights_refuses_bad_input(change, message):
    with pytest.raises(TransferError, match=message):
        t.validate_weights({**t.DEFAULT_WEIGHTS, **change})


def test_validate_weights_fills_missing_codes_with_zero():
    clean = t.validate_weights({"vcse": "20"})
    assert clean["vcse"] == 20
    assert clean["size.micro"] == 0
    assert set(clean) == set(t.SCORE_LABELS)


# --------------------------------------------------------------------------------------------
# Lifecycle
# --------------------------------------------------------------------------------------------

ALLOWED = [
    ("draft", "edit", "applicant", "draft"),
    ("draft", "submit", "applicant", "submitted"),
    ("draft", "withdraw", "applicant", "withdrawn"),
    ("submitted", "request_info", "officer", "submitted"),
    ("submitted", "respond_info", "applicant", "submitted"),
    ("submitted", "approve", "officer", "approved"),
    ("submitted", "reject", "officer", "rejected"),
    ("submitted", "auto_reject", "system", "rejected"),
    ("submitted", "withdraw", "applicant", "withdrawn"),
    ("approved", "accept", "applicant", "accepted"),
    ("approved", "decline", "applicant", "declined"),
    ("approved", "decline", "system", "declined"),
    ("approved", "withdraw", "applicant", "withdrawn"),
    ("accepted", "record_apprentices", "officer", "funds used"),
    # issue 14: the business reports its apprentices' starts itself
    ("accepted", "record_apprentices", "applicant", "funds used"),
    ("accepted", "expire", "system", "funds expired"),
    ("accepted", "withdraw", "applicant", "withdrawn after acceptance"),
]


@pytest.mark.parametrize(("status", "action", "actor", "to"), ALLOWED)
def test_allowed_moves(status, action, actor, to):
    assert t.transition(status, action, actor) == to


def test_the_table_holds_exactly_the_allowed_moves():
    table = {(s, a, actor, tr.to) for (s, a), tr in t.TRANSITIONS.items() for actor in tr.actors}
    assert table == set(ALLOWED)


REFUSED = [
    (status, action)
    for status in t.STATUSES
    for action in t.ACTION_LABELS
    if (status, action) not in t.TRANSITIONS
]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_refused_moves(status, action):
    with pytest.raises(TransitionNotAllowed, match=f"You cannot .* that is {status}"):
        t.transition(status, action, "officer")


def test_every_final_state_refuses_every_move():
    for status in t.FINAL | {t.FUNDS_USED}:
        assert t.allowed_actions(status, "applicant") == []
        assert t.allowed_actions(status, "officer") == []
        assert t.allowed_actions(status, "system") == []


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    [
        ("submitted", "approve", "applicant"),
        ("approved", "accept", "officer"),
        ("accepted", "expire", "officer"),
        ("draft", "submit", "officer"),
    ],
)
def test_the_wrong_actor_is_refused(status, action, actor):
    with pytest.raises(TransitionNotAllowed, match=r"^Only "):
        t.transition(status, action, actor)


def test_an_unknown_status_is_refused():
    with pytest.raises(TransitionNotAllowed, match="not an application status"):
        t.transition("pending", "approve", "officer")


def test_refusal_message_reads_well():
    with pytest.raises(TransitionNotAllowed) as err:
        t.transition("rejected", "accept", "applicant")
    assert str(err.value) == "You cannot accept an application that is rejected."


def test_allowed_actions_by_actor():
    assert t.allowed_actions("approved", "applicant") == ["accept", "decline", "withdraw"]
    assert t.allowed_actions("submitted", "officer") == ["request_info", "approve", "reject"]


# --------------------------------------------------------------------------------------------
# Timers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "moves"),
    [
        (date(2021, 2, 11), 0),  # 41 days after 1 Jan: still open
        (date(2021, 2, 12), 1),
    ],  # 42 days: declined
)
def test_approved_offers_are_declined_at_42_days(as_of, moves):
    clock = Clock("A", "approved", submitted_on=date(2020, 12, 1), approved_on=date(2021, 1, 1))
    result = t.tick([clock], as_of)
    assert len(result) == moves
    if moves:
        move = result[0]
        assert (move.action, move.from_status, move.to_status) == (
            "decline",
            "approved",
            "declined",
        )
        assert move.due_on == date(2021, 2, 12)
        assert t.transition(move.from_status, move.action, "system") == move.to_status


@pytest.mark.parametrize(
    ("submitted", "as_of", "rejected"),
    [
        (date(2021, 1, 15), date(2021, 4, 14), False),
        (date(2021, 1, 15), date(2021, 4, 15), True),
        # 30 November + 3 months is 28 February (no 30 February)
        (date(2020, 11, 30), date(2021, 2, 27), False),
        (date(2020, 11, 30), date(2021, 2, 28), True),
    ],
)
def test_submitted_applications_are_rejected_after_3_months(submitted, as_of, rejected):
    result = t.tick([Clock("S", "submitted", submitted_on=submitted)], as_of)
    assert [(m.action, m.to_status) for m in result] == (
        [("auto_reject", "rejected")] if rejected else []
    )


@pytest.mark.parametrize(
    ("as_of", "expired"), [(date(2021, 6, 29), False), (date(2021, 6, 30), True)]
)
def test_accepted_funds_expire_after_3_unused_months(as_of, expired):
    clock = Clock("C", "accepted", approved_on=date(2021, 3, 1), accepted_on=date(2021, 3, 30))
    result = t.tick([clock], as_of)
    assert [m.to_status for m in result] == (["funds expired"] if expired else [])


def test_tick_is_idempotent_and_ignores_untimed_states():
    clocks = [
        Clock("S", "submitted", submitted_on=date(2020, 1, 1)),
        Clock("A", "approved", approved_on=date(2020, 1, 1)),
        Clock("C", "accepted", accepted_on=date(2020, 1, 1)),
        Clock("D", "draft"),
        Clock("U", "funds used", accepted_on=date(2020, 1, 1)),
        Clock("R", "rejected", submitted_on=date(2020, 1, 1)),
    ]
    first = t.tick(clocks, date(2021, 1, 1))
    assert sorted(m.ref for m in first) == ["A", "C", "S"]
    moved = {m.ref: m.to_status for m in first}
    after = [replace(c, status=moved.get(c.ref, c.status)) for c in clocks]
    assert t.tick(after, date(2021, 1, 1)) == []


# --------------------------------------------------------------------------------------------
# Payments and words
# --------------------------------------------------------------------------------------------


def test_monthly_payments_twelve_months():
    # 9,000: 80% = 7,200 over 12 months = 600 a month; the last adds the 1,800
    payments = t.monthly_payments(D("9000"), 1, date(2021, 5, 17), 12)
    assert payments[0] == (date(2021, 5, 1), D("600.00"))
    assert payments[-1] == (date(2022, 4, 1), D("2400.00"))
    assert len(payments) == 12


@given(
    band=st.integers(min_value=1500, max_value=27000),
    apprentices=st.integers(min_value=1, max_value=10),
    months=st.integers(min_value=1, max_value=60),
)
def test_monthly_payments_add_up(band, apprentices, months):
    payments = t.monthly_payments(D(band), apprentices, date(2021, 5, 1), months)
    assert sum(a for _, a in payments) == D(band) * apprentices
    assert len(payments) == months


@pytest.mark.parametrize(
    ("text", "words"), [("", 0), ("one", 1), ("  two\nwords  ", 2), ("a " * 200, 200)]
)
def test_word_count(text, words):
    assert t.word_count(text) == words


SCHEDULE = [
    (date(2021, 5, 1), D("600")),
    (date(2021, 6, 1), D("600")),
    (date(2021, 7, 1), D("2400")),
]


@pytest.mark.parametrize(
    ("as_of", "months"),
    [
        (date(2021, 5, 30), []),  # May has not ended
        (date(2021, 5, 31), [date(2021, 5, 1)]),
        (date(2021, 7, 31), [date(2021, 5, 1), date(2021, 6, 1), date(2021, 7, 1)]),
    ],
)
def test_payments_due_once_the_month_has_ended(as_of, months):
    due = t.payments_due(SCHEDULE, {}, as_of, D("3600"))
    assert [m for m, _ in due] == months


def test_payments_due_skips_months_already_paid_and_never_passes_the_limit():
    # 700 already paid for May (more than scheduled): June 600, then July only 3,600 − 1,300
    due = t.payments_due(SCHEDULE, {date(2021, 5, 1): D("700")}, date(2021, 12, 31), D("3600"))
    assert due == [(date(2021, 6, 1), D("600")), (date(2021, 7, 1), D("2300"))]
    assert (
        t.payments_due(SCHEDULE, {date(2021, 5, 1): D("3600")}, date(2021, 12, 31), D("3600")) == []
    )


def test_check_approval_checks_every_year_with_a_known_allowance():
    cost = t.application_cost(D("15000"), 2, 24, date(2021, 5, 1))  # 12,000 then 18,000
    roomy = Allowance(
        t.financial_year_starting(2021), D("1320000"), D("0.25"), D("0.25"), D("0"), D("0")
    )
    tight = Allowance(
        t.financial_year_starting(2022), D("70000"), D("0.25"), D("0.25"), D("0"), D("0")
    )  # cap 17,500 < 18,000
    t.check_approval(cost, {2021: roomy})  # 2022 not known yet: not checked
    with pytest.raises(AllowanceExceeded, match="2022-23"):
        t.check_approval(cost, {2021: roomy, 2022: tight})


def test_a_start_today_or_later_is_allowed_and_an_earlier_one_refused():
    t.check_start(date(2021, 4, 1), today=date(2021, 4, 1))
    t.check_start(date(2021, 5, 1), today=date(2021, 4, 1))
    with pytest.raises(TransferError, match="today or in the future") as refused:
        t.check_start(date(2021, 3, 31), today=date(2021, 4, 1))
    assert refused.value.field == "planned_start"
