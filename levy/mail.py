"""The outbox: an email is written in the transaction and sent only after it commits.

A service calls ``queue(...)``: the message becomes an ``OutboxMessage`` row in the same
transaction as the change it tells about, so a rolled-back change sends nothing. Once
the session commits, the new messages are sent by SMTP (when ``MAIL_SERVER`` is set) at
the end of the request or command, on a session of their own, with no transaction open
while the mail server is talking, so no row lock is ever held across it. A message
that could not be sent keeps its error in the outbox; ``flask levy send-mail`` sends
every unsent message again.

Nothing here writes a message's body to the log: it may hold a sign-in or confirmation
link.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from levy.extensions import db
from levy.models.base import utcnow
from levy.models.transfers import OutboxMessage

log = logging.getLogger(__name__)

_WRITTEN = "levy_mail_written"  # ids flushed in the open transaction
_COMMITTED = "levy_mail_committed"  # ids whose transaction has committed: ready to send


def queue(to: str, subject: str, body: str, organisation: Any = None) -> OutboxMessage:
    """Put a message in the outbox; it is sent after the transaction commits."""
    message = OutboxMessage(
        to=to,
        subject=subject,
        body=body,
        organisation_id=organisation.id if organisation is not None else None,
    )
    db.session.add(message)
    db.session.flush()
    return message


@event.listens_for(Session, "after_flush")
def _written(session: Session, _context: Any) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        session.info.setdefault(_WRITTEN, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    written = session.info.pop(_WRITTEN, [])
    if written:
        session.info.setdefault(_COMMITTED, []).extend(written)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    # what was written is gone (or, after a savepoint's rollback, left to send-mail)
    session.info.pop(_WRITTEN, None)


def committed_ids() -> list[int]:
    """The messages committed in this request or command and not yet sent."""
    return list(db.session.info.get(_COMMITTED, []))


def deliver_committed() -> int:
    """Send what this request or command committed; the number sent."""
    ids = db.session.info.pop(_COMMITTED, [])
    if not ids or not current_app.config.get("MAIL_SERVER"):
        return 0
    # whatever the page read since its commit is let go: no lock while sending
    db.session.rollback()
    return sum(deliver(message_id) for message_id in ids)


def deliver(message_id: int) -> bool:
    """Send one outbox message by SMTP; record when it went, or why it did not."""
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        return False
    with Session(bind=db.engine, join_transaction_mode="create_savepoint") as session:
        message = session.get(OutboxMessage, message_id)
        if message is None or message.sent_at is not None:
            return False
        email = EmailMessage()
        email["From"] = current_app.config.get("MAIL_SENDER", "")
        email["To"] = message.to
        email["Subject"] = message.subject
        email.set_content(message.body)
        session.commit()  # nothing is held while the mail server is talking
        error = ""
        try:
            with smtplib.SMTP(
                server, int(current_app.config.get("MAIL_PORT") or 25), timeout=10
            ) as smtp:
                smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:  # the outbox keeps it
            error = str(exc) or type(exc).__name__
            log.warning("outbox message %s not sent: %s", message_id, error)
        message = session.get(OutboxMessage, message_id)
        if message is None:
            return False
        if error:
            message.error = error
        else:
            message.sent_at, message.error = utcnow(), ""
        session.commit()
        return not error


def unsent_ids() -> list[int]:
    return list(
        db.session.execute(
            db.select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.id)
        ).scalars()
    )


def init_app(app: Flask) -> None:
    @app.after_request
    def send_after_request(response: Any) -> Any:
        _deliver_quietly()
        return response

    @app.teardown_appcontext
    def send_after_command(_exc: BaseException | None) -> None:
        _deliver_quietly()


def _deliver_quietly() -> None:
    try:
        if db.session.info.get(_COMMITTED):
            deliver_committed()
    except Exception:  # the change is committed; the outbox keeps the message
        log.exception("sending the outbox failed")
