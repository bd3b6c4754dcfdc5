"""Registered businesses: their transfer profile, the officer's district override, and
the business as the rules see it."""

from __future__ import annotations

from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.extensions import db
from levy.models import Organisation
from levy.models.transfers import BusinessProfile
from levy.services.audit import record


def get_profile(org: Organisation) -> BusinessProfile | None:
    return db.session.execute(
        db.select(BusinessProfile).where(BusinessProfile.organisation_id == org.id)
    ).scalar_one_or_none()


def override_district(
    profile: BusinessProfile, district: str | None, reason: str, actor: Actor
) -> BusinessProfile:
    if district is not None and district not in dom.COUNTY_DISTRICTS:
        raise DomainError(f"'{district}' is not one of the county's districts")
    if not reason.strip():
        raise DomainError("Give a reason for changing the district")
    before = {"district": profile.district, "reason": profile.district_override_reason}
    profile.district = district
    profile.district_override_reason = reason.strip()
    db.session.flush()
    record(
        actor,
        "transfers.district_override",
        "BusinessProfile",
        profile.id,
        before,
        {"district": district, "reason": profile.district_override_reason},
    )
    return profile


def organisation_rules(org: Organisation) -> dom.Organisation:
    profile = get_profile(org)
    if profile is None:
        raise DomainError(f"{org.name} has not registered its details for transfers")
    return dom.Organisation(
        name=org.name,
        employees=profile.employees,
        district=profile.district,
        serves_county_residents=profile.serves_county_residents,
        pays_rates_in_county=profile.pays_rates_in_county,
        is_vcse=profile.is_vcse,
        sector=profile.sector,
        pays_levy=profile.pays_levy or org.levy_payer,
        sends_transfers=profile.sends_transfers,
    )


def find_business(org_id: int) -> tuple[Organisation, BusinessProfile] | None:
    """A registered business and its transfer profile, or None."""
    org = db.session.get(Organisation, org_id)
    profile = get_profile(org) if org is not None else None
    return (org, profile) if org is not None and profile is not None else None
