"""Care leavers: young people, work-experience placements and their follow-ups,
vacancies shared with the care leavers team and guaranteed interviews (issue 7, 6-10)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levy.models.base import Base, Money, TimestampMixin
from levy.models.organisation import Directorate
from levy.models.programme import Apprentice


class Hours(Money):
    """Hours to two decimal places, stored exactly as hundredths (like money in pence)."""

    cache_ok = True


class YoungPerson(TimestampMixin, Base):
    __tablename__ = "young_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    care_status: Mapped[str] = mapped_column(String(30))
    personal_adviser: Mapped[str] = mapped_column(String(200), default="")
    adviser_contact: Mapped[str] = mapped_column(String(200), default="")
    consent_hosts_on: Mapped[date | None]
    consent_employer_on: Mapped[date | None]
    support_needs: Mapped[str] = mapped_column(Text, default="")
    demo_data: Mapped[bool] = mapped_column(default=False)

    placements: Mapped[list[Placement]] = relationship(
        back_populates="young_person", order_by="Placement.planned_start"
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Placement(TimestampMixin, Base):
    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    host_organisation: Mapped[str] = mapped_column(String(200))
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorate.id"), index=True)
    service: Mapped[str] = mapped_column(String(200), default="")
    supervisor: Mapped[str] = mapped_column(String(200), default="")
    type: Mapped[str] = mapped_column(String(20))
    planned_start: Mapped[date]
    planned_end: Mapped[date]
    planned_hours: Mapped[Decimal | None] = mapped_column(Hours)
    actual_start: Mapped[date | None]
    actual_end: Mapped[date | None]
    actual_hours: Mapped[Decimal | None] = mapped_column(Hours)
    paid: Mapped[bool] = mapped_column(default=False)
    pay_reason: Mapped[str] = mapped_column(Text, default="")
    risk_assessed_on: Mapped[date | None]
    risk_assessed_by: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str | None] = mapped_column(String(20))
    feedback_young_person: Mapped[str] = mapped_column(Text, default="")
    feedback_host: Mapped[str] = mapped_column(Text, default="")

    young_person: Mapped[YoungPerson] = relationship(back_populates="placements")
    directorate: Mapped[Directorate | None] = relationship()
    follow_ups: Mapped[list[PlacementFollowUp]] = relationship(
        back_populates="placement", order_by="PlacementFollowUp.months"
    )


class PlacementFollowUp(TimestampMixin, Base):
    __tablename__ = "placement_follow_up"
    __table_args__ = (UniqueConstraint("placement_id", "months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    months: Mapped[int]
    recorded_on: Mapped[date]
    progression: Mapped[str] = mapped_column(String(30))
    apprentice_id: Mapped[int | None] = mapped_column(ForeignKey("apprentice.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")

    placement: Mapped[Placement] = relationship(back_populates="follow_ups")
    apprentice: Mapped[Apprentice | None] = relationship()


class Vacancy(TimestampMixin, Base):
    """A vacancy shared with the care leavers team."""

    __tablename__ = "vacancy"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorate.id"), index=True)
    shared_on: Mapped[date]
    closing_on: Mapped[date | None]
    minimum_criteria: Mapped[str] = mapped_column(Text, default="")
    apprenticeship: Mapped[bool] = mapped_column(default=False)

    directorate: Mapped[Directorate | None] = relationship()
    applicants: Mapped[list[VacancyApplicant]] = relationship(
        back_populates="vacancy", order_by="VacancyApplicant.id"
    )


class VacancyApplicant(TimestampMixin, Base):
    """A care leaver who applied; an interview is guaranteed if the criteria are met."""

    __tablename__ = "vacancy_applicant"
    __table_args__ = (UniqueConstraint("vacancy_id", "young_person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id"), index=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person.id"), index=True)
    applied_on: Mapped[date]
    met_minimum_criteria: Mapped[bool | None]
    interview_on: Mapped[date | None]
    interview_declined: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str] = mapped_column(String(200), default="")

    vacancy: Mapped[Vacancy] = relationship(back_populates="applicants")
    young_person: Mapped[YoungPerson] = relationship()
