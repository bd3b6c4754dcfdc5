"""Incentive applications and the payments received for their instalments (issue 7).

Eligibility, due dates and statuses are worked out by ``levy.domain.incentives`` from
the apprentice record and its breaks; only what people record is stored here: the
application (or the date the provider was told) and each instalment received.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levy.models.base import Base, Money, TimestampMixin
from levy.models.programme import Apprentice


class IncentiveApplication(TimestampMixin, Base):
    __tablename__ = "incentive_application"
    __table_args__ = (UniqueConstraint("apprentice_id", "scheme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(30))
    applied_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_by: Mapped[str] = mapped_column(String(254), default="")

    apprentice: Mapped[Apprentice] = relationship()


class IncentiveInstalment(TimestampMixin, Base):
    """An instalment received: its scheme, number, date and amount."""

    __tablename__ = "incentive_instalment"
    __table_args__ = (
        UniqueConstraint("apprentice_id", "scheme", "number"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("number BETWEEN 1 AND 3", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(30))
    number: Mapped[int]
    paid_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money)
    recorded_by: Mapped[str] = mapped_column(String(254), default="")

    apprentice: Mapped[Apprentice] = relationship()
