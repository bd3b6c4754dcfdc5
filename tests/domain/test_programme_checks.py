"""Programme checks at their date boundaries (docs/rules.md §6; issue 5 item 5)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from levy.domain.programme_checks import (
    ProgrammePlan,
    duration_months,
    programme_warnings,
    required_otj_hours,
)
from levy.domain.rules import SRC_BANDS, SRC_DURATION, SRC_L7, SRC_OTJ

D = date


def plan(start, end, **kw):
    defaults = {"level": 3, "date_of_birth": D(1990, 1, 1)}
    defaults.update(kw)
    return ProgrammePlan(start, end, **defaults)


def rules_of(p):
    return [w.rule for w in programme_warnings(p)]


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2021, 9, 1), D(2022, 8, 31), 12),
        (D(2021, 9, 1), D(2022, 8, 30), 11),
        (D(2021, 9, 15), D(2022, 9, 14), 12),
        (D(2025, 8, 1), D(2026, 3, 31), 8),
    ],
)
def test_duration_months(start, end, months):
    assert duration_months(start, end) == months


@pytest.mark.parametrize(
    ("start", "end", "warned"),
    [
        # 31 Jul 2025: 12 months needed; 1 Aug 2024 - 31 Mar 2026 is... use 9-month plans
        (D(2025, 7, 31), D(2026, 4, 30), True),  # 9 months < 12
        (D(2025, 8, 1), D(2026, 4, 30), False),  # 9 months >= 8
        (D(2025, 8, 1), D(2026, 2, 28), True),  # 7 months < 8
        (D(2025, 7, 31), D(2026, 7, 30), False),  # 12 months
    ],
)
def test_min_duration_boundary_31_jul_1_aug_2025(start, end, warned):
    assert ("programme.min_duration_months" in rules_of(plan(start, end))) is warned


def test_duration_warning_names_rule_source_and_numbers():
    [w] = programme_warnings(plan(D(2025, 7, 31), D(2026, 4, 30)))
    assert w.source == SRC_DURATION
    assert w.message == (
        "Planned duration is 9 months; starts on 31 Jul 2025 must last at least 12 months."
    )


@pytest.mark.parametrize(
    ("start", "weekly", "required"),
    [
        # 31 Jul 2022: 20% of hours. 1 Aug 2022 - 31 Jul 2023 is 365 days = 52.142857 weeks;
        # start 31 Jul 2022 to 30 Jul 2023 likewise 365 days.
        # 20% × 37 × 52.142857 = 385.857 → 386
        (D(2022, 7, 31), Decimal(37), Decimal(386)),
        # from 1 Aug 2022 a 30+ hour worker needs 6 × 52.142857 = 312.857 → 313
        (D(2022, 8, 1), Decimal(37), Decimal(313)),
        (D(2022, 8, 1), Decimal(30), Decimal(313)),
        # below 30 hours: 20% × 20 × 52.142857 = 208.571 → 209
        (D(2022, 8, 1), Decimal(20), Decimal(209)),
        (D(2022, 7, 31), Decimal(20), Decimal(209)),
    ],
)
def test_otj_requirement_boundary_2022(start, weekly, required):
    end = start + timedelta(days=364)  # 365 days inclusive
    p = plan(start, end, weekly_hours=weekly)
    assert required_otj_hours(p) == required
    assert "programme.otj" not in rules_of(
        plan(start, end, weekly_hours=weekly, otj_hours_planned=required)
    )
    short = programme_warnings(
        plan(start, end, weekly_hours=weekly, otj_hours_planned=required - 1)
    )
    assert [w.rule for w in short] == ["programme.otj"]
    assert short[0].source == SRC_OTJ


def test_otj_standard_minimum_from_1_aug_2025():
    # 31 Jul 2025 start, 37 hours: 6 h/week rule; 1 Aug 2025 - 31 Jul 2026 the standard's 187
    before = plan(
        D(2025, 7, 31),
        D(2026, 7, 30),
        standard_otj_minimum=Decimal(187),
        otj_hours_planned=Decimal(200),
    )
    after = plan(
        D(2025, 8, 1),
        D(2026, 7, 31),
        standard_otj_minimum=Decimal(187),
        otj_hours_planned=Decimal(200),
    )
    assert required_otj_hours(before) == Decimal(313)
    assert rules_of(before) == ["programme.otj"]
    assert required_otj_hours(after) == Decimal(187)
    assert rules_of(after) == []


def test_no_planned_hours_no_otj_warning():
    assert rules_of(plan(D(2022, 8, 1), D(2023, 7, 31))) == []


@pytest.mark.parametrize(
    ("start", "born", "care_leaver", "warned"),
    [
        # 31 Dec 2025: no level 7 age limit
        (D(2025, 12, 31), D(1980, 1, 1), False, False),
        # 1 Jan 2026: 22-year-old refused, 21-year-old fine
        (D(2026, 1, 1), D(2003, 12, 31), False, True),  # 22
        (D(2026, 1, 1), D(2004, 1, 1), False, True),  # 22 on its birthday
        (D(2026, 1, 1), D(2004, 1, 2), False, False),  # 21
        (D(2026, 1, 1), D(2001, 1, 2), True, False),  # 24, care leaver: allowed
        (D(2026, 1, 1), D(2001, 1, 1), True, True),  # 25, care leaver: refused
    ],
)
def test_level7_age_boundary_1_jan_2026(start, born, care_leaver, warned):
    p = plan(start, D(start.year + 2, 1, 31), level=7, date_of_birth=born, care_leaver=care_leaver)
    assert ("programme.level7_max_age" in rules_of(p)) is warned


@pytest.mark.parametrize(
    ("price", "band", "excess"),
    [
        (Decimal("9000.01"), Decimal(9000), Decimal("0.01")),
        (Decimal(9000), Decimal(9000), None),
        (Decimal(12500), Decimal(9000), Decimal(3500)),
    ],
)
def test_price_above_band_shows_the_excess(price, band, excess):
    p = plan(D(2021, 3, 1), D(2022, 3, 31), agreed_price=price, band_maximum=band)
    warnings = programme_warnings(p)
    if excess is None:
        assert warnings == []
        return
    [w] = warnings
    assert (w.rule, w.source, w.excess) == ("bands.maximum", SRC_BANDS, excess)
    assert "organisation's own cost" in w.message


def test_band_message_text():
    [w] = programme_warnings(
        plan(D(2021, 3, 1), D(2022, 3, 31), agreed_price=Decimal(12500), band_maximum=Decimal(9000))
    )
    assert w.message == (
        "The agreed price £12,500.00 is above the funding band maximum "
        "£9,000.00; the excess £3,500.00 is the organisation's own cost, "
        "outside the levy."
    )


def test_level7_warning_names_source():
    p = plan(D(2026, 1, 1), D(2028, 1, 31), level=7, date_of_birth=D(1990, 5, 5))
    [w] = programme_warnings(p)
    assert w.source == SRC_L7
    assert "funded only up to age 21" in w.message
    assert "35 at the start" in w.message
