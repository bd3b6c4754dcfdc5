"""Request-to-recruit screening log and the quota method finance chooses per year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levy.models.base import Base, TimestampMixin
from levy.models.organisation import Directorate

SCREENING_OUTCOMES = ("apprenticeship", "care-leaver opportunity", "neither")
QUOTA_METHODS = ("headcount", "pay bill")


class RecruitRequest(TimestampMixin, Base):
    """A request to recruit and the apprenticeship team's screening outcome."""

    __tablename__ = "recruit_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    job_title: Mapped[str] = mapped_column(String(200))
    received_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(254), default="")

    directorate: Mapped[Directorate] = relationship()


class QuotaSetting(TimestampMixin, Base):
    """How directorate quotas are shared out in the financial year starting 1 April ``year``."""

    __tablename__ = "quota_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    method: Mapped[str] = mapped_column(String(20), default="headcount")
