"""Messages to businesses: kept in the outbox and sent after commit (``levy.mail``)."""

from __future__ import annotations

from levy import mail
from levy.extensions import db
from levy.models import Organisation, User
from levy.models.transfers import OutboxMessage
from levy.services.transfers.businesses import get_profile


def send_message(
    to: str, subject: str, body: str, organisation: Organisation | None = None
) -> OutboxMessage:
    """Keep the message in the outbox; it is sent after the transaction commits (levy.mail)."""
    return mail.queue(to, subject, body, organisation)


def notify_business(org: Organisation, subject: str, body: str) -> list[OutboxMessage]:
    users = (
        db.session.execute(
            db.select(User).where(User.organisation_id == org.id, User.role == "employer")
        )
        .scalars()
        .all()
    )
    addresses = sorted({u.email for u in users})
    profile = get_profile(org)
    if not addresses and profile and profile.contact_email:
        addresses = [profile.contact_email]
    return [send_message(a, subject, body, org) for a in addresses]


def recent_messages(limit: int = 200) -> list[OutboxMessage]:
    """The outbox, newest first."""
    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(db.session.execute(query).scalars())
