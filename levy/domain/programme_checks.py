"""Programme checks by start date (docs/rules.md §3, §6; issue 5 item 5).

Each check reads the rule in force on the apprenticeship's **start date** from
the rule table and, when the plan does not meet it, gives a
:class:`ProgrammeWarning` carrying the rule key, its public source and a plain
message:

* ``programme.min_duration_months``: 12 months for starts to 31 Jul 2025,
  8 months from 1 Aug 2025 (planned start to planned end, whole months);
* ``programme.otj``: 20% of normal hours (starts before 1 Aug 2022); from
  1 Aug 2022 6 hours a week on average for 30+ hour workers and 20% of actual
  hours below 30; from 1 Aug 2025 the standard's published minimum (20% of
  hours when none is recorded);
* ``programme.level7_max_age``: from 1 Jan 2026 level 7 is funded only for
  starts aged up to 21 (24 for care leavers or those with an EHC plan);
* ``bands.maximum``: a price above the standard's funding band; the excess is
  the organisation's own cost, shown in the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from levy.domain.cohorts import age_at_start
from levy.domain.money import format_money
from levy.domain.rules import RULES, RuleBook, RuleNotFound, rule_title, source_link

DEFAULT_WEEKLY_HOURS = Decimal(37)  # the council's full-time week


@dataclass(frozen=True)
class ProgrammeWarning:
    rule: str
    source: str
    message: str
    excess: Decimal | None = None  # for the band cap: the organisation's own cost

    @property
    def title(self) -> str:
        """The rule's plain name, for pages (the key never reaches one)."""
        return rule_title(self.rule)

    @property
    def source_name(self) -> str:
        return source_link(self.source)[0]

    @property
    def source_url(self) -> str | None:
        return source_link(self.source)[1]


@dataclass(frozen=True)
class ProgrammePlan:
    """What the checks need to know about one apprenticeship."""

    start: date
    planned_end: date
    level: int
    date_of_birth: date | None = None
    agreed_price: Decimal | None = None
    band_maximum: Decimal | None = None
    weekly_hours: Decimal | None = None
    otj_hours_planned: Decimal | None = None
    standard_otj_minimum: Decimal | None = None
    care_leaver: bool = False
    ehc_plan: bool = False


def duration_months(start: date, planned_end: date) -> int:
    """Whole months from the start to the day after the planned end
    (1 Sep 2021 - 31 Aug 2022 is 12 months; to 30 Aug 2022 it is 11)."""
    day_after = planned_end + timedelta(days=1) if planned_end < date.max else planned_end
    delta = relativedelta(day_after, start)
    return delta.years * 12 + delta.months


def planned_weeks(start: date, planned_end: date) -> Decimal:
    return Decimal((planned_end - start).days + 1) / Decimal(7)


def _hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def required_otj_hours(plan: ProgrammePlan, rules: RuleBook = RULES) -> Decimal:
    """Minimum off-the-job hours over the planned duration, by the start date's rule."""
    rule = rules.value("programme.otj", plan.start)
    hours = plan.weekly_hours if plan.weekly_hours is not None else DEFAULT_WEEKLY_HOURS
    weeks = planned_weeks(plan.start, plan.planned_end)
    method = rule["method"]
    if method == "standard_minimum" and plan.standard_otj_minimum is not None:
        return _hours(plan.standard_otj_minimum)
    if method == "hours_per_week" and hours >= rule["full_time_hours"]:
        return _hours(rule["hours"] * weeks)
    return _hours(rule["percent"] * hours * weeks)


def check_duration(plan: ProgrammePlan, rules: RuleBook = RULES) -> ProgrammeWarning | None:
    entry = rules.entry("programme.min_duration_months", plan.start)
    months = duration_months(plan.start, plan.planned_end)
    if months >= entry.value:
        return None
    return ProgrammeWarning(
        entry.key,
        entry.source,
        f"Planned duration is {months} months; starts on {plan.start:%d %b %Y} must last "
        f"at least {entry.value} months.",
    )


def check_otj(plan: ProgrammePlan, rules: RuleBook = RULES) -> ProgrammeWarning | None:
    if plan.otj_hours_planned is None:
        return None
    entry = rules.entry("programme.otj", plan.start)
    required = required_otj_hours(plan, rules)
    if plan.otj_hours_planned >= required:
        return None
    return ProgrammeWarning(
        entry.key,
        entry.source,
        f"{_hours(plan.otj_hours_planned)} off-the-job hours planned; the rule for starts on "
        f"{plan.start:%d %b %Y} needs at least {required}.",
    )


def check_level7_age(plan: ProgrammePlan, rules: RuleBook = RULES) -> ProgrammeWarning | None:
    if int(plan.level) != 7 or plan.date_of_birth is None:
        return None
    entry = rules.entry("programme.level7_max_age", plan.start)
    if entry.value is None:
        return None
    extended = plan.care_leaver or plan.ehc_plan
    limit = entry.value["care_leaver_or_ehcp" if extended else "default"]
    age = age_at_start(plan.date_of_birth, plan.start)
    if age <= limit:
        return None
    return ProgrammeWarning(
        entry.key,
        entry.source,
        f"Level 7 starts from 1 Jan 2026 are funded only up to age {limit}"
        f"{' (care leaver or EHC plan)' if extended else ''}; this apprentice is {age} at the "
        f"start, so the levy will not pay.",
    )


def check_band(plan: ProgrammePlan, rules: RuleBook = RULES) -> ProgrammeWarning | None:
    if plan.agreed_price is None or plan.band_maximum is None:
        return None
    if plan.agreed_price <= plan.band_maximum:
        return None
    try:
        source = rules.entry("bands.maximum", plan.start).source
    except RuleNotFound:
        source = "apprenticeship funding bands (the band recorded on the standard)"
    excess = plan.agreed_price - plan.band_maximum
    return ProgrammeWarning(
        "bands.maximum",
        source,
        f"The agreed price {format_money(plan.agreed_price)} is above the funding band "
        f"maximum {format_money(plan.band_maximum)}; the excess {format_money(excess)} is the "
        f"organisation's own cost, outside the levy.",
        excess=excess,
    )


CHECKS = (check_duration, check_otj, check_level7_age, check_band)


def programme_warnings(plan: ProgrammePlan, rules: RuleBook = RULES) -> list[ProgrammeWarning]:
    """Every warning for one apprenticeship, in a fixed order."""
    warnings = []
    for check in CHECKS:
        warning = check(plan, rules)
        if warning is not None:
            warnings.append(warning)
    return warnings
