"""Stored forecast projections, the version of their inputs, and uploads waiting for
"confirm" (issue 13).

Every flush or bulk statement that writes a row of a table the forecast reads
(:data:`INPUT_TABLES`) bumps ``projection_inputs.version`` in the same transaction, so a
projection stored under an older version is never read as current
(``levy/services/projection.py``, ``docs/ledger.md``). The listeners live here because
every database write imports the models, whichever area makes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Mapped, Session, mapped_column

from levy.domain.projection import ACCOUNT, ANY_DATA
from levy.models.base import Base, UTCDateTime, utcnow

INPUT_TABLES = frozenset(
    {
        "levy_transaction",
        "levy_expiry",
        "pay_bill_month",
        "organisation",
        "directorate",
        "standard",
        "funding_band",
        "apprentice",
        "apprentice_break",
        "apprentice_status_change",
        "transfer_application",
        "transfer_policy",
    }
)
"""Tables whose rows the forecast reads: a write to any of them makes it stale."""


NOT_DATA = frozenset(
    {
        "audit_event",
        "login_attempt",
        "forecast_projection",
        "projection_inputs",
        "pending_upload",
        "outbox_message",
    }
)
"""Tables whose writes change no figure: everything else bumps the ``ANY_DATA`` version."""


class ProjectionInputs(Base):
    """The version of the forecast's inputs: one row per levy account."""

    __tablename__ = "projection_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class ForecastProjection(Base):
    """A ledger and forecast computed once for an inputs version and a set of
    arguments (``key``); ``summary`` is what pages show, ``detail`` what a what-if
    needs (opening lots, funds in and dues by month), both JSON."""

    __tablename__ = "forecast_projection"
    __table_args__ = (UniqueConstraint("inputs_version", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    inputs_version: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)


class PendingUpload(Base):
    """An uploaded file waiting for "confirm", kept in the database so any app server
    can finish the import; older than a day it has expired."""

    __tablename__ = "pending_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _bump(version_id: int) -> Any:
    return (
        sql_update(ProjectionInputs)
        .where(ProjectionInputs.id == version_id)
        .values(version=ProjectionInputs.version + 1)
    )


def bump_inputs_version(session: Session, forecast: bool = True) -> None:
    """Mark stored figures stale (in the caller's transaction): the forecast's and the
    home page's, or only the home page's (``forecast=False``)."""
    connection = session.connection()
    for version_id in (ACCOUNT, ANY_DATA) if forecast else (ANY_DATA,):
        if connection.execute(_bump(version_id)).rowcount == 0:
            connection.execute(
                ProjectionInputs.__table__.insert().values(id=version_id, version=2)  # type: ignore[attr-defined]  # __table__ is a Table
            )


def _tables(objects: Any) -> set[str]:
    return {getattr(obj, "__tablename__", "") for obj in objects}


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    tables = _tables(session.new) | _tables(session.dirty) | _tables(session.deleted)
    if tables & INPUT_TABLES:
        bump_inputs_version(session)
    elif tables - NOT_DATA - {""}:
        bump_inputs_version(session, forecast=False)


@event.listens_for(Session, "do_orm_execute")
def _bulk_write(state: Any) -> None:
    """Core-style ``insert(Model)`` / ``update`` / ``delete`` through the session."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is None:
        return
    name = mapper.local_table.name
    if name in INPUT_TABLES:
        bump_inputs_version(state.session)
    elif name not in NOT_DATA:
        bump_inputs_version(state.session, forecast=False)
