"""Uploads waiting for "confirm", kept in the database so any app server can finish them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from levy.models.base import Base, UTCDateTime, utcnow


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
