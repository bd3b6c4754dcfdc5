"""The transfer allowance of a financial year (base, statutory and local shares, cap,
paid, committed, remaining) and the approval check against it (issue 6 §1-3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from levy.domain.money import ZERO, format_money, money_str, round_pence
from levy.domain.months import (
    Year,
    financial_year_starting,
)
from levy.domain.rules import RULES, RuleBook
from levy.domain.transfers.cost import Cost, YearShare
from levy.domain.transfers.errors import AllowanceExceeded

DEFAULT_LOCAL_SHARE = Decimal("0.25")
HUNDRED = Decimal(100)

# Ledger row kinds the allowance reads (the core ledger's LevyTransaction.kind).
KIND_LEVY = "levy"
KIND_TOP_UP = "top-up"
KIND_TRANSFER = "transfer"


def _pct(share: Decimal) -> str:
    """``Decimal('0.25')`` to ``"25.00"``."""
    return f"{(share * HUNDRED).quantize(Decimal('0.01')):.2f}"


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
    top-up (10% until the 2026 change; the rule table's ``levy.top_up_rate``)."""
    english = levy_declared * english_fraction
    return round_pence(english + english * rules.value("levy.top_up_rate", month))


def base_window(year_start: int) -> tuple[date, date]:
    """The ledger dates whose levy and top-up make a year's base: 1 May of the
    year before to 30 April of the year (the previous tax year's payroll months,
    each entering the account the month after)."""
    return date(year_start - 1, 5, 1), date(year_start, 4, 30)


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


def check_approval(cost: Cost, allowances: Mapping[int, Allowance]) -> None:
    """Refuse an approval whose share in any year with a known allowance is more
    than that year's remaining allowance (the first year's share is what approval
    reserves; a later year is checked once its allowance is known)."""
    for share in cost.shares:
        allowance_for_year = allowances.get(share.year_start)
        if allowance_for_year is not None:
            allowance_for_year.check_reserve(share.amount)
