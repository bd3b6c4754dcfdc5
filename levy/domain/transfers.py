"""Levy transfers to local businesses (DOMAIN.md §1, §4; issue 6).

Pure rules for the council's local transfer scheme:

* the **allowance** for a financial year: base, statutory and local shares,
  cap, paid, committed and remaining;
* the **cost** of an application and how it falls across financial years;
* the **hard rules** (pass/fail, each with a code and a plain reason), kept
  apart from **scoring** (rank);
* the application **lifecycle** as a transition table with a named exception;
* the **timers** (auto-reject, auto-decline, funds expired) as ``tick``;
* the **postcode districts** of the county.

No Flask, no SQLAlchemy, no clock: dates come in as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from levy.domain import errors
from levy.domain.commitments import Commitment, schedule
from levy.domain.errors import DomainError
from levy.domain.money import ZERO, format_money, money_str, round_pence
from levy.domain.months import (
    Year,
    add_months,
    financial_year,
    financial_year_starting,
    month_end,
)
from levy.domain.rules import RULES, RuleBook


class TransferError(DomainError):
    """A transfer rule was broken; the message is fit to show to a person."""


class TransitionNotAllowed(errors.TransitionNotAllowed, TransferError):
    """A lifecycle move that the application's state does not allow."""


class AllowanceExceeded(TransferError):
    """An approval would take the year's remaining allowance below zero."""


DEFAULT_LOCAL_SHARE = Decimal("0.25")
HUNDRED = Decimal(100)

# Ledger row kinds the allowance reads (the core ledger's LevyTransaction.kind).
KIND_LEVY = "levy"
KIND_TOP_UP = "top-up"
KIND_TRANSFER = "transfer"


def _pct(share: Decimal) -> str:
    """``Decimal('0.25')`` to ``"25.00"``."""
    return f"{(share * HUNDRED).quantize(Decimal('0.01')):.2f}"


# --------------------------------------------------------------------------------------------
# Allowance (issue 6 §1-3)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the levy ledger as the allowance sees it.

    As the core ledger (``LevyTransaction``) holds them: ``on`` is the row's month
    (first of the month), amounts are positive for levy, top-up, payment and
    transfer (a negative transfer is a refund of one).
    """

    on: date
    kind: str
    amount: Decimal


def funds_in(
    levy_declared: Decimal, english_fraction: Decimal, month: date, rules: RuleBook = RULES
) -> Decimal:
    """Funds entering the account for a declaration: levy × English % plus the
    top-up (10% until the 2026 change; DOMAIN.md §2)."""
    english = levy_declared * english_fraction
    return round_pence(english + english * rules.value("levy.top_up_rate", month))


def base_window(year_start: int) -> tuple[date, date]:
    """The ledger dates whose levy and top-up make a year's base: 1 May of the
    year before to 30 April of the year (the previous tax year's payroll months,
    each entering the account the month after)."""
    return date(year_start - 1, 5, 1), date(year_start, 4, 30)


@dataclass(frozen=True)
class YearShare:
    """The part of an application's cost that falls in one financial year."""

    year_start: int
    amount: Decimal


@dataclass(frozen=True)
class Reservation:
    """An approved, accepted or funds-used application's hold on allowances:
    its shares by year and what has already been paid against each year."""

    ref: object
    shares: tuple[YearShare, ...]
    paid: Mapping[int, Decimal] = field(default_factory=dict)

    def outstanding(self, year_start: int) -> Decimal:
        """The share in this year not yet paid (never below zero)."""
        share = sum((s.amount for s in self.shares if s.year_start == year_start), ZERO)
        return max(ZERO, share - self.paid.get(year_start, ZERO))


@dataclass(frozen=True)
class Allowance:
    """What the council may still promise in one financial year."""

    year: Year
    base: Decimal
    statutory_share: Decimal
    local_share: Decimal
    paid: Decimal
    committed: Decimal

    @property
    def share(self) -> Decimal:
        """The lower of the statutory and local shares."""
        return min(self.statutory_share, self.local_share)

    @property
    def cap(self) -> Decimal:
        return round_pence(self.base * self.share)

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.paid - self.committed

    def check_reserve(self, amount: Decimal) -> None:
        """Refuse a reservation that would take the remaining allowance below zero."""
        if amount > self.remaining:
            raise AllowanceExceeded(
                f"Approving this would cost {format_money(amount)} in {self.year.label} but "
                f"only {format_money(self.remaining)} of the {format_money(self.cap)} "
                f"allowance remains ({format_money(self.paid)} paid, "
                f"{format_money(self.committed)} committed)."
            )

    def as_dict(self) -> dict[str, str]:
        """The CLI's JSON keys (issue 6, command-line contract)."""
        return {
            "year": self.year.label,
            "base": money_str(self.base),
            "statutory_percent": _pct(self.statutory_share),
            "local_percent": _pct(self.local_share),
            "cap": money_str(self.cap),
            "paid": money_str(self.paid),
            "committed": money_str(self.committed),
            "remaining": money_str(self.remaining),
        }


def allowance(
    year_start: int,
    ledger: Iterable[LedgerEntry],
    reservations: Iterable[Reservation] = (),
    local_share: Decimal = DEFAULT_LOCAL_SHARE,
    rules: RuleBook = RULES,
) -> Allowance:
    """The allowance for the financial year starting 1 April ``year_start``.

    base = the ledger's ``levy`` and ``top-up`` rows dated May of the year before
    to April of the year; statutory share from the rule table (by the year's first
    day); cap = base × the lower share; paid = the sum of the year's ``transfer``
    rows (April to March); committed = reservations' unpaid shares in the year.
    """
    year = financial_year_starting(year_start)
    first, last = base_window(year_start)
    base = ZERO
    paid = ZERO
    for row in ledger:
        if row.kind in (KIND_LEVY, KIND_TOP_UP) and first <= row.on <= last:
            base += row.amount
        elif row.kind == KIND_TRANSFER and row.on in year:
            paid += row.amount
    committed = sum((r.outstanding(year_start) for r in reservations), ZERO)
    return Allowance(
        year=year,
        base=round_pence(max(base, ZERO)),
        statutory_share=rules.value("transfer.statutory_share", year.start),
        local_share=local_share,
        paid=round_pence(paid),
        committed=round_pence(committed),
    )


# --------------------------------------------------------------------------------------------
# Cost of an application (issue 6 §3; DOMAIN.md §4)
# --------------------------------------------------------------------------------------------

COURSE_YEAR_MONTHS = 12


@dataclass(frozen=True)
class Cost:
    """What an application costs the council, by financial year.

    ``reserved`` is what approval reserves against the start year's allowance.
    """

    total: Decimal
    shares: tuple[YearShare, ...]

    @property
    def reserved(self) -> Decimal:
        return self.shares[0].amount

    def share_in(self, year_start: int) -> Decimal:
        return sum((s.amount for s in self.shares if s.year_start == year_start), ZERO)


def application_cost(
    band_maximum: Decimal,
    apprentices: int,
    duration_months: int,
    start: date,
    rules: RuleBook = RULES,
) -> Cost:
    """The cost reserved on approval and its later years' shares.

    * 12 months or less: band maximum × apprentices, all in the start's year.
    * Longer: the 80% (band maximum × apprentices × 0.8) spread evenly over the
      months; each course year of 12 months takes its months' share, in the
      financial year that course year begins; the first year's share is
      ``80% ÷ months × 12``. The 20% completion payment falls in the last
      course year (so the council never promises money it has not reserved).
    Shares are rounded half-up to the penny; the last takes the remainder, so
    they always add up to the total.
    """
    if apprentices < 1:
        raise TransferError("An application must be for at least one apprentice.")
    if duration_months < 1:
        raise TransferError("The course must last at least one month.")
    total = round_pence(band_maximum * apprentices)
    if duration_months <= COURSE_YEAR_MONTHS:
        return Cost(total, (YearShare(financial_year(start).start.year, total),))
    completion_share = rules.value("payments.completion_share", start)
    monthly_part = total * (1 - completion_share)
    amounts: list[tuple[int, Decimal]] = []
    months_left = duration_months
    course_year = 0
    while months_left > 0:
        months = min(COURSE_YEAR_MONTHS, months_left)
        year_start = financial_year(add_months(start, COURSE_YEAR_MONTHS * course_year)).start.year
        amounts.append((year_start, round_pence(monthly_part / duration_months * months)))
        months_left -= months
        course_year += 1
    last_year, _ = amounts[-1]
    amounts[-1] = (last_year, total - sum((a for _, a in amounts[:-1]), ZERO))
    merged: dict[int, Decimal] = {}
    for year_start, amount in amounts:
        merged[year_start] = merged.get(year_start, ZERO) + amount
    return Cost(total, tuple(YearShare(y, a) for y, a in merged.items()))


# --------------------------------------------------------------------------------------------
# Postcode districts of the county
# --------------------------------------------------------------------------------------------

WORCESTER = "Worcester"
WYCHAVON = "Wychavon"
MALVERN_HILLS = "Malvern Hills"
WYRE_FOREST = "Wyre Forest"
BROMSGROVE = "Bromsgrove"
REDDITCH = "Redditch"
COUNTY_DISTRICTS = (WORCESTER, WYCHAVON, MALVERN_HILLS, WYRE_FOREST, BROMSGROVE, REDDITCH)


@dataclass(frozen=True)
class PostcodeArea:
    district: str
    partial: bool = False  # the postcode district also reaches outside the county


# APPROXIMATE mapping, compiled from public knowledge of Royal Mail postcode districts
# and Worcestershire's six local authority districts; each outward code goes to the
# county district holding most of it. ``partial`` marks codes that straddle the county
# boundary, where an officer should confirm the address (and may override with a reason).
# This is configuration: the council can replace it.
DEFAULT_POSTCODE_AREAS: Mapping[str, PostcodeArea] = {
    # Worcester city and surroundings
    "WR1": PostcodeArea(WORCESTER),
    "WR2": PostcodeArea(WORCESTER),
    "WR3": PostcodeArea(WORCESTER),
    "WR4": PostcodeArea(WORCESTER),
    "WR5": PostcodeArea(WORCESTER),
    # Malvern Hills: Martley, Upton-upon-Severn, Colwall side, Malvern, Tenbury
    "WR6": PostcodeArea(MALVERN_HILLS),
    "WR8": PostcodeArea(MALVERN_HILLS),
    "WR13": PostcodeArea(MALVERN_HILLS, partial=True),
    "WR14": PostcodeArea(MALVERN_HILLS),
    "WR15": PostcodeArea(MALVERN_HILLS, partial=True),
    # Wychavon: Inkberrow, Droitwich, Pershore, Evesham, Broadway
    "WR7": PostcodeArea(WYCHAVON),
    "WR9": PostcodeArea(WYCHAVON),
    "WR10": PostcodeArea(WYCHAVON),
    "WR11": PostcodeArea(WYCHAVON, partial=True),
    "WR12": PostcodeArea(WYCHAVON, partial=True),
    "GL20": PostcodeArea(WYCHAVON, partial=True),
    # Wyre Forest: Kidderminster, Bewdley, Stourport
    "DY10": PostcodeArea(WYRE_FOREST),
    "DY11": PostcodeArea(WYRE_FOREST),
    "DY12": PostcodeArea(WYRE_FOREST, partial=True),
    "DY13": PostcodeArea(WYRE_FOREST),
    "DY14": PostcodeArea(WYRE_FOREST, partial=True),
    # Bromsgrove: Bromsgrove town, Catshill, Wythall, Alvechurch, Hagley, Rubery
    "B60": PostcodeArea(BROMSGROVE),
    "B61": PostcodeArea(BROMSGROVE),
    "B45": PostcodeArea(BROMSGROVE, partial=True),
    "B47": PostcodeArea(BROMSGROVE, partial=True),
    "B48": PostcodeArea(BROMSGROVE),
    "DY9": PostcodeArea(BROMSGROVE, partial=True),
    # Redditch
    "B97": PostcodeArea(REDDITCH),
    "B98": PostcodeArea(REDDITCH),
    "B96": PostcodeArea(REDDITCH, partial=True),
}

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


class PostcodeError(TransferError):
    """Text that is not a UK postcode."""


def normalise_postcode(text: str) -> str:
    """``wr1 2ab`` to ``WR1 2AB``; raises ``PostcodeError`` for anything else."""
    cleaned = re.sub(r"\s+", "", str(text or "")).upper()
    match = _POSTCODE.match(cleaned)
    if not match:
        raise PostcodeError(f"'{text}' is not a UK postcode, like WR5 2NP")
    return f"{match.group(1)} {match.group(2)}"


@dataclass(frozen=True)
class DistrictMatch:
    postcode: str
    outward: str
    district: str | None  # None: outside the county
    partial: bool = False

    @property
    def in_county(self) -> bool:
        return self.district is not None


def postcode_district(
    postcode: str, areas: Mapping[str, PostcodeArea] = DEFAULT_POSTCODE_AREAS
) -> DistrictMatch:
    """Which of the county's districts a postcode falls in (or none)."""
    full = normalise_postcode(postcode)
    outward = full.split(" ")[0]
    area = areas.get(outward)
    if area is None:
        return DistrictMatch(full, outward, None)
    return DistrictMatch(full, outward, area.district, area.partial)


# --------------------------------------------------------------------------------------------
# Applicants and applications as the rules see them
# --------------------------------------------------------------------------------------------

TARGET_GROUPS: Mapping[str, str] = {
    "care_leavers": "Care leavers",
    "neet": "Young people not in education, employment or training",
    "disabilities": "People with disabilities",
    "long_term_unemployed": "The long-term unemployed",
    "age_16_24": "People aged 16 to 24",
}


@dataclass(frozen=True)
class Organisation:
    """A receiving business, as registered."""

    name: str
    employees: int
    district: str | None  # a county district, None if outside
    serves_county_residents: bool = True
    pays_rates_in_county: bool = False  # business rates or council tax
    is_vcse: bool = False
    sector: str = ""
    pays_levy: bool = False
    sends_transfers: bool = False


@dataclass(frozen=True)
class Application:
    """An application for transfer funding, as the rules see it."""

    standard_code: str
    level: int
    apprentices: int
    start: date
    duration_months: int
    price: Decimal  # agreed price per apprentice
    band_maximum: Decimal
    provider_in_county: bool
    target_groups: frozenset[str] = frozenset()
    is_standard: bool = True  # False: a framework (not fundable by transfer)
    new_start: bool = True
    submitted_on: date | None = None

    def cost(self, rules: RuleBook = RULES) -> Cost:
        return application_cost(
            self.band_maximum, self.apprentices, self.duration_months, self.start, rules
        )


# --------------------------------------------------------------------------------------------
# Hard rules (issue 6 §6)
# --------------------------------------------------------------------------------------------

LOCAL_CRITERIA: Mapping[str, str] = {
    "based_in_county": "Based in the county and serving county residents",
    "pays_rates_in_county": "Pays council tax or business rates in the county",
    "county_vcse": "A voluntary, community or social enterprise in the county serving residents",
    "growth_sector": "In one of the county's growth sectors",
    "county_provider": "Uses a training provider based in the county",
}


@dataclass(frozen=True)
class CriterionGroup:
    """Criteria of which at least one must hold (a single criterion must hold)."""

    code: str
    criteria: tuple[str, ...]


# The policy as written (DOMAIN.md §1; issue 6 §6): presence in the county is met
# by any one of (1) based here serving residents, (2) paying council tax / business
# rates here, (3) a county VCSE serving residents; (4) growth sector and (5) a
# county-based provider must both hold.
DEFAULT_CRITERIA_GROUPS: tuple[CriterionGroup, ...] = (
    CriterionGroup("local.presence", ("based_in_county", "pays_rates_in_county", "county_vcse")),
    CriterionGroup("local.growth_sector", ("growth_sector",)),
    CriterionGroup("local.county_provider", ("county_provider",)),
)

# The Worcestershire LEP Strategic Economic Plan's growth sectors (configuration).
DEFAULT_GROWTH_SECTORS: tuple[str, ...] = (
    "Advanced manufacturing",
    "Agri-tech and food",
    "Cyber security and digital",
    "Health and social care",
    "Construction",
    "Tourism and hospitality",
    "Business and professional services",
    "Education",
)


@dataclass(frozen=True)
class ApplicationWindow:
    opens: date
    closes: date

    def __contains__(self, day: date) -> bool:
        return self.opens <= day <= self.closes


@dataclass(frozen=True)
class LocalPolicy:
    """The council's configurable local rules."""

    local_share: Decimal = DEFAULT_LOCAL_SHARE
    criteria_groups: tuple[CriterionGroup, ...] = DEFAULT_CRITERIA_GROUPS
    growth_sectors: tuple[str, ...] = DEFAULT_GROWTH_SECTORS
    max_employees: int = 250  # receivers must have fewer
    refuse_all_levy_payers: bool = False  # False: refuse only levy payers that send
    max_applications_per_year: int | None = 3
    max_amount_per_year: Decimal | None = Decimal("50000")
    windows: tuple[ApplicationWindow, ...] = ()  # empty: open all year


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class Screening:
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    def result(self, code: str) -> RuleResult:
        for r in self.results:
            if r.code == code:
                return r
        raise KeyError(code)


@dataclass(frozen=True)
class OrganisationYear:
    """What an organisation already has in the year an application is counted in:
    other live applications (submitted, approved, accepted, funds used) and their costs."""

    applications: int = 0
    amount: Decimal = ZERO


def _criterion_met(code: str, org: Organisation, app: Application, policy: LocalPolicy) -> bool:
    in_county = org.district is not None
    if code == "based_in_county":
        return in_county and org.serves_county_residents
    if code == "pays_rates_in_county":
        return org.pays_rates_in_county
    if code == "county_vcse":
        return org.is_vcse and in_county and org.serves_county_residents
    if code == "growth_sector":
        return org.sector.casefold() in {s.casefold() for s in policy.growth_sectors}
    if code == "county_provider":
        return app.provider_in_county
    raise KeyError(f"unknown local criterion '{code}'")


def _group_result(
    group: CriterionGroup, org: Organisation, app: Application, policy: LocalPolicy
) -> RuleResult:
    met = [c for c in group.criteria if _criterion_met(c, org, app, policy)]
    labels = [LOCAL_CRITERIA[c] for c in group.criteria]
    if len(group.criteria) == 1:
        label = labels[0]
        if met:
            return RuleResult(group.code, True, f"{label}: yes.")
        return RuleResult(group.code, False, f"{label}: no, and the council's policy needs it.")
    if met:
        return RuleResult(
            group.code, True, "Meets: " + "; ".join(LOCAL_CRITERIA[c] for c in met) + "."
        )
    return RuleResult(
        group.code, False, "Needs at least one of: " + "; ".join(labels) + ". None applies."
    )


def screen(
    org: Organisation,
    app: Application,
    policy: LocalPolicy = LocalPolicy(),
    history: OrganisationYear = OrganisationYear(),
    on: date | None = None,
    rules: RuleBook = RULES,
) -> Screening:
    """Every hard rule, each pass or fail with a code and a reason.

    ``on`` is the day the application is (or was) submitted; it defaults to
    ``app.submitted_on`` and decides the application window.
    """
    results = [_group_result(g, org, app, policy) for g in policy.criteria_groups]

    if org.pays_levy and (org.sends_transfers or policy.refuse_all_levy_payers):
        why = "sends levy transfers" if org.sends_transfers else "pays the levy"
        results.append(
            RuleResult(
                "receiver.not_levy_sender",
                False,
                f"The organisation {why}; a sender cannot also receive.",
            )
        )
    else:
        results.append(
            RuleResult(
                "receiver.not_levy_sender", True, "The organisation does not send levy transfers."
            )
        )

    if not app.is_standard:
        results.append(
            RuleResult(
                "course.standard_new_start",
                False,
                "Transfers fund apprenticeship standards only, not frameworks.",
            )
        )
    elif not app.new_start:
        results.append(
            RuleResult(
                "course.standard_new_start",
                False,
                "Transfers fund new starts only, not apprentices already in learning.",
            )
        )
    else:
        results.append(
            RuleResult(
                "course.standard_new_start", True, "A new start on an apprenticeship standard."
            )
        )

    minimum = rules.value("programme.min_duration_months", app.start)
    maximum = rules.value("transfer.max_duration_months", app.start)
    months = app.duration_months
    if minimum <= months <= maximum:
        results.append(
            RuleResult(
                "course.duration",
                True,
                f"{months} months is between {minimum} and {maximum} months.",
            )
        )
    else:
        results.append(
            RuleResult(
                "course.duration",
                False,
                f"{months} months is outside {minimum} to {maximum} months "
                f"(the minimum for a start on {app.start:%d %B %Y}).",
            )
        )

    if ZERO < app.price <= app.band_maximum:
        results.append(
            RuleResult(
                "course.price_within_band",
                True,
                f"{format_money(app.price)} is within the band maximum "
                f"{format_money(app.band_maximum)}.",
            )
        )
    else:
        results.append(
            RuleResult(
                "course.price_within_band",
                False,
                f"{format_money(app.price)} is above the band maximum "
                f"{format_money(app.band_maximum)} (or not a price)."
                if app.price > ZERO
                else "The price must be more than £0.",
            )
        )

    if org.employees < policy.max_employees:
        results.append(
            RuleResult(
                "receiver.size",
                True,
                f"{org.employees} employees, fewer than {policy.max_employees}.",
            )
        )
    else:
        results.append(
            RuleResult(
                "receiver.size",
                False,
                f"{org.employees} employees; the scheme is for organisations "
                f"with fewer than {policy.max_employees}.",
            )
        )

    cost = app.cost(rules).reserved
    problems = []
    if (
        policy.max_applications_per_year is not None
        and history.applications + 1 > policy.max_applications_per_year
    ):
        problems.append(
            f"this would be application {history.applications + 1} this year "
            f"(at most {policy.max_applications_per_year})"
        )
    if (
        policy.max_amount_per_year is not None
        and history.amount + cost > policy.max_amount_per_year
    ):
        problems.append(
            f"{format_money(history.amount)} already plus {format_money(cost)} "
            f"is over the {format_money(policy.max_amount_per_year)} limit"
        )
    if problems:
        results.append(
            RuleResult(
                "receiver.yearly_limit",
                False,
                "Per-organisation limit: " + "; ".join(problems) + ".",
            )
        )
    else:
        results.append(
            RuleResult(
                "receiver.yearly_limit", True, "Within the per-organisation limit for the year."
            )
        )

    day = on or app.submitted_on
    if not policy.windows:
        results.append(RuleResult("window.open", True, "Applications are open all year."))
    elif day is not None and any(day in w for w in policy.windows):
        results.append(
            RuleResult("window.open", True, f"{day:%d %B %Y} is inside an application window.")
        )
    else:
        when = f"{day:%d %B %Y}" if day else "Today"
        results.append(
            RuleResult("window.open", False, f"{when} is outside the application windows.")
        )
    return Screening(tuple(results))


# --------------------------------------------------------------------------------------------
# Scoring (issue 6 §7)
# --------------------------------------------------------------------------------------------

SCORE_LABELS: Mapping[str, str] = {
    "size.micro": "Micro business (fewer than 10 employees)",
    "size.small": "Small business (10 to 49 employees)",
    "size.medium": "Medium business (50 to 249 employees)",
    "vcse": "Voluntary, community or social enterprise",
    **{f"target.{k}": f"Open to: {v}" for k, v in TARGET_GROUPS.items()},
    "level3_plus": "Level 3 or above",
    "priority_sector": "Priority (growth) sector",
    "county_provider": "Training provider in the county",
    "first_time": "First application to the scheme",
}

DEFAULT_WEIGHTS: Mapping[str, int] = {
    "size.micro": 30,
    "size.small": 20,
    "size.medium": 10,
    "vcse": 15,
    "target.care_leavers": 15,
    "target.neet": 10,
    "target.disabilities": 10,
    "target.long_term_unemployed": 10,
    "target.age_16_24": 5,
    "level3_plus": 10,
    "priority_sector": 10,
    "county_provider": 10,
    "first_time": 10,
}


@dataclass(frozen=True)
class ScoringRules:
    """A versioned weights table (admins edit it; each version is kept)."""

    version: int
    weights: Mapping[str, int]

    def weight(self, code: str) -> int:
        return int(self.weights.get(code, 0))


DEFAULT_SCORING = ScoringRules(1, DEFAULT_WEIGHTS)
MICRO_BELOW = 10
SMALL_BELOW = 50


@dataclass(frozen=True)
class ScoreLine:
    code: str
    label: str
    points: int


@dataclass(frozen=True)
class Score:
    total: int
    version: int
    breakdown: tuple[ScoreLine, ...]


def size_band(employees: int) -> str:
    """Micro under 10, small under 50, medium otherwise."""
    if employees < MICRO_BELOW:
        return "size.micro"
    if employees < SMALL_BELOW:
        return "size.small"
    return "size.medium"


def score(
    org: Organisation,
    app: Application,
    first_time: bool,
    scoring: ScoringRules = DEFAULT_SCORING,
    policy: LocalPolicy = LocalPolicy(),
) -> Score:
    """Rank points for an eligible application, with the breakdown and the
    rule-set version used."""
    codes = [size_band(org.employees)]
    if org.is_vcse:
        codes.append("vcse")
    codes += [f"target.{g}" for g in TARGET_GROUPS if g in app.target_groups]
    if app.level >= 3:
        codes.append("level3_plus")
    if _criterion_met("growth_sector", org, app, policy):
        codes.append("priority_sector")
    if app.provider_in_county:
        codes.append("county_provider")
    if first_time:
        codes.append("first_time")
    lines = tuple(ScoreLine(c, SCORE_LABELS.get(c, c), scoring.weight(c)) for c in codes)
    return Score(sum(line.points for line in lines), scoring.version, lines)


def validate_weights(weights: Mapping[str, object]) -> dict[str, int]:
    """Weights an admin typed: every known code, whole numbers 0 to 100."""
    clean: dict[str, int] = {}
    for code in SCORE_LABELS:
        raw = weights.get(code, 0)
        try:
            value = int(str(raw))
        except ValueError as exc:
            raise TransferError(
                f"The weight for '{SCORE_LABELS[code]}' must be a whole number"
            ) from exc
        if not 0 <= value <= 100:
            raise TransferError(f"The weight for '{SCORE_LABELS[code]}' must be 0 to 100")
        clean[code] = value
    unknown = set(weights) - set(SCORE_LABELS)
    if unknown:
        raise TransferError(f"Unknown scoring items: {', '.join(sorted(unknown))}")
    return clean


# --------------------------------------------------------------------------------------------
# Lifecycle (issue 6 §8; the government's statuses, DOMAIN.md §4)
# --------------------------------------------------------------------------------------------

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
ACCEPTED = "accepted"
FUNDS_USED = "funds used"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
WITHDRAWN_AFTER_ACCEPTANCE = "withdrawn after acceptance"
FUNDS_EXPIRED = "funds expired"
STATUSES = (
    DRAFT,
    SUBMITTED,
    APPROVED,
    REJECTED,
    ACCEPTED,
    FUNDS_USED,
    DECLINED,
    WITHDRAWN,
    WITHDRAWN_AFTER_ACCEPTANCE,
    FUNDS_EXPIRED,
)
# States whose cost holds a reservation against allowances.
RESERVING = frozenset({APPROVED, ACCEPTED, FUNDS_USED})
# States that count towards the per-organisation yearly limit.
LIVE = frozenset({SUBMITTED, APPROVED, ACCEPTED, FUNDS_USED})
FINAL = frozenset({REJECTED, DECLINED, WITHDRAWN, WITHDRAWN_AFTER_ACCEPTANCE, FUNDS_EXPIRED})

APPLICANT = "applicant"
OFFICER = "officer"
SYSTEM = "system"

ACTION_LABELS: Mapping[str, str] = {
    "edit": "change",
    "submit": "submit",
    "request_info": "ask for more information about",
    "respond_info": "answer a request for information about",
    "approve": "approve",
    "reject": "reject",
    "auto_reject": "automatically reject",
    "accept": "accept",
    "decline": "decline",
    "withdraw": "withdraw",
    "record_apprentices": "record the apprentices taken on for",
    "expire": "expire the funds of",
}


@dataclass(frozen=True)
class Transition:
    to: str
    actors: frozenset[str]


def _t(to: str, *actors: str) -> Transition:
    return Transition(to, frozenset(actors))


TRANSITIONS: Mapping[tuple[str, str], Transition] = {
    (DRAFT, "edit"): _t(DRAFT, APPLICANT),
    (DRAFT, "submit"): _t(SUBMITTED, APPLICANT),
    (DRAFT, "withdraw"): _t(WITHDRAWN, APPLICANT),
    (SUBMITTED, "request_info"): _t(SUBMITTED, OFFICER),
    (SUBMITTED, "respond_info"): _t(SUBMITTED, APPLICANT),
    (SUBMITTED, "approve"): _t(APPROVED, OFFICER),
    (SUBMITTED, "reject"): _t(REJECTED, OFFICER),
    (SUBMITTED, "auto_reject"): _t(REJECTED, SYSTEM),
    (SUBMITTED, "withdraw"): _t(WITHDRAWN, APPLICANT),
    (APPROVED, "accept"): _t(ACCEPTED, APPLICANT),
    (APPROVED, "decline"): _t(DECLINED, APPLICANT, SYSTEM),
    (APPROVED, "withdraw"): _t(WITHDRAWN, APPLICANT),
    (ACCEPTED, "record_apprentices"): _t(FUNDS_USED, OFFICER),
    (ACCEPTED, "expire"): _t(FUNDS_EXPIRED, SYSTEM),
    (ACCEPTED, "withdraw"): _t(WITHDRAWN_AFTER_ACCEPTANCE, APPLICANT),
}


def allowed_actions(status: str, actor: str) -> list[str]:
    return [a for (s, a), t in TRANSITIONS.items() if s == status and actor in t.actors]


def transition(status: str, action: str, actor: str) -> str:
    """The status after ``action`` by ``actor``; raises ``TransitionNotAllowed``."""
    if status not in STATUSES:
        raise TransitionNotAllowed(f"'{status}' is not an application status.")
    label = ACTION_LABELS.get(action, action)
    move = TRANSITIONS.get((status, action))
    if move is None:
        raise TransitionNotAllowed(f"You cannot {label} an application that is {status}.")
    if actor not in move.actors:
        who = {APPLICANT: "the business", OFFICER: "an officer", SYSTEM: "the system"}
        raise TransitionNotAllowed(
            f"Only {' or '.join(sorted(who.get(a, a) for a in move.actors))} can {label} "
            f"an application that is {status}."
        )
    return move.to


# --------------------------------------------------------------------------------------------
# Timers (issue 6 §8)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """An application's timed facts."""

    ref: object
    status: str
    submitted_on: date | None = None
    approved_on: date | None = None
    accepted_on: date | None = None


@dataclass(frozen=True)
class Move:
    ref: object
    action: str
    from_status: str
    to_status: str
    due_on: date
    reason: str


def _plus_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if shorter)."""
    return day + relativedelta(months=months)


def auto_reject_on(submitted_on: date, rules: RuleBook = RULES) -> date:
    """Submitted and undecided for 3 months: rejected on this day."""
    return _plus_months(submitted_on, rules.value("transfer.pending_months", submitted_on))


def auto_decline_on(approved_on: date, rules: RuleBook = RULES) -> date:
    """Approved but not accepted: declined once 42 days have passed (day 42)."""
    return approved_on + timedelta(days=rules.value("transfer.accept_days", approved_on))


def funds_expire_on(accepted_on: date, rules: RuleBook = RULES) -> date:
    """Accepted but no apprentice recorded for 3 months: funds expire on this day."""
    return _plus_months(accepted_on, rules.value("transfer.unused_months", accepted_on))


def tick(applications: Iterable[Clock], as_of: date, rules: RuleBook = RULES) -> list[Move]:
    """The timed moves due on or before ``as_of``.

    * submitted for 3 months without a decision: rejected;
    * approved and not accepted within 42 days (day 42 after approval): declined;
    * accepted with no apprentices recorded for 3 months: funds expired.
    Pure and idempotent: an application already moved is no longer in a timed state.
    """
    moves: list[Move] = []
    for a in applications:
        if a.status == SUBMITTED and a.submitted_on is not None:
            due = auto_reject_on(a.submitted_on, rules)
            if as_of >= due:
                moves.append(
                    Move(
                        a.ref,
                        "auto_reject",
                        SUBMITTED,
                        REJECTED,
                        due,
                        "No decision within 3 months of submission.",
                    )
                )
        elif a.status == APPROVED and a.approved_on is not None:
            due = auto_decline_on(a.approved_on, rules)
            if as_of >= due:
                moves.append(
                    Move(
                        a.ref,
                        "decline",
                        APPROVED,
                        DECLINED,
                        due,
                        "The offer was not accepted within 42 days.",
                    )
                )
        elif a.status == ACCEPTED and a.accepted_on is not None:
            due = funds_expire_on(a.accepted_on, rules)
            if as_of >= due:
                moves.append(
                    Move(
                        a.ref,
                        "expire",
                        ACCEPTED,
                        FUNDS_EXPIRED,
                        due,
                        "No apprentice was recorded within 3 months of acceptance.",
                    )
                )
    return moves


# --------------------------------------------------------------------------------------------
# Payments and the social-value text
# --------------------------------------------------------------------------------------------

SOCIAL_VALUE_MAX_WORDS = 200


def word_count(text: str) -> int:
    """Words as a person counts them: runs of non-space characters."""
    return len(str(text or "").split())


def monthly_payments(
    band_maximum: Decimal,
    apprentices: int,
    start: date,
    duration_months: int,
    rules: RuleBook = RULES,
) -> list[tuple[date, Decimal]]:
    """The transfer's payments by month: the commitment schedule (DOMAIN.md §3) of band
    maximum × apprentices from the 1st of the start month over ``duration_months``
    month-ends, so 80% in equal instalments (the last takes the remainder) and the 20%
    completion payment in the last month."""
    first = start.replace(day=1)
    commitment = Commitment(
        round_pence(band_maximum * apprentices),
        None,
        first,
        month_end(add_months(first, duration_months - 1)),
    )
    by_month: dict[date, Decimal] = {}
    for payment in schedule(commitment, rules):
        by_month[payment.month] = by_month.get(payment.month, ZERO) + payment.amount
    return sorted(by_month.items())


def payments_due(
    schedule: Sequence[tuple[date, Decimal]],
    already_paid: Mapping[date, Decimal],
    as_of: date,
    limit: Decimal,
) -> list[tuple[date, Decimal]]:
    """The scheduled payments not yet written whose month has ended by ``as_of``.

    A month's payment is made once the month is over (an instalment is earned by
    being in learning on its last day). Payments never take the application's
    total past ``limit`` (what was approved), whatever was paid before.
    """
    paid_total = sum(already_paid.values(), ZERO)
    due: list[tuple[date, Decimal]] = []
    for month, amount in schedule:
        if month in already_paid or month_end(month) > as_of:
            continue
        amount = min(amount, limit - paid_total)
        if amount <= ZERO:
            break
        due.append((month, amount))
        paid_total += amount
    return due


def check_approval(cost: Cost, allowances: Mapping[int, Allowance]) -> None:
    """Refuse an approval whose share in any year with a known allowance is more
    than that year's remaining allowance (the first year's share is what approval
    reserves; a later year is checked once its allowance is known)."""
    for share in cost.shares:
        allowance_for_year = allowances.get(share.year_start)
        if allowance_for_year is not None:
            allowance_for_year.check_reserve(share.amount)


def organisation_year(
    applications: Sequence[tuple[str, date, Decimal]], year_start: int
) -> OrganisationYear:
    """Count an organisation's live applications starting in a financial year:
    ``(status, start, reserved cost)`` triples."""
    year = financial_year_starting(year_start)
    live = [(s, d, c) for s, d, c in applications if s in LIVE and d in year]
    return OrganisationYear(len(live), sum((c for _, _, c in live), ZERO))
