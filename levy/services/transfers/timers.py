"""The daily ``tick``: timed moves (auto-reject, auto-decline, funds expired), then the
monthly transfer payments due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.money import format_money
from levy.domain.months import format_month
from levy.extensions import db
from levy.models.transfers import TransferApplication
from levy.services.transfers.applications import apply_transition
from levy.services.transfers.payments import write_payments


@dataclass
class TickSummary:
    moves: list[dom.Move] = field(default_factory=list)
    payments: list[tuple[str, date, Decimal]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{m.ref}: {m.from_status} → {m.to_status} ({m.reason})" for m in self.moves]
        out += [
            f"{ref}: transfer payment {format_month(month)} {format_money(amount)}"
            for ref, month, amount in self.payments
        ]
        return out or ["Nothing due."]


def tick(as_of: date, actor: Actor) -> TickSummary:
    """Apply the timers due by ``as_of`` and write the transfer payments due
    (idempotent: a second run finds nothing to do)."""
    summary = TickSummary()
    timed = (
        db.session.execute(
            db.select(TransferApplication)
            .where(TransferApplication.status.in_((dom.SUBMITTED, dom.APPROVED, dom.ACCEPTED)))
            .order_by(TransferApplication.id)
        )
        .scalars()
        .all()
    )
    by_ref = {a.reference: a for a in timed}
    clocks = [
        dom.Clock(
            a.reference, a.status, a.submitted_on, a.approved_on, a.accepted_on, a.planned_start
        )
        for a in timed
    ]
    for move in dom.tick(clocks, as_of):
        app = by_ref[str(move.ref)]
        if move.to_status == dom.REJECTED:
            app.decision_reason = move.reason
            app.decided_on = move.due_on
        apply_transition(
            app,
            move.action,
            dom.SYSTEM,
            actor,
            move.due_on,
            move.reason,
            notify=f"Application {app.reference} is now {move.to_status}: {move.reason}",
        )
        summary.moves.append(move)
    summary.payments = write_payments(as_of, actor)
    return summary
