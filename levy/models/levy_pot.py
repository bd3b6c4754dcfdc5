"""Levy pot records beyond the core transactions: recorded expiries and pay bill by month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levy.models.base import Base, Money, TimestampMixin
from levy.models.organisation import Organisation

EXPIRY_SOURCES = ("computed", "service")


class RecordedExpiry(TimestampMixin, Base):
    """An expiry once written is not recomputed (docs/rules.md §3): by ``flask levy
    expire`` (computed) or from the apprenticeship service's download (service)."""

    __tablename__ = "levy_expiry"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("source IN ('computed', 'service')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(unique=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str] = mapped_column(String(20), default="computed")


class PayBillMonth(TimestampMixin, Base):
    """Pay bill of an organisation in a payroll month (April = tax month 1)."""

    __tablename__ = "pay_bill_month"
    __table_args__ = (
        UniqueConstraint("organisation_id", "month"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    month: Mapped[date] = mapped_column(index=True)
    amount: Mapped[Decimal] = mapped_column(Money)

    organisation: Mapped[Organisation] = relationship()
