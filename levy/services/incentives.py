"""Incentive claims: load apprentices, ask the domain, record applications and payments.

Eligibility, due dates and statuses come from ``levy.domain.incentives``; this module
turns apprentice rows into the domain's ``IncentiveApprentice``, stores what people
record (applications and payments received) and audits every move. It never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import selectinload

from levy.domain import incentives as inc
from levy.domain.accounts import Actor
from levy.domain.commitments import Break
from levy.domain.errors import DomainError, Problems
from levy.domain.money import money_str
from levy.extensions import db
from levy.models import Apprentice
from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from levy.services.audit import record
from levy.services.locks import refuse_duplicate

APPLICATION_FIELDS = ("scheme", "applied_on", "reference")
PAYMENT_FIELDS = ("scheme", "number", "paid_on", "amount")


class ApprenticeNotFound(inc.IncentiveError):
    """No apprentice with that reference."""


def apprentice_called(reference: str) -> Apprentice | None:
    """The apprentice with this reference, or None."""
    return db.session.execute(
        db.select(Apprentice).where(Apprentice.reference == reference.strip())
    ).scalar_one_or_none()


def find_apprentice(reference: str) -> Apprentice:
    found = apprentice_called(reference)
    if found is None:
        raise ApprenticeNotFound(f"no apprentice with the reference '{reference}'")
    return found


def employer_label(apprentice: Apprentice) -> str:
    org = apprentice.organisation
    return "the council" if org is None or org.kind == "council" else org.name


def as_domain(
    apprentice: Apprentice, new_hire_claimed_elsewhere: str | None = None
) -> inc.IncentiveApprentice:
    """The apprentice as the schemes see it (docs/rules.md §5).

    ``new_hire`` unticked means the person was employed by the organisation before this
    employment (so within the 6 months before); a completion or withdrawal date ends the
    day count; breaks come from the apprentice's recorded breaks.
    """
    start = apprentice.start_date
    employed = apprentice.employment_start or start
    ended = apprentice.status_date or start
    return inc.IncentiveApprentice(
        reference=apprentice.reference,
        date_of_birth=apprentice.date_of_birth,
        apprenticeship_start=start,
        employment_start=employed,
        breaks=tuple(Break(b.start, b.end) for b in apprentice.breaks),
        completed_on=ended if apprentice.status == "completed" else None,
        withdrawn_on=ended if apprentice.status in ("withdrawn", "cancelled") else None,
        left_employment_on=apprentice.left_employment_on,
        previously_employed_until=None if apprentice.new_hire else employed - timedelta(days=1),
        employer_name=employer_label(apprentice),
        ehc_plan=apprentice.ehc_plan,
        care_leaver=apprentice.care_leaver,
        care_leaver_consent=apprentice.care_leaver_consent_on is not None,
        new_hire_claimed_elsewhere=new_hire_claimed_elsewhere,
    )


def _applications(ids: Sequence[int]) -> dict[int, dict[str, IncentiveApplication]]:
    out: dict[int, dict[str, IncentiveApplication]] = {}
    if not ids:
        return out
    rows = db.session.execute(
        db.select(IncentiveApplication).where(IncentiveApplication.apprentice_id.in_(ids))
    ).scalars()
    for row in rows:
        out.setdefault(row.apprentice_id, {})[row.scheme] = row
    return out


def _payments(ids: Sequence[int]) -> dict[int, dict[tuple[str, int], IncentiveInstalment]]:
    out: dict[int, dict[tuple[str, int], IncentiveInstalment]] = {}
    if not ids:
        return out
    rows = db.session.execute(
        db.select(IncentiveInstalment).where(IncentiveInstalment.apprentice_id.in_(ids))
    ).scalars()
    for row in rows:
        out.setdefault(row.apprentice_id, {})[(row.scheme, row.number)] = row
    return out


def _new_hire_claims_elsewhere(apprentices: Sequence[Apprentice]) -> dict[int, str]:
    """One incentive per apprentice: a new-hire claim on another apprenticeship of the
    same person (same name and date of birth) makes this one ineligible."""
    claims = db.session.execute(
        db.select(
            Apprentice.id,
            Apprentice.first_name,
            Apprentice.last_name,
            Apprentice.date_of_birth,
            IncentiveApplication.scheme,
        )
        .join(IncentiveApplication, IncentiveApplication.apprentice_id == Apprentice.id)
        .where(IncentiveApplication.scheme.in_(inc.NEW_HIRE_SCHEMES))
    ).all()
    by_person: dict[tuple[str, str, date], list[tuple[int, str]]] = {}
    for apprentice_id, first, last, born, scheme in claims:
        key = (first.strip().lower(), last.strip().lower(), born)
        by_person.setdefault(key, []).append((apprentice_id, scheme))
    out: dict[int, str] = {}
    for a in apprentices:
        key = (a.first_name.strip().lower(), a.last_name.strip().lower(), a.date_of_birth)
        others = [scheme for other, scheme in by_person.get(key, ()) if other != a.id]
        if others:
            out[a.id] = others[0]
    return out


@dataclass(frozen=True)
class ApprenticeSchemes:
    apprentice: Apprentice
    records: tuple[inc.SchemeRecord, ...]


def schemes_for(
    apprentices: Iterable[Apprentice], as_of: date, only_eligible: bool = False
) -> list[ApprenticeSchemes]:
    """Every apprentice's schemes (or eligible ones) with applications and payments."""
    apprentices = list(apprentices)
    ids = [a.id for a in apprentices]
    apps, pays = _applications(ids), _payments(ids)
    elsewhere = _new_hire_claims_elsewhere(apprentices)
    out = []
    for a in apprentices:
        applications = {
            s: inc.Application(r.applied_on, r.reference) for s, r in apps.get(a.id, {}).items()
        }
        payments = {k: inc.Payment(r.paid_on, r.amount) for k, r in pays.get(a.id, {}).items()}
        records = inc.scheme_records(
            as_domain(a, elsewhere.get(a.id)),
            applications,
            payments,
            as_of,
            only_eligible=only_eligible,
        )
        out.append(ApprenticeSchemes(a, tuple(records)))
    return out


def all_apprentices() -> list[Apprentice]:
    return list(
        db.session.execute(
            db.select(Apprentice)
            .where(Apprentice.programme_type == "apprenticeship")
            .options(selectinload(Apprentice.breaks), selectinload(Apprentice.organisation))
            .order_by(Apprentice.reference)
        ).scalars()
    )


def record_for(apprentice: Apprentice, scheme: str, as_of: date) -> inc.SchemeRecord:
    inc.check_scheme(scheme)
    (found,) = schemes_for([apprentice], as_of)
    return next(r for r in found.records if r.scheme == scheme)


def due_rows(as_of: date) -> list[dict[str, Any]]:
    """The CLI contract: one object per instalment of every eligible scheme."""
    rows: list[dict[str, Any]] = []
    for item in schemes_for(all_apprentices(), as_of, only_eligible=True):
        for r in item.records:
            for i in r.instalments:
                rows.append(
                    {
                        "apprentice": item.apprentice.reference,
                        "scheme": r.scheme,
                        "instalment": i.number,
                        "amount": money_str(i.amount),
                        "due_date": i.due_date.isoformat() if i.due_date else None,
                        "status": i.status,
                        "application": r.application_status,
                        "days": i.days,
                        "paid_on": i.payment.paid_on.isoformat() if i.payment else None,
                        "amount_received": money_str(i.payment.amount) if i.payment else None,
                    }
                )
    return rows


def record_application(
    apprentice: Apprentice,
    scheme: str,
    on: date,
    reference: str,
    actor: Actor,
    today: date,
) -> IncentiveApplication:
    """``not applied -> applied``; refused with the domain's reason otherwise."""
    r = record_for(apprentice, scheme, on)
    stored = inc.apply(r.eligibility, r.application, on, reference, as_of=today)
    assert stored.applied_on is not None

    def recorded_meanwhile() -> None:  # a double POST: the same "already applied" refusal
        again = record_for(apprentice, scheme, on)
        inc.apply(again.eligibility, again.application, on, reference, as_of=today)

    with refuse_duplicate(recorded_meanwhile):
        row = IncentiveApplication(
            apprentice=apprentice,
            scheme=scheme,
            applied_on=stored.applied_on,
            reference=stored.reference,
            recorded_by=actor.label,
        )
        db.session.add(row)
    record(
        actor,
        "incentive.applied",
        "IncentiveApplication",
        row.id,
        {"apprentice": apprentice.reference, "scheme": scheme, "status": inc.NOT_APPLIED},
        {
            "apprentice": apprentice.reference,
            "scheme": scheme,
            "status": inc.APPLIED,
            "applied_on": row.applied_on,
            "reference": row.reference,
        },
    )
    return row


def record_payment(
    apprentice: Apprentice,
    scheme: str,
    number: int,
    on: date,
    amount: Decimal,
    actor: Actor,
    today: date,
) -> IncentiveInstalment:
    """``due -> paid``; refused with the domain's reason otherwise."""
    if on > today:
        raise inc.PaymentRefused(f"the payment date {inc.day_text(on)} is in the future")
    r = record_for(apprentice, scheme, on)
    if not r.eligibility.eligible:
        raise inc.PaymentRefused(f"not eligible for {scheme}: {r.eligibility.reason}")
    matching = [i for i in r.instalments if i.number == number]
    if not matching:
        raise inc.PaymentRefused(f"{scheme} has no instalment {number}")
    instalment = matching[0]
    payment = inc.mark_paid(instalment, r.application_status, on, amount, as_of=today)

    def recorded_meanwhile() -> None:  # a double POST: the same "already paid" refusal
        again = record_for(apprentice, scheme, on)
        for i in again.instalments:
            if i.number == number:
                inc.mark_paid(i, again.application_status, on, amount, as_of=today)

    with refuse_duplicate(recorded_meanwhile):
        row = IncentiveInstalment(
            apprentice=apprentice,
            scheme=scheme,
            number=number,
            paid_on=payment.paid_on,
            amount=payment.amount,
            recorded_by=actor.label,
        )
        db.session.add(row)
    record(
        actor,
        "incentive.paid",
        "IncentiveInstalment",
        row.id,
        {"apprentice": apprentice.reference, "scheme": scheme, "instalment": number,
         "status": instalment.status},
        {"apprentice": apprentice.reference, "scheme": scheme, "instalment": number,
         "status": inc.PAID, "paid_on": row.paid_on, "amount": row.amount,
         "expected": instalment.amount},
    )  # fmt: skip
    return row


# --- the claims-due screen ----------------------------------------------------------


@dataclass(frozen=True)
class ClaimLine:
    apprentice: Apprentice
    record: inc.SchemeRecord
    instalment: inc.Instalment | None = None
    days_left: int | None = None

    @property
    def key(self) -> str:
        number = f":{self.instalment.number}" if self.instalment else ""
        return f"{self.apprentice.id}:{self.record.scheme}{number}"


@dataclass
class ClaimsDue:
    as_of: date
    to_apply: list[ClaimLine] = field(default_factory=list)
    due: list[ClaimLine] = field(default_factory=list)
    soon: list[ClaimLine] = field(default_factory=list)
    missed: list[ClaimLine] = field(default_factory=list)
    forfeited: list[ClaimLine] = field(default_factory=list)
    totals: dict[str, inc.SchemeTotals] = field(default_factory=dict)
    applied: int = 0
    paid_count: int = 0


def claims_due(as_of: date, within_days: int = 30) -> ClaimsDue:
    """What the L&D team must do: apply, chase, expect; what was missed or forfeited."""
    result = ClaimsDue(as_of)
    every: list[inc.SchemeRecord] = []
    horizon = as_of + timedelta(days=within_days)
    for item in schemes_for(all_apprentices(), as_of, only_eligible=True):
        for r in item.records:
            every.append(r)
            a = item.apprentice
            if r.application_status == inc.NOT_APPLIED:
                left = inc.days_left_to_apply(r.eligibility, as_of)
                result.to_apply.append(ClaimLine(a, r, None, left))
            elif r.application_status == inc.MISSED:
                result.missed.append(ClaimLine(a, r))
            else:
                result.applied += 1
            for i in r.instalments:
                if i.status == inc.DUE:
                    result.due.append(ClaimLine(a, r, i))
                elif i.status == inc.FORFEITED:
                    result.forfeited.append(ClaimLine(a, r, i))
                elif i.status == inc.PAID:
                    result.paid_count += 1
                elif i.due_date is not None and as_of < i.due_date <= horizon:
                    result.soon.append(ClaimLine(a, r, i))
    result.to_apply.sort(key=lambda c: (c.days_left is None, c.days_left or 0, c.key))
    result.due.sort(key=lambda c: (c.instalment.due_date, c.key))  # type: ignore[union-attr]  # a claim line always has its instalment
    result.soon.sort(key=lambda c: (c.instalment.due_date, c.key))  # type: ignore[union-attr]  # a claim line always has its instalment
    result.totals = inc.totals_by_scheme(every)
    return result


def parse_keys(keys: Iterable[str]) -> list[tuple[Apprentice, str, int | None]]:
    """``"<apprentice id>:<scheme>[:<instalment>]"`` from the bulk forms."""
    out = []
    for key in keys:
        parts = key.split(":")
        if len(parts) not in (2, 3) or not parts[0].isdigit():
            raise inc.IncentiveError(f"'{key}' is not a claim")
        apprentice = db.session.get(Apprentice, int(parts[0]))
        if apprentice is None:
            raise ApprenticeNotFound(f"no apprentice with id {parts[0]}")
        number = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
        out.append((apprentice, inc.check_scheme(parts[1]), number))
    return out


EXPORT_HEADER = (
    "Apprentice reference",
    "First name",
    "Last name",
    "Date of birth",
    "Age at start",
    "Employer",
    "Directorate",
    "Employment start",
    "Apprenticeship start",
    "Provider",
    "UKPRN",
    "Standard",
    "Scheme",
    "Eligibility",
    "Total",
    "Application",
    "Applied on",
    "Claim reference",
    "Application window closes",
    "Days left to apply",
    "Instalment",
    "Amount",
    "Due date",
    "Status",
    "Paid on",
    "Amount received",
)


def export_rows(as_of: date) -> list[list[Any]]:
    """One row per instalment of each eligible scheme, with what an application needs."""
    rows: list[list[Any]] = []
    for item in schemes_for(all_apprentices(), as_of, only_eligible=True):
        a = item.apprentice
        d = as_domain(a)
        for r in item.records:
            e = r.eligibility
            for i in r.instalments:
                rows.append(
                    [
                        a.reference,
                        a.first_name,
                        a.last_name,
                        a.date_of_birth,
                        d.age_at_start,
                        a.organisation.name if a.organisation else "",
                        a.directorate.name if a.directorate else "",
                        d.employed_from,
                        d.apprenticeship_start,
                        a.provider.name if a.provider else "",
                        a.provider.ukprn if a.provider else "",
                        a.standard.label if a.standard else "",
                        r.scheme,
                        e.reason,
                        e.total,
                        r.application_status,
                        r.application.applied_on,
                        r.application.reference,
                        e.claim_to,
                        inc.days_left_to_apply(e, as_of),
                        i.number,
                        i.amount,
                        i.due_date,
                        i.status,
                        i.payment.paid_on if i.payment else None,
                        i.payment.amount if i.payment else None,
                    ]
                )
    return rows


# --- the bulk buttons and the home card ----------------------------------------------


def apply_claims(keys: Iterable[str], on: date, reference: str, actor: Actor, today: date) -> int:
    """Mark every ticked claim as applied, or none: a ``Problems`` lists each refusal."""
    keys = list(keys)
    targets = parse_keys(keys)
    problems: list[tuple[str | None, str]] = []  # (the claim's key, why it was refused)
    for (apprentice, scheme, _), key in zip(targets, keys, strict=False):
        try:
            with db.session.begin_nested():
                record_application(apprentice, scheme, on, reference, actor, today)
        except DomainError as exc:
            problems.append((key, f"{apprentice.reference} {scheme}: {exc}"))
    if problems:
        raise Problems(problems)
    return len(targets)


def pay_instalments(keys: Iterable[str], on: date, actor: Actor, today: date) -> int:
    """Mark every ticked instalment as paid with its expected amount, or none."""
    keys = list(keys)
    targets = parse_keys(keys)
    problems: list[tuple[str | None, str]] = []  # (the instalment's key, why it was refused)
    for (apprentice, scheme, number), key in zip(targets, keys, strict=False):
        try:
            found = record_for(apprentice, scheme, on)
            expected = next(i.amount for i in found.instalments if i.number == number)
            with db.session.begin_nested():
                record_payment(apprentice, scheme, number or 0, on, expected, actor, today)
        except (DomainError, StopIteration) as exc:
            why = str(exc) or "there is no such instalment"
            problems.append((key, f"{apprentice.reference} {scheme} instalment {number}: {why}"))
    if problems:
        raise Problems(problems)
    return len(targets)


@dataclass(frozen=True)
class ClaimedSoFar:
    applications: int
    received: Decimal


def claimed_so_far() -> ClaimedSoFar:
    """How many applications are recorded and how much has been received."""
    applied = db.session.execute(db.select(db.func.count(IncentiveApplication.id))).scalar_one()
    # a sum of a Money column comes back as Money: Decimal pounds, already converted
    total = db.session.execute(
        db.select(db.func.coalesce(db.func.sum(IncentiveInstalment.amount), 0))
    ).scalar_one()
    return ClaimedSoFar(applied, Decimal(total))


# --- the claims page's filter ---------------------------------------------------------

CLAIM_SECTIONS = {
    "to_apply": "Eligible, not yet applied for",
    "due": "Instalments due, not yet received",
    "soon": "Falling due in the next 30 days",
    "missed": "Missed applications",
    "forfeited": "Forfeited instalments",
}


@dataclass(frozen=True)
class ClaimFilters:
    scheme: str = ""  # a key of inc.SCHEME_NAMES, or "" for every scheme
    status: str = ""  # a key of CLAIM_SECTIONS, or "" for every section
    month: date | None = None  # first of the month the claim is due in


def claim_filters(args: Any) -> tuple[ClaimFilters, list[tuple[str, str]]]:
    """The filter from the query string; each value that cannot be used is named as
    (field, message) and left out."""
    problems: list[tuple[str, str]] = []
    scheme = (args.get("scheme") or "").strip()
    if scheme and scheme not in inc.SCHEME_NAMES:
        problems.append(("scheme", f"'{scheme}' is not a scheme: choose one from the list"))
        scheme = ""
    status = (args.get("status") or "").strip()
    if status and status not in CLAIM_SECTIONS:
        problems.append(("status", f"'{status}' is not a status: choose one from the list"))
        status = ""
    text = (args.get("month") or "").strip()
    month = None
    if text:
        try:
            year, number = (int(part) for part in text.split("-"))
            month = date(year, number, 1)
        except ValueError:
            problems.append(("month", f"'{text}' is not a month: write it like 2021-03"))
    return ClaimFilters(scheme, status, month), problems


def _claim_day(section: str, line: ClaimLine) -> date | None:
    """The date a line is due by: the application window's close, or the instalment's
    due date."""
    if section in ("to_apply", "missed"):
        return line.record.eligibility.claim_to
    return line.instalment.due_date if line.instalment else None


def filtered_sections(result: ClaimsDue, filters: ClaimFilters) -> dict[str, list[ClaimLine]]:
    """The claims page's sections (``CLAIM_SECTIONS`` order) after the filter; a section
    the status filter leaves out is absent."""
    out: dict[str, list[ClaimLine]] = {}
    for section in CLAIM_SECTIONS:
        if filters.status and section != filters.status:
            continue
        lines = getattr(result, section)
        if filters.scheme:
            lines = [c for c in lines if c.record.scheme == filters.scheme]
        if filters.month is not None:
            month = filters.month
            lines = [
                c
                for c in lines
                if (day := _claim_day(section, c)) is not None
                and (day.year, day.month) == (month.year, month.month)
            ]
        out[section] = lines
    return out
