"""The council's local transfer policy, in one place: the policy row (local share, limits,
criteria, growth sectors, windows, postcode list) and the versioned scoring weights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from levy.domain import transfers as dom
from levy.domain.accounts import Actor
from levy.domain.errors import DomainError
from levy.extensions import db
from levy.models.transfers import (
    ScoringWeights,
    TransferPolicy,
)
from levy.services.audit import record, snapshot

BASIS_POINTS = Decimal(10000)  # the row keeps the local share in basis points: 2500 is 25%


def _default_policy() -> TransferPolicy:
    """The policy row holding the domain's defaults (``levy.domain.transfers.LocalPolicy``)."""
    defaults = dom.DEFAULT_POLICY
    return TransferPolicy(
        id=1,
        local_share_bp=int(defaults.local_share * BASIS_POINTS),
        max_employees=defaults.max_employees,
        refuse_all_levy_payers=defaults.refuse_all_levy_payers,
        max_applications_per_year=defaults.max_applications_per_year,
        max_amount_per_year=defaults.max_amount_per_year,
        approvals=0,
    )


def get_policy(*, lock: bool = False, create: bool = False) -> TransferPolicy:
    """The policy row. Without one, reading gives the defaults (nothing is written);
    ``create`` or ``lock`` stores it first. ``lock`` takes ``SELECT … FOR UPDATE``."""
    query = db.select(TransferPolicy).where(TransferPolicy.id == 1)
    if lock:
        query = query.with_for_update()
    policy = db.session.execute(query).scalar_one_or_none()
    if policy is None:
        if not (lock or create):
            return _default_policy()
        db.session.add(_default_policy())
        db.session.flush()
        policy = db.session.execute(query).scalar_one()
    return policy


def local_share(policy: TransferPolicy | None = None) -> Decimal:
    """The council's local share as a fraction (``Decimal("0.25")``)."""
    p = policy or get_policy()
    return Decimal(p.local_share_bp) / BASIS_POINTS


def local_percent(policy: TransferPolicy | None = None) -> str:
    """The council's local share as the percentage people type and read (``"25.00"``)."""
    return f"{local_share(policy) * 100:.2f}"


def local_policy(policy: TransferPolicy | None = None) -> dom.LocalPolicy:
    """The policy row as the rules see it."""
    p = policy or get_policy()
    groups = dom.DEFAULT_CRITERIA_GROUPS
    if p.criteria_groups:
        groups = tuple(dom.CriterionGroup(code, tuple(codes)) for code, codes in p.criteria_groups)
    windows = tuple(
        dom.ApplicationWindow(date.fromisoformat(a), date.fromisoformat(b))
        for a, b in (p.windows or [])
    )
    return dom.LocalPolicy(
        local_share=local_share(p),
        criteria_groups=groups,
        growth_sectors=tuple(p.growth_sectors or dom.DEFAULT_GROWTH_SECTORS),
        max_employees=p.max_employees,
        refuse_all_levy_payers=p.refuse_all_levy_payers,
        max_applications_per_year=p.max_applications_per_year,
        max_amount_per_year=p.max_amount_per_year,
        windows=windows,
    )


def postcode_areas(policy: TransferPolicy | None = None) -> Mapping[str, dom.PostcodeArea]:
    p = policy or get_policy()
    if not p.postcode_areas:
        return dom.DEFAULT_POSTCODE_AREAS
    return {k: dom.PostcodeArea(v[0], bool(v[1])) for k, v in p.postcode_areas.items()}


def set_local_share(percent: Decimal, actor: Actor) -> TransferPolicy:
    """Finance changes the council's local share (audited)."""
    if not Decimal(0) <= percent <= Decimal(100) or percent != percent.quantize(Decimal("0.01")):
        raise DomainError("The local share must be a percentage from 0 to 100, like 25")
    policy = get_policy(create=True)
    before = {"local_percent": local_percent(policy)}
    policy.local_share_bp = int(percent / 100 * BASIS_POINTS)
    db.session.flush()
    record(
        actor,
        "transfers.local_share",
        "TransferPolicy",
        policy.id,
        before,
        {"local_percent": local_percent(policy)},
    )
    return policy


def current_scoring() -> dom.ScoringRules:
    row = db.session.execute(
        db.select(ScoringWeights).order_by(ScoringWeights.version.desc()).limit(1)
    ).scalar_one_or_none()
    if row is None:
        return dom.DEFAULT_SCORING
    return dom.ScoringRules(row.version, dict(row.weights))


def save_weights(weights: Mapping[str, object], actor: Actor) -> ScoringWeights:
    """A new version of the scoring weights (audited); earlier versions are kept."""
    clean = dom.validate_weights(weights)
    before = current_scoring()
    row = ScoringWeights(version=before.version + 1, weights=clean, created_by=actor.label)
    db.session.add(row)
    db.session.flush()
    record(
        actor,
        "transfers.weights",
        "ScoringWeights",
        row.version,
        {"version": before.version, "weights": dict(before.weights)},
        {"version": row.version, "weights": clean},
    )
    return row


POLICY_FIELDS = (
    "max_employees",
    "refuse_all_levy_payers",
    "max_applications_per_year",
    "max_amount_per_year",
    "criteria_groups",
    "growth_sectors",
    "windows",
)


@dataclass
class PolicySettings:
    max_employees: int
    refuse_all_levy_payers: bool
    max_applications_per_year: int | None
    max_amount_per_year: Decimal | None
    alternatives: list[str]  # local criteria of which any one is enough; the rest must hold
    growth_sectors: list[str]
    windows: list[tuple[date, date]]


def criteria_alternatives(policy: TransferPolicy | None = None) -> list[str]:
    """The local criteria that are alternatives (any one is enough) under the policy."""
    groups = local_policy(policy).criteria_groups
    for group in groups:
        if len(group.criteria) > 1:
            return list(group.criteria)
    return []


def update_policy(settings: PolicySettings, actor: Actor) -> TransferPolicy:
    """Change the local rules (audited). The chosen alternatives form one group of which
    any one must hold; every other local criterion must hold on its own."""
    if settings.max_employees < 1:
        raise DomainError("The employee limit must be 1 or more")
    unknown = set(settings.alternatives) - set(dom.LOCAL_CRITERIA)
    if unknown:
        raise DomainError(f"Unknown local criteria: {', '.join(sorted(unknown))}")
    if len(settings.alternatives) == 1:
        raise DomainError("Choose at least two alternatives, or none")
    for opens, closes in settings.windows:
        if closes < opens:
            raise DomainError(
                f"The window {opens:%d %B %Y} to {closes:%d %B %Y} ends before it opens"
            )
    sectors = [s.strip() for s in settings.growth_sectors if s.strip()]
    if not sectors:
        raise DomainError("List at least one growth sector")
    policy = get_policy(create=True)
    before = snapshot(policy, POLICY_FIELDS)
    groups: list[list[Any]] = []
    if settings.alternatives:
        groups.append(
            ["local.presence", [c for c in dom.LOCAL_CRITERIA if c in settings.alternatives]]
        )
    groups += [[f"local.{c}", [c]] for c in dom.LOCAL_CRITERIA if c not in settings.alternatives]
    policy.max_employees = settings.max_employees
    policy.refuse_all_levy_payers = settings.refuse_all_levy_payers
    policy.max_applications_per_year = settings.max_applications_per_year
    policy.max_amount_per_year = settings.max_amount_per_year
    policy.criteria_groups = groups
    policy.growth_sectors = sectors
    policy.windows = [[a.isoformat(), b.isoformat()] for a, b in settings.windows]
    db.session.flush()
    after = snapshot(policy, POLICY_FIELDS)
    changed = [k for k in POLICY_FIELDS if before.get(k) != after.get(k)]
    if changed:
        record(
            actor,
            "transfers.policy",
            "TransferPolicy",
            policy.id,
            {k: before[k] for k in changed},
            {k: after[k] for k in changed},
        )
    return policy
