"""Messages to businesses: kept in the outbox, sent by SMTP when ``MAIL_SERVER`` is set."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from levy.extensions import db
from levy.models import Organisation, User
from levy.models.base import utcnow
from levy.models.transfers import OutboxMessage
from levy.services.transfers.businesses import get_profile


def send_message(
    to: str, subject: str, body: str, organisation: Organisation | None = None
) -> OutboxMessage:
    """Keep the message in the outbox; send it by SMTP when ``MAIL_SERVER`` is set."""
    message = OutboxMessage(
        to=to, subject=subject, body=body, organisation_id=organisation.id if organisation else None
    )
    db.session.add(message)
    server = current_app.config.get("MAIL_SERVER")
    if server:
        email = EmailMessage()
        email["From"] = current_app.config.get("MAIL_SENDER", "")
        email["To"] = to
        email["Subject"] = subject
        email.set_content(body)
        try:
            with smtplib.SMTP(
                server, int(current_app.config.get("MAIL_PORT", 25)), timeout=10
            ) as smtp:
                smtp.send_message(email)
            message.sent_at = utcnow()
        except OSError as exc:  # the outbox keeps it; an admin can see why
            message.error = str(exc)
    db.session.flush()
    return message


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
