"""The officers' commentary on a quarter of the quarterly report (issue 15 §3)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from levy.models.base import Base, TimestampMixin


class QuarterCommentary(TimestampMixin, Base):
    """What officers wrote about a quarter (``2020-Q4``); changes are audited."""

    __tablename__ = "quarter_commentary"

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(254), default="")
