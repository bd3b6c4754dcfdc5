"""The hard rules (issue 6 §6): each pass or fail with a code and a plain reason, kept
apart from scoring. The council's configurable local rules are ``LocalPolicy``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from levy.domain.money import ZERO, format_money
from levy.domain.months import financial_year_starting
from levy.domain.rules import RULES, RuleBook
from levy.domain.transfers.allowance import DEFAULT_LOCAL_SHARE
from levy.domain.transfers.applicants import Application, Organisation
from levy.domain.transfers.lifecycle import LIVE

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


# The policy as written (issue 6 §6; docs/transfers.md "Local rules"): presence in the county is met
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


DEFAULT_POLICY = LocalPolicy()


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


def criterion_met(code: str, org: Organisation, app: Application, policy: LocalPolicy) -> bool:
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
    met = [c for c in group.criteria if criterion_met(c, org, app, policy)]
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


def organisation_year(
    applications: Sequence[tuple[str, date, Decimal]], year_start: int
) -> OrganisationYear:
    """Count an organisation's live applications starting in a financial year:
    ``(status, start, reserved cost)`` triples."""
    year = financial_year_starting(year_start)
    live = [(s, d, c) for s, d, c in applications if s in LIVE and d in year]
    return OrganisationYear(len(live), sum((c for _, _, c in live), ZERO))


# --------------------------------------------------------------------------------------------
# Screening at registration, and failed rules in plain English (issue 14)
# --------------------------------------------------------------------------------------------


def sector_required(policy: LocalPolicy = DEFAULT_POLICY) -> bool:
    """True when the growth-sector criterion is a hard rule on its own (a group of one),
    as in the policy as written; False when it is one alternative among others."""
    return any(g.criteria == ("growth_sector",) for g in policy.criteria_groups)


def is_priority_sector(sector: str, policy: LocalPolicy = DEFAULT_POLICY) -> bool:
    return sector.strip().casefold() in {s.casefold() for s in policy.growth_sectors}


def registration_problems(
    employees: int, sector: str, policy: LocalPolicy = DEFAULT_POLICY
) -> list[tuple[str, str]]:
    """(field, message) for what the local hard rules refuse outright at registration:
    too many employees (``receiver.size``) and, when the growth sector is a hard rule,
    a sector outside the list (``local.growth_sector``)."""
    problems: list[tuple[str, str]] = []
    if employees >= policy.max_employees:
        problems.append(
            (
                "employees",
                f"An organisation with {employees} employees is not eligible: the council's "
                f"local rules fund only organisations with fewer than {policy.max_employees} "
                "employees, so that the money goes to small and medium businesses",
            )
        )
    if sector.strip() and not is_priority_sector(sector, policy) and sector_required(policy):
        problems.append(
            (
                "sector",
                f"{sector.strip()} is not one of the county's priority sectors "
                f"({', '.join(policy.growth_sectors)}). The council's local rules fund only "
                "businesses in these sectors, so you cannot register with another sector",
            )
        )
    return problems


def registration_notes(sector: str, policy: LocalPolicy = DEFAULT_POLICY) -> list[str]:
    """What a business may register with but should know: a sector outside the priority
    list when the sector is not a hard rule (it is then scored lower)."""
    if sector.strip() and not is_priority_sector(sector, policy) and not sector_required(policy):
        return [
            f"{sector.strip()} is not one of the county's priority sectors "
            f"({', '.join(policy.growth_sectors)}). You can apply, but applications from "
            "other sectors are scored lower."
        ]
    return []


RULE_TITLES: Mapping[str, str] = {
    "local.presence": "Based in Worcestershire",
    "local.growth_sector": "A priority sector",
    "local.county_provider": "A training provider in Worcestershire",
    "receiver.not_levy_sender": "Not an organisation that sends levy transfers",
    "course.standard_new_start": "New apprentices on an apprenticeship standard",
    "course.duration": "Course length",
    "course.price_within_band": "Price within the funding band",
    "receiver.size": "Fewer employees than the limit",
    "receiver.yearly_limit": "The limit for each organisation each year",
    "window.open": "Applications open",
}


def rule_fix(code: str, policy: LocalPolicy = DEFAULT_POLICY) -> str:
    """What would make a failed rule pass, in plain English."""
    if code == "local.growth_sector":
        return (
            "Only businesses in the county's priority sectors can be funded: "
            f"{', '.join(policy.growth_sectors)}. If your sector is registered wrongly, "
            "contact the apprenticeships team to change it."
        )
    if code == "local.county_provider":
        return (
            "Choose a training provider based in Worcestershire, then change your answer to "
            "'Is the training provider based in Worcestershire?'."
        )
    if code == "local.presence" or code.startswith("local."):
        return (
            "The organisation must be based in Worcestershire and serve its residents, or pay "
            "business rates or council tax in the county, or be a Worcestershire voluntary, "
            "community or social enterprise. If your registered details are wrong, contact "
            "the apprenticeships team."
        )
    if code == "receiver.not_levy_sender":
        return (
            "An organisation that sends levy transfers cannot also receive them. If you do not "
            "send transfers, contact the apprenticeships team to correct your details."
        )
    if code == "course.standard_new_start":
        return (
            "Transfers pay only for new apprentices on an apprenticeship standard: apply only "
            "for people who are not already on an apprenticeship."
        )
    if code == "course.duration":
        return (
            "Choose a standard, or agree a course with your provider, whose length is within "
            "the months given above."
        )
    if code == "course.price_within_band":
        return "Agree a price with your provider that is more than £0 and within the band."
    if code == "receiver.size":
        return (
            f"The scheme funds organisations with fewer than {policy.max_employees} employees; "
            "a larger organisation cannot be funded. If your number of employees is wrong, "
            "contact the apprenticeships team."
        )
    if code == "receiver.yearly_limit":
        return (
            "Apply for fewer apprentices, choose a start in the next financial year "
            "(from 1 April), or withdraw another application."
        )
    if code == "window.open":
        return "Submit the application when the next application window opens."
    return "Contact the apprenticeships team."


@dataclass(frozen=True)
class FailedRule:
    code: str
    title: str
    reason: str
    fix: str


def failed_rules(
    results: Sequence[RuleResult] | Sequence[Sequence[object]],
    policy: LocalPolicy = DEFAULT_POLICY,
) -> list[FailedRule]:
    """The failed rules of a screening (``RuleResult``s, or the ``[code, passed, reason]``
    lists stored on an application), each with a title and what would fix it."""
    out = []
    for r in results:
        code, passed, reason = (
            (r.code, r.passed, r.reason) if isinstance(r, RuleResult) else tuple(r)[:3]
        )
        if not passed:
            code = str(code)
            out.append(
                FailedRule(code, RULE_TITLES.get(code, code), str(reason), rule_fix(code, policy))
            )
    return out
