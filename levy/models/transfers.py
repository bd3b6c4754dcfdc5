"""Levy transfers to local businesses (issue 6): the council's local policy row
(also the row locked while approving), scoring weights versions, business
registration details, applications with their history, and the outbox."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levy.models.base import Base, Money, TimestampMixin, UTCDateTime, utcnow
from levy.models.organisation import Organisation
from levy.models.user import User

APPLICATION_STATUSES = (
    "draft",
    "submitted",
    "approved",
    "rejected",
    "accepted",
    "funds used",
    "declined",
    "withdrawn",
    "withdrawn after acceptance",
    "funds expired",
)


class TransferPolicy(TimestampMixin, Base):
    """The council's local transfer policy: one row (id 1).

    Approvals lock this row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
    ``approvals`` counter update takes the database's write lock), so two officers
    cannot both spend the last of an allowance.
    """

    __tablename__ = "transfer_policy"
    __table_args__ = (
        CheckConstraint("local_share_bp >= 0 AND local_share_bp <= 10000", name="local_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the local share in basis points: 2500 = 25%
    local_share_bp: Mapped[int] = mapped_column(default=2500)
    max_employees: Mapped[int] = mapped_column(default=250)
    refuse_all_levy_payers: Mapped[bool] = mapped_column(default=False)
    max_applications_per_year: Mapped[int | None] = mapped_column(default=3)
    max_amount_per_year: Mapped[Decimal | None] = mapped_column(Money)
    # [[code, [criterion, ...]], ...]; null: the policy as written (docs/rules.md §1)
    criteria_groups: Mapped[list[Any] | None] = mapped_column(JSON)
    growth_sectors: Mapped[list[Any] | None] = mapped_column(JSON)
    # [["2021-04-01", "2021-06-30"], ...]; empty or null: open all year
    windows: Mapped[list[Any] | None] = mapped_column(JSON)
    # {"WR1": ["Worcester", false], ...}; null: the built-in approximate list
    postcode_areas: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    approvals: Mapped[int] = mapped_column(default=0)


class ScoringWeights(Base):
    """One version of the scoring weights; the newest is in force."""

    __tablename__ = "scoring_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="")


class BusinessProfile(TimestampMixin, Base):
    """What a local business told us when it registered."""

    __tablename__ = "business_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    company_number: Mapped[str] = mapped_column(String(20), default="")
    charity_number: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10))
    district: Mapped[str | None] = mapped_column(String(50))
    district_override_reason: Mapped[str] = mapped_column(Text, default="")
    employees: Mapped[int]
    pays_levy: Mapped[bool] = mapped_column(default=False)
    sends_transfers: Mapped[bool] = mapped_column(default=False)
    is_vcse: Mapped[bool] = mapped_column(default=False)
    sector: Mapped[str] = mapped_column(String(100), default="")
    pays_rates_in_county: Mapped[bool] = mapped_column(default=False)
    serves_county_residents: Mapped[bool] = mapped_column(default=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    demo_data: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship()


class TransferApplication(TimestampMixin, Base):
    __tablename__ = "transfer_application"
    __table_args__ = (
        CheckConstraint("apprentices > 0", name="apprentices"),
        CheckConstraint("duration_months > 0", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    standard_id: Mapped[int | None] = mapped_column(ForeignKey("standard.id"))
    standard_reference: Mapped[str] = mapped_column(String(20), default="")
    standard_title: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[int] = mapped_column(default=3)
    band_maximum: Mapped[Decimal] = mapped_column(Money)
    price: Mapped[Decimal] = mapped_column(Money)  # agreed price per apprentice
    duration_months: Mapped[int]
    apprentices: Mapped[int] = mapped_column(default=1)
    planned_start: Mapped[date]
    provider_name: Mapped[str] = mapped_column(String(200), default="")
    provider_in_county: Mapped[bool] = mapped_column(default=False)
    target_groups: Mapped[list[Any]] = mapped_column(JSON, default=list)
    social_value: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    is_standard: Mapped[bool] = mapped_column(default=True)
    new_start: Mapped[bool] = mapped_column(default=True)
    submitted_on: Mapped[date | None]
    approved_on: Mapped[date | None]
    accepted_on: Mapped[date | None]
    decided_on: Mapped[date | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    info_request: Mapped[str] = mapped_column(Text, default="")
    info_response: Mapped[str] = mapped_column(Text, default="")
    # screening and score as they stood at submission (or the last re-check)
    eligible: Mapped[bool | None]
    screening: Mapped[list[Any] | None] = mapped_column(JSON)
    score: Mapped[int | None]
    score_version: Mapped[int | None]
    score_breakdown: Mapped[list[Any] | None] = mapped_column(JSON)
    # the cost by financial year: {"2021": "12000.00", ...}; reserved = first year's
    cost_total: Mapped[Decimal | None] = mapped_column(Money)
    reserved: Mapped[Decimal | None] = mapped_column(Money)
    cost_shares: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    apprentices_taken: Mapped[int | None]
    actual_start: Mapped[date | None]
    demo_data: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    events: Mapped[list[TransferApplicationEvent]] = relationship(
        back_populates="application",
        order_by="TransferApplicationEvent.id",
        cascade="all, delete-orphan",
    )
    starts: Mapped[list[TransferApprenticeStart]] = relationship(
        back_populates="application",
        order_by="TransferApprenticeStart.id",
        cascade="all, delete-orphan",
    )


class TransferApprenticeStart(Base):
    """An apprentice the business reported as started on a funded application (issue 14):
    personal data, shown only to the business and the council's officers."""

    __tablename__ = "transfer_apprentice_start"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("transfer_application.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[date]
    uln: Mapped[str] = mapped_column(String(10), default="")  # empty: not known yet
    reported_on: Mapped[date]
    reported_by: Mapped[str] = mapped_column(String(254))

    application: Mapped[TransferApplication] = relationship(back_populates="starts")


class TransferApplicationEvent(Base):
    """One move in an application's life, with who made it and why."""

    __tablename__ = "transfer_application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("transfer_application.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    on: Mapped[date]
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[TransferApplication] = relationship(back_populates="events")


class OutboxMessage(Base):
    """An email the service sent (or would send): shown to admins; sent by SMTP
    when ``MAIL_SERVER`` is configured."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(Text, default="")
