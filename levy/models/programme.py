"""Standards, providers and apprentices: the records the L&D team keeps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levy.models.base import Base, Money, TimestampMixin, UTCDateTime, utcnow
from levy.models.organisation import Directorate, Organisation

APPRENTICE_STATUSES = ("future", "on programme", "break", "completed", "withdrawn", "cancelled")
PROGRAMME_TYPES = ("apprenticeship", "traineeship")


class Standard(TimestampMixin, Base):
    __tablename__ = "standard"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[int]
    route: Mapped[str] = mapped_column(String(100), default="")
    duration_months: Mapped[int]
    otj_minimum_hours: Mapped[int | None]
    demo_data: Mapped[bool] = mapped_column(default=False)

    bands: Mapped[list[FundingBand]] = relationship(
        back_populates="standard", order_by="FundingBand.valid_from", cascade="all, delete-orphan"
    )

    def band_on(self, day: date) -> Decimal | None:
        """The funding band maximum in force on ``day`` (bands change)."""
        current = None
        for band in self.bands:
            if band.valid_from <= day:
                current = band.maximum
        return current

    @property
    def label(self) -> str:
        return f"{self.title} (level {self.level}, {self.reference})"


class FundingBand(Base):
    __tablename__ = "funding_band"
    __table_args__ = (UniqueConstraint("standard_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard.id"), index=True)
    valid_from: Mapped[date]
    maximum: Mapped[Decimal] = mapped_column(Money)

    standard: Mapped[Standard] = relationship(back_populates="bands")


class Provider(TimestampMixin, Base):
    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    ukprn: Mapped[str] = mapped_column(String(8), unique=True)
    in_county: Mapped[bool] = mapped_column(default=False)
    # the council itself as employer-provider: the levy pays its own assessors
    employer_provider: Mapped[bool] = mapped_column(default=False)

    @property
    def route(self) -> str:
        return "employer-provider" if self.employer_provider else "external provider"


class Apprentice(TimestampMixin, Base):
    __tablename__ = "apprentice"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    # unique learner number (10 digits), as in the apprenticeship service's download
    uln: Mapped[str | None] = mapped_column(String(10), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    manager: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    programme_type: Mapped[str] = mapped_column(String(20), default="apprenticeship")
    standard_id: Mapped[int | None] = mapped_column(ForeignKey("standard.id"), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    agreed_price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    employment_start: Mapped[date | None]
    new_hire: Mapped[bool] = mapped_column(default=False)
    care_leaver: Mapped[bool] = mapped_column(default=False)
    care_leaver_consent_on: Mapped[date | None]
    ehc_plan: Mapped[bool] = mapped_column(default=False)
    planned_start: Mapped[date] = mapped_column(index=True)
    planned_end: Mapped[date]
    actual_start: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="future", index=True)
    # completion, withdrawal or cancellation date, and why
    status_date: Mapped[date | None]
    # left the organisation's employment (forfeits incentive instalments not yet due)
    left_employment_on: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(Text, default="")
    weekly_hours: Mapped[int | None]
    otj_hours_planned: Mapped[int | None]
    otj_hours_logged: Mapped[int | None]

    organisation: Mapped[Organisation] = relationship()
    directorate: Mapped[Directorate] = relationship()
    standard: Mapped[Standard | None] = relationship()
    provider: Mapped[Provider | None] = relationship()
    breaks: Mapped[list[ApprenticeBreak]] = relationship(
        back_populates="apprentice", order_by="ApprenticeBreak.start", cascade="all, delete-orphan"
    )
    status_history: Mapped[list[ApprenticeStatusChange]] = relationship(
        back_populates="apprentice",
        order_by="ApprenticeStatusChange.id",
        cascade="all, delete-orphan",
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def start_date(self) -> date:
        return self.actual_start or self.planned_start


class ApprenticeBreak(Base):
    __tablename__ = "apprentice_break"

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    start: Mapped[date]
    end: Mapped[date | None]

    apprentice: Mapped[Apprentice] = relationship(back_populates="breaks")


class ApprenticeStatusChange(Base):
    __tablename__ = "apprentice_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(254), default="")

    apprentice: Mapped[Apprentice] = relationship(back_populates="status_history")
