"""Applicants and applications as the rules see them, and what a valid application
needs: known target groups, a short social-value text, a start today or later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from levy.domain.rules import RULES, RuleBook
from levy.domain.transfers.cost import Cost, application_cost
from levy.domain.transfers.errors import TransferError

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


SOCIAL_VALUE_MAX_WORDS = 200


def word_count(text: str) -> int:
    """Words as a person counts them: runs of non-space characters."""
    return len(str(text or "").split())


def check_start(start: date, today: date) -> None:
    """Transfers fund new starts: the planned start must be ``today`` or later (the web
    form and every other caller of the service apply it when a draft is saved)."""
    if start < today:
        raise TransferError(
            "The planned start must be today or in the future: transfers fund new starts",
            field="planned_start",
        )
