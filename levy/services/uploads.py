"""Uploads waiting for "confirm", kept in the database (issue 13): any app server behind
the load balancer can finish the import, with no sticky sessions and no shared folder.
An upload older than a day has expired. Never commits."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from levy.extensions import db
from levy.models.base import utcnow
from levy.models.uploads import PendingUpload

MAX_AGE = timedelta(days=1)


def keep(kind: str, name: str, data: bytes, now: datetime | None = None) -> str:
    """Store an upload; returns the token the confirm form carries. Expired uploads of
    every kind are cleared on the way."""
    now = now or utcnow()
    db.session.execute(db.delete(PendingUpload).where(PendingUpload.created_at < now - MAX_AGE))
    token = secrets.token_hex(16)
    db.session.add(
        PendingUpload(token=token, kind=kind, name=name[:255], data=data, created_at=now)
    )
    db.session.flush()
    return token


def take(token: str, kind: str, now: datetime | None = None) -> tuple[str, bytes] | None:
    """(file name, bytes) of a kept upload, or None if there is none or it has expired.
    The row is deleted (in the caller's transaction): confirm works once."""
    now = now or utcnow()
    upload = db.session.execute(
        db.select(PendingUpload).where(PendingUpload.token == token, PendingUpload.kind == kind)
    ).scalar_one_or_none()
    if upload is None:
        return None
    name, data, fresh = upload.name, upload.data, upload.created_at >= now - MAX_AGE
    db.session.delete(upload)
    db.session.flush()
    return (name, data) if fresh else None


def peek(token: str, kind: str, now: datetime | None = None) -> tuple[str, bytes] | None:
    """(file name, bytes) of a kept upload that is read again (the reconciliation's
    download), without removing it; None if there is none or it has expired."""
    now = now or utcnow()
    upload = db.session.execute(
        db.select(PendingUpload).where(
            PendingUpload.token == token,
            PendingUpload.kind == kind,
            PendingUpload.created_at >= now - MAX_AGE,
        )
    ).scalar_one_or_none()
    return None if upload is None else (upload.name, upload.data)
