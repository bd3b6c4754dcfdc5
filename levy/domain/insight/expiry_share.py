"""Expiry traced to directorates (issue 15 §1, ``docs/insight.md``).

Each directorate generates levy in proportion to its pay bill; what it does not use
of that is what it leaves to expire:

* ``pay_bill_share`` = its pay bill ÷ all directorates' pay bills that year, a percent;
* ``generated`` = the year's funds in × that share;
* ``used`` = its apprentices' commitment schedules in the year's months;
* ``unused`` = generated − used when positive, else 0;
* ``expired_share`` = the year's expiry × its unused ÷ the total unused (all 0 when
  the total unused is 0).

Money is shared out exactly by the largest remainder method: every share is rounded
down to the penny and the pennies left over go to the largest fractional parts (ties
by organisation, then directorate name), so the shares add up to the whole.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from levy.domain.money import PENNY, ZERO

HUNDRED = Decimal(100)
PERCENT_PLACES = Decimal("0.01")


def largest_remainder(total: Decimal, weights: Sequence[tuple[Hashable, Decimal]]) -> list[Decimal]:
    """``total`` shared in proportion to the weights, to the penny, adding up exactly.

    ``weights`` are ``(tie-break key, weight)``; weights must not be negative. Each
    share is rounded down (towards zero) to the penny; the pennies left go one each to
    the largest fractional parts, equal parts in the order of their keys. All zero
    when the weights sum to zero."""
    if any(w < 0 for _, w in weights):
        raise ValueError("weights cannot be negative")
    whole = sum((Fraction(w) for _, w in weights), Fraction(0))
    if whole == 0 or not weights:
        return [ZERO for _ in weights]
    pence = int((Decimal(total) * 100).to_integral_value())
    sign = -1 if pence < 0 else 1
    pence = abs(pence)
    exact = [Fraction(pence) * Fraction(w) / whole for _, w in weights]
    floors = [int(x) for x in exact]  # x >= 0: int() rounds down
    left = pence - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), weights[i][0]))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(sign * p) / 100).quantize(PENNY) for p in floors]


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole``, two decimals, half up (0 when whole is 0)."""
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(PERCENT_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class DirectorateYear:
    """What the calculation needs of one directorate in one year."""

    organisation: str
    directorate: str
    pay_bill: Decimal
    used: Decimal


@dataclass(frozen=True)
class DirectorateExpiry:
    organisation: str
    directorate: str
    pay_bill_share: Decimal  # percent, two decimals
    generated: Decimal
    used: Decimal
    unused: Decimal
    expired_share: Decimal

    def as_dict(self) -> dict[str, str]:
        return {
            "organisation": self.organisation,
            "directorate": self.directorate,
            "pay_bill_share": f"{self.pay_bill_share:.2f}",
            "generated": f"{self.generated:.2f}",
            "used": f"{self.used:.2f}",
            "unused": f"{self.unused:.2f}",
            "expired_share": f"{self.expired_share:.2f}",
        }


def expiry_shares(
    directorates: Sequence[DirectorateYear], funds_in: Decimal, expired: Decimal
) -> list[DirectorateExpiry]:
    """One row per directorate with a pay bill, ordered by organisation then name."""
    rows = sorted(
        (d for d in directorates if d.pay_bill > 0), key=lambda d: (d.organisation, d.directorate)
    )
    total_pay = sum((d.pay_bill for d in rows), ZERO)
    keys = [(d.organisation, d.directorate) for d in rows]
    generated = largest_remainder(
        funds_in, [(k, d.pay_bill) for k, d in zip(keys, rows, strict=True)]
    )
    unused = [max(ZERO, g - d.used) for g, d in zip(generated, rows, strict=True)]
    expired_shares = largest_remainder(expired, list(zip(keys, unused, strict=True)))
    return [
        DirectorateExpiry(
            d.organisation,
            d.directorate,
            percent(d.pay_bill, total_pay),
            g,
            d.used,
            u,
            e,
        )
        for d, g, u, e in zip(rows, generated, unused, expired_shares, strict=True)
    ]
