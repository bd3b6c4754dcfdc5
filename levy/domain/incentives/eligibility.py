"""Which schemes an apprentice is eligible for, with the amounts and the reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from levy.domain.incentives.base import IncentiveApprentice, IncentiveError, check_scheme, day_text
from levy.domain.money import ZERO, format_money, round_pence
from levy.domain.rules import RULES, RuleBook, RuleNotFound
from levy.domain.schemes import NEW_HIRE_SCHEMES, SCHEMES

# --- eligibility --------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether one scheme pays for one apprentice, how much and when."""

    scheme: str
    eligible: bool
    amounts: tuple[Decimal, ...] = ()
    days: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()  # why not eligible
    notes: tuple[str, ...] = ()  # how the amount was decided
    claimed_by: str = "organisation"  # "organisation" applies itself; "provider" claims
    claim_from: date | None = None
    claim_to: date | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)

    @property
    def reason(self) -> str:
        """The sentence shown on the record: why not, or how the amount was decided."""
        return "; ".join(self.reasons if not self.eligible else self.notes)

    @property
    def has_window(self) -> bool:
        return self.claim_to is not None


def _window_text(first: date, last: date) -> str:
    return f"{day_text(first)} to {day_text(last)}"


def _phase_row(scheme: str, rules: RuleBook) -> dict:
    """The (only) row of a new-hire phase: its windows are in the value."""
    rows = rules.history(f"incentive.{scheme}")
    if not rows:  # pragma: no cover - the table always has the phases
        raise RuleNotFound(f"no rule 'incentive.{scheme}'")
    return rows[0].value


def _new_hire(a: IncentiveApprentice, scheme: str, rules: RuleBook) -> Eligibility:
    row = _phase_row(scheme, rules)
    try:
        # keyed by the employment start: raises outside the phase's employment window
        row = rules.value(f"incentive.{scheme}", a.employed_from)
        in_window = True
    except RuleNotFound:
        in_window = False
    reasons: list[str] = []
    notes: list[str] = []
    base = {
        "scheme": scheme,
        "days": tuple(row["days"]),
        "claimed_by": row["claimed_by"],
        "claim_from": row["claim_from"],
        "claim_to": row["claim_to"],
    }
    if not in_window:
        reasons.append(
            f"employment started {day_text(a.employed_from)}, outside this phase's "
            f"employment window ({_window_text(row['employment_from'], row['employment_to'])})"
        )
        return Eligibility(eligible=False, reasons=tuple(reasons), **base)
    if not row["start_from"] <= a.apprenticeship_start <= row["start_to"]:
        reasons.append(
            f"apprenticeship started {day_text(a.apprenticeship_start)}, outside this phase's "
            f"start window ({_window_text(row['start_from'], row['start_to'])})"
        )
    months = rules.value("incentive.new-hire.prior_employment_months", a.employed_from)
    if a.previously_employed_until is not None:
        window_from = a.employed_from - relativedelta(months=months)
        if window_from <= a.previously_employed_until < a.employed_from:
            reasons.append(f"employed by {a.employer_name} within the {months} months before")
        elif a.previously_employed_until >= a.employed_from:
            reasons.append(f"already employed by {a.employer_name}: not a new hire")
    if a.new_hire_claimed_elsewhere:
        reasons.append(
            f"one incentive per apprentice: {a.new_hire_claimed_elsewhere} already claimed"
        )
    age = a.age_at_start
    if age < row["min_age"]:
        reasons.append(f"aged {age} at start: apprentices must be {row['min_age']} or over")
    if row["amount_25_plus"] != row["amount_16_24"]:
        if age >= row["older_from_age"]:
            total = row["amount_25_plus"]
            notes.append(
                f"aged {row['older_from_age']} or over at start: "
                f"{format_money(total, pence=False)}, "
                f"not {format_money(row['amount_16_24'], pence=False)}"
            )
        else:
            total = row["amount_16_24"]
            notes.append(
                f"aged {age} at start (16 to {row['older_from_age'] - 1}): "
                f"{format_money(total, pence=False)}"
            )
    else:
        total = row["amount_16_24"]
        notes.append(f"any age: {format_money(total, pence=False)}")
    if reasons:
        return Eligibility(eligible=False, reasons=tuple(reasons), **base)
    return Eligibility(
        eligible=True, amounts=equal_split(total, len(row["days"])), notes=tuple(notes), **base
    )


def equal_split(total: Decimal, parts: int) -> tuple[Decimal, ...]:
    """Equal instalments rounded half-up to the penny, the last taking the remainder."""
    each = round_pence(total / parts)
    return (*([each] * (parts - 1)), total - each * (parts - 1))


def _employer_1618(a: IncentiveApprentice, rules: RuleBook) -> Eligibility:
    row = rules.value("incentive.16-18-employer", a.apprenticeship_start)
    base = {"scheme": "16-18-employer", "days": tuple(row["days"]), "claimed_by": row["claimed_by"]}
    age = a.age_at_start
    low, high = row["ages"]
    ext_low, ext_high = row["extended_ages"]
    amounts = tuple(row["amounts"])
    if low <= age <= high:
        return Eligibility(eligible=True, amounts=amounts, notes=(f"aged {age} at start",), **base)
    if ext_low <= age <= ext_high:
        if a.ehc_plan:
            note = f"aged {age} at start with an EHC plan"
            return Eligibility(eligible=True, amounts=amounts, notes=(note,), **base)
        if a.care_leaver and a.care_leaver_consent:
            note = f"aged {age} at start, a care leaver who consented to the employer being told"
            return Eligibility(eligible=True, amounts=amounts, notes=(note,), **base)
        if a.care_leaver:
            reason = (
                f"aged {age} at start: a care leaver, but has not consented to the "
                "employer being told"
            )
        else:
            reason = (
                f"aged {age} at start: {ext_low} to {ext_high} only with an EHC plan "
                "or as a care leaver"
            )
        return Eligibility(eligible=False, reasons=(reason,), **base)
    if age < low:
        reason = f"aged {age} at start: under {low}"
    else:
        reason = f"aged {ext_high + 1} or over at start"
    return Eligibility(eligible=False, reasons=(reason,), **base)


def _bursary(a: IncentiveApprentice, rules: RuleBook) -> Eligibility:
    key = "incentive.care-leaver-bursary"
    try:
        row = rules.value(key, a.apprenticeship_start)
    except RuleNotFound:
        first = min(r.valid_from for r in rules.history(key) if r.valid_from)
        reason = (
            f"apprenticeship started {day_text(a.apprenticeship_start)}, before the bursary "
            f"began ({day_text(first)})"
        )
        return Eligibility(
            scheme="care-leaver-bursary", eligible=False, reasons=(reason,), claimed_by="provider"
        )
    base = {
        "scheme": "care-leaver-bursary",
        "days": tuple(row["days"]),
        "claimed_by": row["claimed_by"],
    }
    reasons: list[str] = []
    if not a.care_leaver:
        reasons.append("not a care leaver")
    elif not a.care_leaver_consent:
        reasons.append("a care leaver, but has not consented to the employer being told")
    low, high = row["ages"]
    age = a.age_at_start
    if not low <= age <= high:
        reasons.append(f"aged {age} at start: the bursary is for care leavers aged {low} to {high}")
    if reasons:
        return Eligibility(eligible=False, reasons=tuple(reasons), **base)
    amounts = tuple(row["amounts"])
    note = (
        f"started {day_text(a.apprenticeship_start)}: "
        f"{format_money(sum(amounts, ZERO), pence=False)} in {len(amounts)} "
        f"payment{'s' if len(amounts) > 1 else ''}"
    )
    return Eligibility(eligible=True, amounts=amounts, notes=(note,), **base)


def eligibility(a: IncentiveApprentice, scheme: str, rules: RuleBook = RULES) -> Eligibility:
    """Whether ``scheme`` pays for apprentice ``a``, with the reason in plain English."""
    check_scheme(scheme)
    if scheme in NEW_HIRE_SCHEMES:
        return _new_hire(a, scheme, rules)
    if scheme == "16-18-employer":
        return _employer_1618(a, rules)
    return _bursary(a, rules)


def all_schemes(a: IncentiveApprentice, rules: RuleBook = RULES) -> list[Eligibility]:
    """Every scheme, in ``SCHEMES`` order, eligible or not."""
    return [eligibility(a, scheme, rules) for scheme in SCHEMES]


def eligible_schemes(a: IncentiveApprentice, rules: RuleBook = RULES) -> list[Eligibility]:
    """The schemes that pay for ``a`` (at most one new-hire phase)."""
    found = [e for e in all_schemes(a, rules) if e.eligible]
    new_hire = [e for e in found if e.scheme in NEW_HIRE_SCHEMES]
    if len(new_hire) > 1:  # pragma: no cover - the phases' windows do not overlap
        raise IncentiveError("one incentive per apprentice: more than one new-hire phase matched")
    return found
