"""The quarterly report's RAG and direction rules (issue 15 §3, ``docs/insight.md``).

* Where higher is better: green when actual ≥ target, amber when actual ≥ the
  ``report.amber_share`` of the target (90%), red otherwise.
* Expired levy (lower is better, target £0.00): green at zero, amber up to the
  ``report.expired_amber_share`` of the quarter's funds in (5%), red above.
* No target: no RAG. Direction compares actual with the previous quarter's, minding
  which way is better: ``improving``, ``worsening`` or ``no change``; none without a
  previous value.

The thresholds are rows of the rule table, keyed by the quarter's last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from levy.domain.money import format_money, format_percent
from levy.domain.rules import RULES, RuleBook

GREEN, AMBER, RED = "green", "amber", "red"
IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no change"
COUNT, MONEY, PERCENT = "count", "money", "percent"

Number = int | Decimal


def rag_higher_better(
    actual: Number | None, target: Number | None, on: date, rules: RuleBook = RULES
) -> str | None:
    if actual is None or target is None:
        return None
    if actual >= target:
        return GREEN
    if Decimal(actual) >= Decimal(target) * rules.value("report.amber_share", on):
        return AMBER
    return RED


def rag_expired(
    expired: Decimal | None, funds_in: Decimal, on: date, rules: RuleBook = RULES
) -> str | None:
    if expired is None:
        return None
    if expired <= 0:
        return GREEN
    if expired <= funds_in * rules.value("report.expired_amber_share", on):
        return AMBER
    return RED


def direction(
    actual: Number | None, previous: Number | None, higher_is_better: bool = True
) -> str | None:
    if actual is None or previous is None:
        return None
    if actual == previous:
        return NO_CHANGE
    better = actual > previous if higher_is_better else actual < previous
    return IMPROVING if better else WORSENING


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str  # count, money or percent
    target: Number | None
    actual: Number | None
    previous: Number | None
    rag: str | None
    direction: str | None
    definition: str = ""
    places: int = 2  # decimals a percent is written with

    def _text(self, value: Number | None) -> Any:
        if value is None:
            return None
        if self.unit == COUNT:
            return int(value)
        if self.unit == PERCENT:
            return f"{Decimal(value):.{self.places}f}"
        return f"{Decimal(value):.2f}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "target": self._text(self.target),
            "actual": self._text(self.actual),
            "previous": self._text(self.previous),
            "rag": self.rag,
            "direction": self.direction,
        }

    def display(self, value: Number | None) -> str:
        if value is None:
            return "–"
        if self.unit == COUNT:
            return f"{int(value):,}"
        if self.unit == PERCENT:  # held as a percentage (95.5), shown as one
            return format_percent(Decimal(value) / 100, self.places)
        return format_money(Decimal(value))
