"""The council's levy account: one row per transaction, grouped into calendar months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from levy.models.base import Base, Money, TimestampMixin

TRANSACTION_TYPES = ("levy", "top-up", "payment", "transfer", "adjustment")
FUNDS_IN_TYPES = ("levy", "top-up")
FUNDS_OUT_TYPES = ("payment", "transfer")


class LevyTransaction(TimestampMixin, Base):
    """Money in or out of the levy account in a calendar month.

    ``amount`` is as written in the workbook: positive for levy, top-up,
    payment and transfer (a negative payment is a refund); signed for an
    adjustment (positive adds funds).
    """

    __tablename__ = "levy_transaction"
    __table_args__ = (
        CheckConstraint(
            "type IN ('levy', 'top-up', 'payment', 'transfer', 'adjustment')", name="type"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(index=True)
    type: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money)
    reference: Mapped[str] = mapped_column(String(200), default="")
    # where the row came from (file name, "transfers", "das-download"...) and a
    # key unique within that source, so importing the same file twice changes nothing
    source: Mapped[str] = mapped_column(String(100), default="")
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
