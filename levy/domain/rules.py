"""The one table of dated rules.

Every rule that changed on a date is a row here with ``valid_from`` and
``valid_to`` (both inclusive, ``None`` for open), its value and its public
source. Code asks ``rules.value(key, on)`` with the date that matters (usually
the apprenticeship's start, or the month money moved) and never writes a dated
``if`` of its own.

Some rows change on the **2026 levy change date** (top-up ends, 12-month
expiry, 75% government co-investment). docs/rules.md §2 notes that sources differ
(August or April 2026), so that date is configuration: ``rulebook(change_date)``
builds the table for a given date; ``RULES`` uses the default, 1 August 2026, and
is never rewritten. The app builds its own table from ``LEVY_CHANGE_DATE``
(``levy.rules_config``) and services pass it in as ``rules``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

DEFAULT_CHANGE_DATE = date(2026, 8, 1)

GOVUK = "https://www.gov.uk"
SRC_LEVY = f"{GOVUK}/guidance/pay-apprenticeship-levy (HMRC ALM, from 6 Apr 2017)"
SRC_FUNDS = f"{GOVUK}/government/publications/apprenticeship-funding-rules"
SRC_EXPIRY = "das-employer-finance ExpiredFunds.cs; apprenticeship service help centre"
SRC_CHANGE = "Autumn Budget 2025; ministerial answer 11 Feb 2026 (date is configuration)"
SRC_BANDS = f"{GOVUK}/government/publications/apprenticeship-funding-bands (since Aug 2018)"
SRC_COINVEST = f"{GOVUK}/guidance/apprenticeship-funding-rules (co-investment)"
SRC_TRANSFER = f"{GOVUK}/guidance/transferring-apprenticeship-levy-funds-to-another-business"
SRC_DURATION = f"{GOVUK}/government/publications/apprenticeship-funding-rules (minimum duration)"
SRC_OTJ = f"{GOVUK}/government/publications/apprenticeships-off-the-job-training"
SRC_L7 = f"{GOVUK}/government/news (level 7 funding from 1 Jan 2026)"
SRC_TARGET = "SI 2017/513 Public Sector Apprenticeship Targets Regulations"
SRC_INCENTIVE = f"{GOVUK}/guidance/incentive-payments-for-hiring-a-new-apprentice"
SRC_1618 = f"{GOVUK}/government/publications/apprenticeship-funding-rules (16-18 payments)"
SRC_REPORT = "The council's quarterly apprenticeship report (docs/insight.md)"
SRC_BURSARY = f"{GOVUK}/guidance/care-leavers-bursary (apprenticeship care leavers' bursary)"


@dataclass(frozen=True)
class Rule:
    key: str
    value: Any
    valid_from: date | None
    valid_to: date | None
    source: str
    note: str = ""

    @property
    def title(self) -> str:
        """The rule's plain name (``TITLES``), shown on pages instead of its key."""
        return rule_title(self.key)

    @property
    def source_name(self) -> str:
        return source_link(self.source)[0]

    @property
    def source_url(self) -> str | None:
        return source_link(self.source)[1]

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


# Each rule key's plain name: the one place a key becomes words on a page.
TITLES = {
    "levy.rate": "Apprenticeship levy rate",
    "levy.allowance_per_year": "Levy allowance a year",
    "levy.allowance_per_tax_month": "Levy allowance a tax month",
    "levy.top_up_rate": "Government top-up",
    "expiry.months": "Months before levy funds expire",
    "payments.completion_share": "Share paid on completion",
    "payments.qualifying_days": "Qualifying period",
    "bands.maximum": "Funding band maximum",
    "bands.minimum": "Funding band minimum",
    "coinvest.employer_rate": "Employer co-investment",
    "coinvest.government_rate": "Government co-investment",
    "transfer.statutory_share": "Share of levy funds that can be transferred",
    "transfer.pledge_minimum": "Smallest transfer pledge",
    "transfer.max_duration_months": "Longest transfer",
    "transfer.accept_days": "Days to accept a transfer",
    "transfer.pending_months": "Months a transfer application can wait",
    "transfer.unused_months": "Months before an unused transfer lapses",
    "programme.min_duration_months": "Minimum duration",
    "programme.otj": "Off-the-job training",
    "programme.level7_max_age": "Level 7 age limit",
    "programme.foundation_ages": "Foundation apprenticeship ages",
    "target.public_sector_rate": "Public sector apprenticeship target",
    "report.amber_share": "Quarterly report amber share",
    "report.expired_amber_share": "Quarterly report expired-funds amber share",
    "incentive.new-hire-1": "New-hire incentive (first scheme)",
    "incentive.new-hire-2": "New-hire incentive (second scheme)",
    "incentive.new-hire-3": "New-hire incentive (third scheme)",
    "incentive.new-hire.prior_employment_months": "New-hire incentive: months since last employed",
    "incentive.16-18-employer": "16 to 18 year old employer payment",
    "incentive.care-leaver-bursary": "Care leavers' bursary",
}
# the plain names of the public sources, by the address they start with
SOURCE_NAMES = {
    f"{GOVUK}/guidance/pay-apprenticeship-levy": "Pay Apprenticeship Levy (HMRC)",
    f"{GOVUK}/government/publications/apprenticeship-funding-rules": "Apprenticeship funding rules",
    f"{GOVUK}/guidance/apprenticeship-funding-rules": "Apprenticeship funding rules",
    f"{GOVUK}/government/publications/apprenticeship-funding-bands": "Apprenticeship funding bands",
    f"{GOVUK}/guidance/transferring-apprenticeship-levy-funds-to-another-business": (
        "Transferring apprenticeship levy funds"
    ),
    f"{GOVUK}/government/publications/apprenticeships-off-the-job-training": (
        "Apprenticeships: off-the-job training"
    ),
    f"{GOVUK}/government/news": "GOV.UK news: level 7 apprenticeship funding",
    f"{GOVUK}/guidance/incentive-payments-for-hiring-a-new-apprentice": (
        "Incentive payments for hiring a new apprentice"
    ),
    f"{GOVUK}/guidance/care-leavers-bursary": "Care leavers' bursary",
}


def rule_title(key: str) -> str:
    """The plain name of a rule key; a key without one reads as its last part, in words."""
    if key in TITLES:
        return TITLES[key]
    return key.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").capitalize()


def source_link(source: str) -> tuple[str, str | None]:
    """A source as (name to show, address or None): an address becomes its plain name."""
    address, _, rest = source.partition(" ")
    if not address.startswith("https://"):
        return source, None
    name = SOURCE_NAMES.get(address)
    if name is None:
        name = rest.strip(" ()") or "GOV.UK guidance"
    return name, address


class RuleNotFound(LookupError):
    pass


class RuleBook:
    def __init__(self, rules: Iterable[Rule], change_date: date) -> None:
        self.rules = tuple(rules)
        self.change_date = change_date
        self._by_key: dict[str, list[Rule]] = {}
        for rule in self.rules:
            self._by_key.setdefault(rule.key, []).append(rule)

    def entry(self, key: str, on: date) -> Rule:
        for rule in self._by_key.get(key, ()):
            if rule.applies_on(on):
                return rule
        raise RuleNotFound(f"no rule '{key}' applies on {on.isoformat()}")

    def value(self, key: str, on: date) -> Any:
        return self.entry(key, on).value

    def history(self, key: str) -> list[Rule]:
        return list(self._by_key.get(key, ()))

    def keys(self) -> list[str]:
        return list(self._by_key)


def _day_before(day: date) -> date:
    return day - timedelta(days=1)


def rulebook(change_date: date = DEFAULT_CHANGE_DATE) -> RuleBook:
    before_change = _day_before(change_date)
    rules = [
        # --- Levy in (docs/rules.md §2) -------------------------------------------------
        Rule("levy.rate", Decimal("0.005"), date(2017, 4, 6), None, SRC_LEVY),
        Rule("levy.allowance_per_year", Decimal("15000"), date(2017, 4, 6), None, SRC_LEVY),
        Rule("levy.allowance_per_tax_month", Decimal("1250"), date(2017, 4, 6), None, SRC_LEVY),
        Rule("levy.top_up_rate", Decimal("0.10"), date(2017, 4, 6), before_change, SRC_FUNDS),
        Rule("levy.top_up_rate", Decimal("0"), change_date, None, SRC_CHANGE),
        # --- Spend and expiry (docs/rules.md §3), keyed by the month funds entered -------
        Rule("expiry.months", 24, None, before_change, SRC_EXPIRY),
        Rule("expiry.months", 12, change_date, None, SRC_CHANGE),
        Rule("payments.completion_share", Decimal("0.20"), None, None, SRC_FUNDS),
        Rule("payments.qualifying_days", 42, None, None, SRC_FUNDS),
        Rule("bands.maximum", Decimal("27000"), date(2018, 8, 1), None, SRC_BANDS),
        Rule("bands.minimum", Decimal("1500"), date(2018, 8, 1), None, SRC_BANDS),
        # co-investment: employer share keyed by apprenticeship start date
        Rule("coinvest.employer_rate", Decimal("0.10"), None, date(2019, 3, 31), SRC_COINVEST),
        Rule("coinvest.employer_rate", Decimal("0.05"), date(2019, 4, 1), None, SRC_COINVEST),
        # government share of a shortfall keyed by the payment month: the rest
        # of the shortfall before the change, 75% from it (docs/rules.md §2)
        Rule(
            "coinvest.government_rate",
            None,
            None,
            before_change,
            SRC_COINVEST,
            "None means: whatever the employer rate leaves",
        ),
        Rule("coinvest.government_rate", Decimal("0.75"), change_date, None, SRC_CHANGE),
        # --- Transfers (docs/rules.md §4), keyed by the financial year's first day ----
        Rule(
            "transfer.statutory_share",
            Decimal("0.10"),
            date(2018, 4, 1),
            date(2019, 3, 31),
            SRC_TRANSFER,
        ),
        Rule(
            "transfer.statutory_share",
            Decimal("0.25"),
            date(2019, 4, 1),
            date(2024, 3, 31),
            SRC_TRANSFER,
        ),
        Rule(
            "transfer.statutory_share",
            Decimal("0.50"),
            date(2024, 4, 1),
            None,
            SRC_TRANSFER,
            "22 Apr 2024 in the service; the council's year starts 1 Apr",
        ),
        Rule("transfer.pledge_minimum", Decimal("2000"), None, None, SRC_TRANSFER),
        Rule("transfer.max_duration_months", 60, None, None, SRC_TRANSFER),
        Rule("transfer.accept_days", 42, None, None, SRC_TRANSFER),
        Rule("transfer.pending_months", 3, None, None, SRC_TRANSFER),
        Rule("transfer.unused_months", 3, None, None, SRC_TRANSFER),
        # --- Programme rules (docs/rules.md §6), keyed by apprenticeship start --------
        Rule("programme.min_duration_months", 12, None, date(2025, 7, 31), SRC_DURATION),
        Rule("programme.min_duration_months", 8, date(2025, 8, 1), None, SRC_DURATION),
        Rule(
            "programme.otj",
            {"method": "percent", "percent": Decimal("0.20")},
            None,
            date(2022, 7, 31),
            SRC_OTJ,
        ),
        Rule(
            "programme.otj",
            {
                "method": "hours_per_week",
                "hours": Decimal("6"),
                "full_time_hours": Decimal("30"),
                "percent": Decimal("0.20"),
            },
            date(2022, 8, 1),
            date(2025, 7, 31),
            SRC_OTJ,
        ),
        Rule(
            "programme.otj",
            {"method": "standard_minimum", "percent": Decimal("0.20")},
            date(2025, 8, 1),
            None,
            SRC_OTJ,
        ),
        Rule(
            "programme.level7_max_age",
            None,
            None,
            date(2025, 12, 31),
            SRC_L7,
            "no age limit on level 7 before 2026",
        ),
        Rule(
            "programme.level7_max_age",
            {"default": 21, "care_leaver_or_ehcp": 24},
            date(2026, 1, 1),
            None,
            SRC_L7,
        ),
        Rule("programme.foundation_ages", (16, 21), date(2025, 8, 1), None, SRC_DURATION),
        Rule(
            "target.public_sector_rate",
            Decimal("0.023"),
            date(2017, 4, 1),
            date(2022, 3, 31),
            SRC_TARGET,
            "ended 31 Mar 2022; reporting continues voluntarily",
        ),
        Rule(
            "target.public_sector_rate",
            Decimal("0.023"),
            date(2022, 4, 1),
            None,
            SRC_TARGET,
            "no statutory target; the council keeps 2.3% as its own default",
        ),
        # --- Quarterly report RAG (issue 15 §3, docs/insight.md), keyed by the quarter's
        # last day: amber from this share of the target where higher is better; expired
        # levy amber up to this share of the quarter's funds in
        Rule("report.amber_share", Decimal("0.90"), None, None, SRC_REPORT),
        Rule("report.expired_amber_share", Decimal("0.05"), None, None, SRC_REPORT),
        # --- Incentives (docs/rules.md §5) ---------------------------------------------
        # New-hire phases are keyed by the employment start (each row's valid_from/to
        # is the employment window); amounts by age at the apprenticeship start; the
        # organisation applies once, inside claim_from..claim_to. Paid 50% at day 90
        # and 50% at day 365 in learning.
        Rule(
            "incentive.new-hire-1",
            {
                "amount_16_24": Decimal("2000"),
                "amount_25_plus": Decimal("1500"),
                "min_age": 16,
                "older_from_age": 25,
                "employment_from": date(2020, 8, 1),
                "employment_to": date(2021, 3, 31),
                "start_from": date(2020, 8, 1),
                "start_to": date(2021, 5, 31),
                "claim_from": date(2020, 8, 1),
                "claim_to": date(2021, 5, 31),
                "days": (90, 365),
                "claimed_by": "organisation",
            },
            date(2020, 8, 1),
            date(2021, 3, 31),
            SRC_INCENTIVE,
            "keyed by employment start (originally to 31 Jan 2021, extended to 31 Mar)",
        ),
        Rule(
            "incentive.new-hire-2",
            {
                "amount_16_24": Decimal("3000"),
                "amount_25_plus": Decimal("3000"),
                "min_age": 16,
                "older_from_age": 25,
                "employment_from": date(2021, 4, 1),
                "employment_to": date(2021, 9, 30),
                "start_from": date(2021, 4, 1),
                "start_to": date(2021, 11, 30),
                "claim_from": date(2021, 6, 1),
                "claim_to": date(2021, 11, 30),
                "days": (90, 365),
                "claimed_by": "organisation",
            },
            date(2021, 4, 1),
            date(2021, 9, 30),
            SRC_INCENTIVE,
            "keyed by employment start",
        ),
        Rule(
            "incentive.new-hire-3",
            {
                "amount_16_24": Decimal("3000"),
                "amount_25_plus": Decimal("3000"),
                "min_age": 16,
                "older_from_age": 25,
                "employment_from": date(2021, 10, 1),
                "employment_to": date(2022, 1, 31),
                "start_from": date(2021, 10, 1),
                "start_to": date(2022, 3, 31),
                "claim_from": date(2022, 1, 11),
                "claim_to": date(2022, 5, 20),
                "days": (90, 365),
                "claimed_by": "organisation",
            },
            date(2021, 10, 1),
            date(2022, 1, 31),
            SRC_INCENTIVE,
            "keyed by employment start",
        ),
        Rule("incentive.new-hire.prior_employment_months", 6, None, None, SRC_INCENTIVE),
        # 16-18 employer payment: ages at the apprenticeship start; 19-24 only with
        # an EHC plan or as a care leaver who consents to the employer being told.
        Rule(
            "incentive.16-18-employer",
            {
                "amounts": (Decimal("500"), Decimal("500")),
                "days": (90, 365),
                "ages": (16, 18),
                "extended_ages": (19, 24),
                "claimed_by": "provider",
            },
            None,
            None,
            SRC_1618,
        ),
        # Care leavers' bursary (to the apprentice), keyed by the apprenticeship start.
        Rule(
            "incentive.care-leaver-bursary",
            {
                "amounts": (Decimal("1000"),),
                "days": (60,),
                "ages": (16, 24),
                "claimed_by": "provider",
            },
            date(2018, 8, 1),
            date(2023, 7, 31),
            SRC_BURSARY,
            "keyed by apprenticeship start",
        ),
        Rule(
            "incentive.care-leaver-bursary",
            {
                "amounts": (Decimal("1000"), Decimal("1000"), Decimal("1000")),
                "days": (60, 120, 300),
                "ages": (16, 24),
                "claimed_by": "provider",
            },
            date(2023, 8, 1),
            None,
            SRC_BURSARY,
            "keyed by apprenticeship start",
        ),
    ]
    return RuleBook(rules, change_date)


RULES = rulebook()
