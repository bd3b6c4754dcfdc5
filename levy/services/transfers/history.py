"""Loading history (and the demo) from a checked transfers workbook, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.months import format_month
from levy.extensions import db
from levy.models import LevyTransaction, Organisation, Standard
from levy.models.transfers import (
    BusinessProfile,
    TransferApplication,
    TransferApplicationEvent,
)
from levy.services.audit import record, snapshot
from levy.services.transfers.applications import APP_FIELDS, screen_and_score
from levy.services.transfers.businesses import get_profile
from levy.services.transfers.payments import PAYMENT_SOURCE


@dataclass
class HistorySummary:
    businesses: int = 0
    applications: int = 0
    payments: int = 0

    def __str__(self) -> str:
        return (
            f"{self.businesses} new businesses, {self.applications} new applications, "
            f"{self.payments} new transfer payments"
        )


def _standard_for(row: Any) -> Standard:
    from levy.models import FundingBand

    standard = db.session.execute(
        db.select(Standard).where(Standard.reference == row.standard_reference)
    ).scalar_one_or_none()
    if standard is None:
        standard = Standard(
            reference=row.standard_reference,
            title=row.standard_title,
            level=row.level,
            duration_months=row.months,
            demo_data=True,
        )
        standard.bands.append(FundingBand(valid_from=date(2018, 8, 1), maximum=row.band_maximum))
        db.session.add(standard)
        db.session.flush()
    return standard


def import_history(book: Any, actor: Actor) -> HistorySummary:
    """Businesses, applications and payments from a checked ``TransfersWorkbook``.

    Running it twice changes nothing: businesses are matched by name, applications
    by reference and payments by (reference, month)."""
    summary = HistorySummary()
    orgs: dict[str, Organisation] = {}
    for b in book.businesses:
        org = db.session.execute(
            db.select(Organisation).where(db.func.lower(Organisation.name) == b.name.lower())
        ).scalar_one_or_none()
        if org is None:
            org = Organisation(name=b.name, kind="business", levy_payer=False)
            db.session.add(org)
            db.session.flush()
        if get_profile(org) is None:
            # Companies House numbers have 8 characters (01234567, SC123456); charities fewer
            company = b.number if len(b.number) == 8 else ""
            db.session.add(
                BusinessProfile(
                    organisation_id=org.id,
                    company_number=company,
                    charity_number="" if company else b.number,
                    address=b.address,
                    postcode=b.postcode,
                    district=b.district,
                    employees=b.employees,
                    is_vcse=b.is_vcse,
                    sector=b.sector,
                    pays_rates_in_county=b.pays_rates_in_county,
                    contact_email=b.login_email,
                    demo_data=True,
                )
            )
            db.session.flush()
            record(
                actor,
                "transfers.business_imported",
                "Organisation",
                org.id,
                None,
                {"name": org.name, "district": b.district},
            )
            summary.businesses += 1
        orgs[b.name.lower()] = org
    apps: dict[str, TransferApplication] = {}
    for a in book.applications:
        existing = db.session.execute(
            db.select(TransferApplication).where(TransferApplication.reference == a.reference)
        ).scalar_one_or_none()
        if existing is not None:
            apps[a.reference] = existing
            continue
        standard = _standard_for(a)
        app = TransferApplication(
            reference=a.reference,
            organisation_id=orgs[a.business.lower()].id,
            status=a.status,
            standard_id=standard.id,
            standard_reference=a.standard_reference,
            standard_title=a.standard_title,
            level=a.level,
            band_maximum=a.band_maximum,
            price=a.band_maximum,
            duration_months=a.months,
            apprentices=a.apprentices,
            planned_start=a.planned_start,
            provider_name=a.provider,
            provider_in_county=a.provider_in_county,
            target_groups=list(a.target_groups),
            social_value=a.social_value,
            contact_name="",
            contact_email="",
            submitted_on=a.submitted,
            decision_reason=a.reason,
            apprentices_taken=a.apprentices_taken,
            actual_start=a.actual_start,
            demo_data=True,
        )
        app.organisation = orgs[a.business.lower()]
        decided_states = {
            dom.APPROVED,
            dom.ACCEPTED,
            dom.FUNDS_USED,
            dom.DECLINED,
            dom.WITHDRAWN_AFTER_ACCEPTANCE,
            dom.FUNDS_EXPIRED,
        }
        if a.status in decided_states or (a.status == dom.WITHDRAWN and a.decided):
            app.approved_on = a.decided
        app.decided_on = a.decided
        app.accepted_on = a.accepted
        db.session.add(app)
        db.session.flush()
        if a.status != dom.DRAFT:
            screen_and_score(app, a.submitted or a.planned_start)
        moves = [(a.submitted, "", dom.SUBMITTED)]
        if a.status not in (dom.DRAFT, dom.SUBMITTED):
            moves.append((a.decided or a.submitted, dom.SUBMITTED, a.status))
        for on, before, after in moves:
            if on is not None and a.status != dom.DRAFT:
                app.events.append(
                    TransferApplicationEvent(
                        on=on,
                        actor_label=actor.label,
                        action="import",
                        from_status=before,
                        to_status=after,
                        note="loaded from the transfers workbook",
                    )
                )
        db.session.flush()
        record(
            actor,
            "transfers.application_imported",
            "TransferApplication",
            app.reference,
            None,
            snapshot(app, APP_FIELDS),
        )
        apps[a.reference] = app
        summary.applications += 1
    for p in book.payments:
        key = f"transfer:{p.reference}:{format_month(p.month)}"
        exists = db.session.execute(
            db.select(LevyTransaction.id).where(LevyTransaction.source_key == key)
        ).scalar_one_or_none()
        if exists is None:
            db.session.add(
                LevyTransaction(
                    month=p.month,
                    type=dom.KIND_TRANSFER,
                    amount=p.amount,
                    reference=p.reference,
                    source=PAYMENT_SOURCE,
                    source_key=key,
                )
            )
            summary.payments += 1
    db.session.flush()
    if summary.payments:
        record(
            actor,
            "transfers.payments_imported",
            "LevyTransaction",
            None,
            None,
            {"payments": summary.payments},
        )
    return summary
