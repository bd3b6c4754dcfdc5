"""The levy pot: lots of funds by entry month, oldest-first spending and expiry.

Rules (docs/rules.md §2-3, issue 4 rules 1 and 3; the government service's
``ExpiredFunds.cs`` in SkillsFundingAgency/das-employer-finance):

* Funds that enter in month M form a **lot** that expires in month M + n, where n
  is ``RULES.value("expiry.months", M)``: 24 before the change date, 12 from it.
* Within a month: funds in first, then payments and transfers (oldest lot
  first, by the month the funds *entered*), then expiry of the lots whose expiry
  month it is. Spending in a lot's expiry month still counts against that lot.
* After the change date, lots of different lengths can be alive together. We
  spend the **oldest entered** first, as the service does, so an older 24-month
  lot is used before a newer 12-month lot even when the newer one expires
  sooner (``docs/ledger.md``).
* A negative funds-in month (a downward adjustment) reduces the unspent part of
  the lots entered at or before it, latest first.
* A refund (negative funds out) is returned to the newest lot it could have come
  from: the newest lot still alive that has spending to give back; first it
  clears any overdraft, and what no lot can take back becomes a new lot in the
  refund month.
* Payments beyond the balance make an **overdraft** (negative balance) that the
  next funds in pay off first; that is how the service's arithmetic behaves
  (later funds in cover earlier funds out).
* A recorded expiry (the service's own, or one written by ``flask levy expire``)
  is not recomputed: that amount expires that month, taken first from the lots
  due that month and then oldest first.

For data wholly before the change this equals the closed formula
``expired(E) = max(0, in(<= E-24) - out(<= E) - expired(< E))``
(:func:`closed_form_expiry`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from levy.domain.money import ZERO
from levy.domain.months import add_months, month_of, month_range
from levy.domain.rules import RULES, RuleBook

FUNDS_IN = "funds_in"
PAYMENT = "payment"
TRANSFER = "transfer"
KINDS = (FUNDS_IN, PAYMENT, TRANSFER)


class LedgerError(ValueError):
    """Input the ledger cannot use (an unknown kind, a month that is not a month)."""


@dataclass(frozen=True)
class Movement:
    """One row of money: ``amount`` is signed as the account sees it.

    ``FUNDS_IN`` rows are levy, top-up and adjustments (negative for a downward
    adjustment); ``PAYMENT`` and ``TRANSFER`` rows are funds out as positive
    amounts (negative for a refund).
    """

    month: date
    kind: str
    amount: Decimal


@dataclass
class Lot:
    """Funds that entered in one month, with what is left of them."""

    entered: date
    expires: date
    amount: Decimal
    remaining: Decimal
    spent: Decimal = ZERO  # spent by payments/transfers and not refunded

    def copy(self) -> Lot:
        return replace(self)


@dataclass(frozen=True)
class LedgerMonth:
    month: date
    funds_in: Decimal
    payments: Decimal
    transfers: Decimal
    expired: Decimal
    balance: Decimal
    recorded: bool = False  # expiry taken from a recorded expiry


@dataclass
class Pot:
    """The state of the account between months: live lots and any overdraft.

    ``balance == sum(lot.remaining) - overdraft`` at every month end.
    """

    rules: RuleBook = RULES
    lots: list[Lot] = field(default_factory=list)
    overdraft: Decimal = ZERO

    def copy(self) -> Pot:
        return Pot(self.rules, [lot.copy() for lot in self.lots], self.overdraft)

    @property
    def balance(self) -> Decimal:
        return sum((lot.remaining for lot in self.lots), ZERO) - self.overdraft

    @property
    def available(self) -> Decimal:
        return max(ZERO, self.balance)

    def expiry_month(self, entered: date) -> date:
        return add_months(entered, self.rules.value("expiry.months", entered))

    # --- funds in -------------------------------------------------------------
    def add_funds(self, month: date, amount: Decimal) -> None:
        """Positive: a new lot (after paying off any overdraft). Negative: a
        downward adjustment, reducing lots entered at or before ``month``,
        latest first."""
        if amount > 0:
            payoff = min(self.overdraft, amount)
            self.overdraft -= payoff
            amount -= payoff
            if amount > 0:
                self._lot(month).remaining += amount
                self._lot(month).amount += amount
        elif amount < 0:
            left = -amount
            for lot in sorted(self.lots, key=lambda lot: lot.entered, reverse=True):
                if left <= 0:
                    break
                if lot.entered > month or lot.remaining <= 0:
                    continue
                take = min(lot.remaining, left)
                lot.remaining -= take
                left -= take
            self.overdraft += left
        self._tidy()

    def _lot(self, month: date) -> Lot:
        for lot in self.lots:
            if lot.entered == month:
                return lot
        lot = Lot(month, self.expiry_month(month), ZERO, ZERO)
        self.lots.append(lot)
        self.lots.sort(key=lambda item: item.entered)
        return lot

    # --- funds out ------------------------------------------------------------
    def spend(self, month: date, amount: Decimal) -> None:
        """Positive: take from the oldest-entered lots first, the rest as an
        overdraft. Negative: a refund (see :meth:`refund`)."""
        if amount < 0:
            self.refund(month, -amount)
            return
        left = amount
        for lot in self.lots:  # sorted by entry month: oldest entered first
            if left <= 0:
                break
            take = min(lot.remaining, left)
            lot.remaining -= take
            lot.spent += take
            left -= take
        self.overdraft += left
        self._tidy()

    def refund(self, month: date, amount: Decimal) -> None:
        """Give money back: clear the overdraft, then the newest live lot that
        was spent from, latest first; any rest is a new lot this month."""
        left = amount
        payoff = min(self.overdraft, left)
        self.overdraft -= payoff
        left -= payoff
        for lot in sorted(self.lots, key=lambda lot: lot.entered, reverse=True):
            if left <= 0:
                break
            if lot.expires < month or lot.spent <= 0:
                continue
            back = min(lot.spent, left)
            lot.spent -= back
            lot.remaining += back
            left -= back
        if left > 0:
            lot = self._lot(month)
            lot.amount += left
            lot.remaining += left
        self._tidy()

    # --- expiry ---------------------------------------------------------------
    def due(self, month: date) -> Decimal:
        """What would expire in ``month`` if nothing else happened."""
        return sum((lot.remaining for lot in self.lots if lot.expires == month), ZERO)

    def expire(self, month: date, recorded: Decimal | None = None) -> Decimal:
        """Expire the lots due in ``month``; or exactly ``recorded`` if the
        month's expiry was already written (due lots first, then oldest)."""
        if recorded is None:
            total = ZERO
            for lot in self.lots:
                if lot.expires == month:
                    total += lot.remaining
                    lot.remaining = ZERO
            self._tidy()
            return total
        left = recorded
        ordered = [lot for lot in self.lots if lot.expires == month] + [
            lot for lot in self.lots if lot.expires != month
        ]
        for lot in ordered:
            if left <= 0:
                break
            take = min(lot.remaining, left)
            lot.remaining -= take
            left -= take
        self.overdraft += left
        self._tidy()
        return recorded

    def _tidy(self) -> None:
        """Forget lots with nothing left and nothing to refund into."""
        self.lots = [lot for lot in self.lots if lot.remaining > 0 or lot.spent > 0]

    def forget_dead(self, month: date) -> None:
        """Lots past their expiry month with nothing left can take no refund."""
        self.lots = [lot for lot in self.lots if lot.remaining > 0 or lot.expires >= month]

    # --- one month --------------------------------------------------------------
    def run_month(
        self,
        month: date,
        funds_in: Decimal = ZERO,
        payments: Decimal = ZERO,
        transfers: Decimal = ZERO,
        recorded_expiry: Decimal | None = None,
    ) -> LedgerMonth:
        """Funds in, then payments and transfers, then expiry (rule 3)."""
        self.forget_dead(month)
        self.add_funds(month, funds_in)
        self.spend(month, payments + transfers)
        expired = self.expire(month, recorded_expiry)
        return LedgerMonth(
            month, funds_in, payments, transfers, expired, self.balance, recorded_expiry is not None
        )


@dataclass(frozen=True)
class Ledger:
    months: tuple[LedgerMonth, ...]
    pot: Pot  # the state at the end of the last month, for a forecast

    @property
    def balance(self) -> Decimal:
        return self.months[-1].balance if self.months else ZERO

    def month(self, month: date) -> LedgerMonth | None:
        for row in self.months:
            if row.month == month:
                return row
        return None


def totals_by_month(movements: Iterable[Movement]) -> dict[date, dict[str, Decimal]]:
    """Sum rows by month and kind; order of rows does not matter."""
    totals: dict[date, dict[str, Decimal]] = {}
    for row in movements:
        if row.kind not in KINDS:
            raise LedgerError(f"'{row.kind}' is not one of {', '.join(KINDS)}")
        month = month_of(row.month)
        bucket = totals.setdefault(month, dict.fromkeys(KINDS, ZERO))
        bucket[row.kind] += Decimal(row.amount)
    return totals


def build_ledger(
    movements: Iterable[Movement],
    to: date | None = None,
    recorded_expiries: Mapping[date, Decimal] | None = None,
    rules: RuleBook = RULES,
    start: date | None = None,
) -> Ledger:
    """One row per calendar month from the first month with a movement (or
    ``start``) to ``to`` (default: the last month with a movement or recorded
    expiry). Movements after ``to`` are ignored."""
    totals = totals_by_month(movements)
    recorded = {month_of(k): Decimal(v) for k, v in (recorded_expiries or {}).items()}
    known = sorted(set(totals) | set(recorded))
    if not known and start is None:
        return Ledger((), Pot(rules))
    first = start or known[0]
    last = month_of(to) if to is not None else (known[-1] if known else first)
    pot = Pot(rules)
    rows = []
    for month in month_range(first, last) if first <= last else ():
        bucket = totals.get(month, dict.fromkeys(KINDS, ZERO))
        rows.append(
            pot.run_month(
                month, bucket[FUNDS_IN], bucket[PAYMENT], bucket[TRANSFER], recorded.get(month)
            )
        )
    return Ledger(tuple(rows), pot)


def expiry_schedule(pot: Pot, horizon: int, from_month: date) -> dict[date, Decimal]:
    """What the live lots would lose in each of the next ``horizon`` months
    if no more money moved (the 'expiring by month' table)."""
    out: dict[date, Decimal] = {}
    copy = pot.copy()
    for i in range(horizon):
        month = add_months(from_month, i)
        out[month] = copy.expire(month)
    return out


def closed_form_expiry(
    movements: Sequence[Movement], to: date, expiry_months: int = 24
) -> dict[date, Decimal]:
    """The service's closed formula for data wholly before the change:
    ``expired(E) = max(0, in(<= E-n) - out(<= E) - expired(< E))``."""
    totals = totals_by_month(movements)
    if not totals:
        return {}
    first = min(totals)
    expired: dict[date, Decimal] = {}
    total_expired = ZERO
    for month in month_range(first, to):
        cutoff = add_months(month, -expiry_months)
        funds_in = sum((b[FUNDS_IN] for m, b in totals.items() if m <= cutoff), ZERO)
        out = sum((b[PAYMENT] + b[TRANSFER] for m, b in totals.items() if m <= month), ZERO)
        value = max(ZERO, funds_in - out - total_expired)
        expired[month] = value
        total_expired += value
    return expired
