"""The levy account reconciled with the apprenticeship service's download (issue 15 §2).

The service pays providers monthly for each learner; its download has one row per
learner, month and payment type with the learner's ULN. A payment belongs to the
month of its transaction date less the payment lag (``LEVY_PAYMENT_LAG_MONTHS``,
``docs/ledger.md``): the service pays for a learning month in the next month's
period-end run. The checks (``docs/insight.md``):

* ``unknown_learner``: a payment for a ULN no apprentice record has (one per ULN and month);
* ``missing_payment``: an apprentice with a ULN whose schedule has an instalment in a
  month from the file's first to its last payment month, and no payment that month;
* ``amount_differs``: the file's total for a ULN and month (paid from levy + the
  employer's and the government's contributions, as a positive amount) differs from
  the schedule's by more than the tolerance (£1);
* ``after_end``: a payment for a month after the apprentice withdrew or completed;
* ``expiry_differs``: the service's expired levy for a month differs from ours by more
  than the tolerance;
* ``no_uln``: an apprentice whose programme overlaps the file's payment months and who
  has no ULN, listed once (month null).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from levy.domain.import_rows import DasDownload
from levy.domain.money import ZERO, format_money, round_pence
from levy.domain.months import add_months, format_day, format_month, month_of

TOLERANCE = Decimal("1.00")
KINDS = (
    "unknown_learner",
    "missing_payment",
    "amount_differs",
    "after_end",
    "expiry_differs",
    "no_uln",
)
KIND_TITLES = {
    "unknown_learner": "Payments for learners we have no record of",
    "missing_payment": "Instalments due that the service did not pay",
    "amount_differs": "Payments that differ from the schedule",
    "after_end": "Payments after the apprentice left or completed",
    "expiry_differs": "Expired levy that differs from ours",
    "no_uln": "Apprentices without a ULN (cannot be matched)",
}


@dataclass(frozen=True)
class LearnerPayment:
    """One payment row of the download, amounts as the file has them (negative)."""

    row: int
    uln: str | None
    day: date  # the transaction date
    type: str
    paid_from_levy: Decimal
    employer: Decimal
    government: Decimal

    @property
    def amount(self) -> Decimal:
        """Paid from levy + your contribution + government contribution, positive."""
        return -(self.paid_from_levy + self.employer + self.government)


@dataclass(frozen=True)
class ServiceDownload:
    """The service's transaction download read both ways (``levy.importers.service_download``)."""

    download: DasDownload  # month totals, as the ledger import reads them
    payments: list[LearnerPayment]  # one per payment row, with its ULN


@dataclass(frozen=True)
class Learner:
    """An apprentice record as the reconciliation needs it."""

    reference: str
    uln: str | None
    schedule: Mapping[date, Decimal]  # month -> amount due (all payment kinds summed)
    start: date
    end: date  # planned end, or the withdrawal or completion date
    ended: str | None = None  # "withdrawn" or "completed"
    ended_on: date | None = None


@dataclass(frozen=True)
class Problem:
    kind: str
    month: date | None
    uln: str | None
    reference: str | None
    expected: Decimal | None
    actual: Decimal | None
    message: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "month": None if self.month is None else format_month(self.month),
            "uln": self.uln,
            "reference": self.reference,
            "expected": None if self.expected is None else f"{self.expected:.2f}",
            "actual": None if self.actual is None else f"{self.actual:.2f}",
            "message": self.message,
        }


def payment_month(day: date, lag: int) -> date:
    """The learning month a payment is for: its transaction month less the lag."""
    return add_months(month_of(day), -lag)


@dataclass
class LearnerTotals:
    by_key: dict[tuple[str | None, date], Decimal] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None


def learner_totals(payments: Iterable[LearnerPayment], lag: int) -> LearnerTotals:
    """The file's total per (ULN, payment month), rounded to pence after summing."""
    out = LearnerTotals()
    raw: dict[tuple[str | None, date], Decimal] = {}
    for p in payments:
        month = payment_month(p.day, lag)
        key = (p.uln or None, month)
        raw[key] = raw.get(key, ZERO) + p.amount
        out.first = month if out.first is None else min(out.first, month)
        out.last = month if out.last is None else max(out.last, month)
    out.by_key = {k: round_pence(v) for k, v in raw.items()}
    return out


def _when(month: date) -> str:
    return month.strftime("%B %Y")


def learner_problems(
    payments: Sequence[LearnerPayment], learners: Sequence[Learner], lag: int
) -> list[Problem]:
    """Every learner-level problem, in kind order then month, ULN and reference."""
    totals = learner_totals(payments, lag)
    by_uln = {lr.uln: lr for lr in learners if lr.uln}
    problems: list[Problem] = []
    for (uln, month), actual in sorted(
        totals.by_key.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")
    ):
        learner = by_uln.get(uln) if uln else None
        if learner is None:
            problems.append(
                Problem(
                    "unknown_learner",
                    month,
                    uln,
                    None,
                    None,
                    actual,
                    f"The service paid {format_money(actual)} for {_when(month)} for ULN "
                    f"{uln or '(blank)'}, but no apprentice record has that ULN. Add the ULN "
                    "to the right record, or ask the provider who the learner is.",
                )
            )
            continue
        if learner.ended_on is not None and month > month_of(learner.ended_on):
            problems.append(
                Problem(
                    "after_end",
                    month,
                    uln,
                    learner.reference,
                    ZERO,
                    actual,
                    f"The service paid {format_money(actual)} for {_when(month)} for "
                    f"{learner.reference}, who {learner.ended} on "
                    f"{format_day(learner.ended_on)}. Tell the provider to record "
                    "the end in the ILR, or correct the record here.",
                )
            )
            continue
        expected = learner.schedule.get(month, ZERO)
        if abs(actual - expected) > TOLERANCE:
            problems.append(
                Problem(
                    "amount_differs",
                    month,
                    uln,
                    learner.reference,
                    expected,
                    actual,
                    f"The service paid {format_money(actual)} for {_when(month)} for "
                    f"{learner.reference}; the schedule says {format_money(expected)} "
                    f"(a difference of {format_money(actual - expected)}). Check the agreed "
                    "price and dates with the provider.",
                )
            )
    if totals.first is not None and totals.last is not None:
        for learner in sorted(learners, key=lambda lr: lr.reference):
            if not learner.uln:
                continue
            for month, expected in sorted(learner.schedule.items()):
                if not totals.first <= month <= totals.last or expected == 0:
                    continue
                if (learner.uln, month) in totals.by_key:
                    continue
                problems.append(
                    Problem(
                        "missing_payment",
                        month,
                        learner.uln,
                        learner.reference,
                        expected,
                        None,
                        f"{learner.reference}'s schedule has {format_money(expected)} due for "
                        f"{_when(month)}, but the file has no payment for ULN {learner.uln} "
                        "that month. Ask the provider whether they claimed it, and check the "
                        "apprentice's status and breaks.",
                    )
                )
        for learner in sorted(learners, key=lambda lr: lr.reference):
            if learner.uln:
                continue
            if learner.start > add_months(totals.last, 1) or month_of(learner.end) < totals.first:
                continue
            problems.append(
                Problem(
                    "no_uln",
                    None,
                    None,
                    learner.reference,
                    None,
                    None,
                    f"{learner.reference} has no ULN, so the service's payments cannot be "
                    "matched to the record. Add the 10-digit ULN from the provider.",
                )
            )
    order = {k: i for i, k in enumerate(KINDS)}
    problems.sort(
        key=lambda p: (order[p.kind], p.month or date.min, p.uln or "", p.reference or "")
    )
    return problems


def expiry_problems(
    service: Mapping[date, Decimal], ours: Mapping[date, Decimal], months: Iterable[date]
) -> list[Problem]:
    """A month whose service expiry differs from ours by more than the tolerance."""
    problems = []
    for month in sorted(months):
        theirs, mine = service.get(month, ZERO), ours.get(month, ZERO)
        if abs(theirs - mine) > TOLERANCE:
            problems.append(
                Problem(
                    "expiry_differs",
                    month,
                    None,
                    None,
                    mine,
                    theirs,
                    f"The service says {format_money(theirs)} of levy expired in "
                    f"{_when(month)}; our ledger works out {format_money(mine)}. Check the "
                    "funds in and payments of the months 24 (or 12) before it.",
                )
            )
    return problems


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(
        problems,
        key=lambda p: (order[p.kind], p.month or date.min, p.uln or "", p.reference or ""),
    )
