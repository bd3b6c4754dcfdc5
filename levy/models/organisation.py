"""Organisations (the council, its company, local businesses) and their directorates."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from levy.domain.months import year_label
from levy.models.base import Base, Money, TimestampMixin

ORGANISATION_KINDS = ("council", "company", "business")


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # council: the levy payer; company: its children's services company; business: transfer receiver
    kind: Mapped[str] = mapped_column(String(20), default="business")
    levy_payer: Mapped[bool] = mapped_column(default=False)

    directorates: Mapped[list[Directorate]] = relationship(
        back_populates="organisation", order_by="Directorate.name"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class Directorate(TimestampMixin, Base):
    """A directorate, service or area (the council's schools are one: "Schools")."""

    __tablename__ = "directorate"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    is_schools: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="directorates")
    years: Mapped[list[DirectorateYear]] = relationship(
        back_populates="directorate", order_by="DirectorateYear.year", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"{self.organisation.name}: {self.name}"


class DirectorateYear(Base):
    """Headcount and pay bill of a directorate in a financial year (starting 1 April ``year``)."""

    __tablename__ = "directorate_year"
    __table_args__ = (UniqueConstraint("directorate_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    year: Mapped[int]
    headcount: Mapped[int]
    pay_bill: Mapped[Decimal] = mapped_column(Money)
    # workforce age profile (headcount by age band), optional
    aged_under_30: Mapped[int | None]
    aged_50_plus: Mapped[int | None]
    aged_55_plus: Mapped[int | None]

    directorate: Mapped[Directorate] = relationship(back_populates="years")

    @property
    def year_label(self) -> str:
        return year_label(self.year)
