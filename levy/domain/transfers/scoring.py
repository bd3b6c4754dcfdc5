"""Scoring (issue 6 §7): rank points for an eligible application from a versioned
weights table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from levy.domain.transfers.applicants import TARGET_GROUPS, Application, Organisation
from levy.domain.transfers.eligibility import DEFAULT_POLICY, LocalPolicy, criterion_met
from levy.domain.transfers.errors import TransferError

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
MEDIUM_BELOW = 250
# Not a weight an admin sets: an organisation of 250 or more is not small or medium, gets no
# size points and fails the size rule (``receiver.size``) under the default policy.
LARGE = "size.large"
LARGE_LABEL = "Not a small or medium business (250 or more employees): no size points"


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
    """Micro under 10, small under 50, medium under 250, large otherwise."""
    if employees < MICRO_BELOW:
        return "size.micro"
    if employees < SMALL_BELOW:
        return "size.small"
    if employees < MEDIUM_BELOW:
        return "size.medium"
    return LARGE


def score(
    org: Organisation,
    app: Application,
    first_time: bool,
    scoring: ScoringRules = DEFAULT_SCORING,
    policy: LocalPolicy = DEFAULT_POLICY,
) -> Score:
    """Rank points for an eligible application, with the breakdown and the
    rule-set version used."""
    codes = [size_band(org.employees)]
    if org.is_vcse:
        codes.append("vcse")
    codes += [f"target.{g}" for g in TARGET_GROUPS if g in app.target_groups]
    if app.level >= 3:
        codes.append("level3_plus")
    if criterion_met("growth_sector", org, app, policy):
        codes.append("priority_sector")
    if app.provider_in_county:
        codes.append("county_provider")
    if first_time:
        codes.append("first_time")
    lines = tuple(
        ScoreLine(c, LARGE_LABEL, 0)
        if c == LARGE
        else ScoreLine(c, SCORE_LABELS.get(c, c), scoring.weight(c))
        for c in codes
    )
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
