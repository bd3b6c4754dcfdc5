"""The one module of test factories: small functions with keyword defaults that build
rows (each flushes so ids exist, none commits) or workbooks to import. Fixtures live in
the conftest.py files and call these."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from levy.domain.accounts import Actor
from levy.domain.months import add_months
from levy.extensions import db
from levy.importers import directorates as directorates_import
from levy.importers import ledger as ledger_import
from levy.importers.cohorts import APPRENTICES_HEADER, BREAKS_HEADER
from levy.models import (
    Apprentice,
    Directorate,
    DirectorateYear,
    FundingBand,
    LevyTransaction,
    Organisation,
    Provider,
    Standard,
    User,
)
from levy.models.levy_pot import PayBillMonth
from levy.models.transfers import BusinessProfile, TransferApplication
from levy.services import transfers as transfers_service

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"
COUNCIL = "Worcestershire County Council"
OFFICER = Actor("officer@example.org")
BUSINESS = Actor("business@example.org")


def create_organisation(name: str | None = None, kind: str = "council", **kw: Any) -> Organisation:
    org = Organisation(
        name=name or f"Organisation {next(_seq)}",
        kind=kind,
        levy_payer=kw.pop("levy_payer", kind != "business"),
        **kw,
    )
    db.session.add(org)
    db.session.flush()
    return org


def create_directorate(
    name: str | None = None,
    organisation: Organisation | None = None,
    headcount: int | None = None,
    pay_bill: Decimal | None = None,
    year: int = 2020,
    **kw: Any,
) -> Directorate:
    directorate = Directorate(
        name=name or f"Directorate {next(_seq)}",
        organisation=organisation or create_organisation(),
        **kw,
    )
    db.session.add(directorate)
    if headcount is not None:
        db.session.add(
            DirectorateYear(
                directorate=directorate,
                year=year,
                headcount=headcount,
                pay_bill=pay_bill or Decimal("0"),
            )
        )
    db.session.flush()
    return directorate


def create_user(
    role: str = "ld_team",
    email: str | None = None,
    password: str = PASSWORD,
    directorates: list[Directorate] | None = None,
    organisation: Organisation | None = None,
    **kw: Any,
) -> User:
    if role == "directorate_manager" and not directorates:
        directorates = [create_directorate()]
    if role == "employer" and organisation is None:
        organisation = create_organisation(kind="business")
    user = User(
        email=email or f"user{next(_seq)}@example.org",
        role=role,
        directorates=directorates or [],
        organisation=organisation,
        **kw,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def create_standard(
    reference: str | None = None,
    level: int = 3,
    band: Decimal | None = None,
    duration_months: int = 18,
    valid_from: date = date(2018, 8, 1),
    **kw: Any,
) -> Standard:
    standard = Standard(
        reference=reference or f"TST{next(_seq):05d}",
        title=kw.pop("title", "Business administrator"),
        level=level,
        route=kw.pop("route", "Business and administration"),
        duration_months=duration_months,
        **kw,
    )
    standard.bands.append(FundingBand(valid_from=valid_from, maximum=band or Decimal("5000")))
    db.session.add(standard)
    db.session.flush()
    return standard


def create_provider(
    name: str | None = None, employer_provider: bool = False, in_county: bool = True, **kw: Any
) -> Provider:
    n = next(_seq)
    provider = Provider(
        name=name or f"Provider {n}",
        ukprn=kw.pop("ukprn", f"{19000000 + n}"),
        employer_provider=employer_provider,
        in_county=in_county,
        **kw,
    )
    db.session.add(provider)
    db.session.flush()
    return provider


def create_apprentice(
    directorate: Directorate | None = None,
    standard: Standard | None = None,
    provider: Provider | None = None,
    planned_start: date = date(2020, 9, 1),
    planned_end: date = date(2022, 2, 28),
    status: str = "on programme",
    **kw: Any,
) -> Apprentice:
    directorate = directorate or create_directorate()
    n = next(_seq)
    apprentice = Apprentice(
        reference=kw.pop("reference", f"TAPP{n:05d}"),
        first_name=kw.pop("first_name", "Sam"),
        last_name=kw.pop("last_name", f"Apprentice{n}"),
        date_of_birth=kw.pop("date_of_birth", date(2000, 5, 17)),
        organisation=directorate.organisation,
        directorate=directorate,
        standard=standard or create_standard(),
        provider=provider or create_provider(),
        agreed_price=kw.pop("agreed_price", Decimal("5000")),
        planned_start=planned_start,
        planned_end=planned_end,
        actual_start=kw.pop("actual_start", planned_start if status != "future" else None),
        status=status,
        **kw,
    )
    db.session.add(apprentice)
    db.session.flush()
    return apprentice


def create_transaction(
    month: date,
    type: str,
    amount: Decimal | str,
    reference: str = "",
    **kw: Any,
) -> LevyTransaction:
    row = LevyTransaction(month=month, type=type, amount=Decimal(amount), reference=reference, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def create_pay_bill_month(
    organisation: Organisation, month: date, amount: Decimal | str
) -> PayBillMonth:
    row = PayBillMonth(organisation_id=organisation.id, month=month, amount=Decimal(amount))
    db.session.add(row)
    db.session.flush()
    return row


# Local businesses and transfers


def create_business(
    name: str | None = None,
    employees: int = 8,
    postcode: str = "WR1 2AB",
    district: str | None = "Worcester",
    **kw: Any,
) -> tuple[Organisation, User]:
    org = create_organisation(name=name, kind="business")
    profile = BusinessProfile(
        organisation_id=org.id,
        postcode=postcode,
        district=district,
        employees=employees,
        sector=kw.pop("sector", "Advanced manufacturing"),
        pays_rates_in_county=kw.pop("pays_rates_in_county", True),
        company_number="01234567",
        contact_email=kw.pop("contact_email", ""),
        **kw,
    )
    db.session.add(profile)
    db.session.flush()
    user = create_user(role="employer", organisation=org)
    return org, user


def levy_for_year(year_start: int, levy: str = "100000", top_up: str = "10000") -> None:
    """A year's base: levy + top-up for each month May (year−1) to April (year);
    the defaults give 12 × 110,000 = £1,320,000."""
    for i in range(12):
        month = add_months(date(year_start - 1, 5, 1), i)
        create_transaction(month, "levy", levy)
        create_transaction(month, "top-up", top_up)


def create_application(
    org: Organisation,
    standard: Standard,
    *,
    apprentices: int = 2,
    start: date = date(2021, 5, 1),
    submit_on: date | None = date(2021, 4, 1),
    **kw: Any,
) -> TransferApplication:
    data = transfers_service.ApplicationData(
        standard=standard,
        apprentices=apprentices,
        planned_start=start,
        provider_name=kw.pop("provider_name", "Heart of Worcestershire College"),
        provider_in_county=kw.pop("provider_in_county", True),
        target_groups=kw.pop("target_groups", ["care_leavers"]),
        social_value=kw.pop("social_value", "Roles for care leavers."),
        contact_name="Jo",
        contact_email="jo@example.org",
        **kw,
    )
    # drafted on the day it is submitted, or on its start day if that is earlier
    app = transfers_service.create_draft(org, None, data, BUSINESS, min(submit_on or start, start))
    if submit_on is not None:
        transfers_service.submit(app, BUSINESS, submit_on)
    return app


# Cohort reference data and workbooks


def setup_reference() -> dict[str, Any]:
    """The council with People and Schools, one standard (band £5,000), two providers."""
    council = create_organisation(COUNCIL, kind="council")
    people = create_directorate("People", council, headcount=1000, pay_bill=Decimal(30000000))
    schools = create_directorate(
        "Schools", council, headcount=500, pay_bill=Decimal(20000000), is_schools=True
    )
    standard = create_standard("ST0070", level=3, band=Decimal(5000))
    senior = create_standard("ST0480", level=7, band=Decimal(14000), title="Senior leader")
    college = create_provider("Heart of Worcestershire College", ukprn="10099902")
    council_provider = create_provider(COUNCIL, employer_provider=True, ukprn="10099901")
    return {
        "council": council,
        "people": people,
        "schools": schools,
        "standard": standard,
        "senior": senior,
        "college": college,
        "council_provider": council_provider,
    }


def apprentice_form(ref: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A valid "Add an apprentice" form (APP-NEW, Ava Jones) on ``setup_reference()``'s
    People directorate, standard and college; ``changes`` replace fields."""
    return {
        "reference": "APP-NEW",
        "first_name": "Ava",
        "last_name": "Jones",
        "date_of_birth": ["30", "6", "2000"],
        "directorate_id": str(ref["people"].id),
        "standard_id": str(ref["standard"].id),
        "provider_id": str(ref["college"].id),
        "agreed_price": "4500",
        "start": ["1", "9", "2020"],
        "planned_end": ["28", "2", "2022"],
        **changes,
    }


def person(ref: str = "APP-0001", **kw: Any) -> list[Any]:
    values = {
        "Reference": ref,
        "First name": "Amelia",
        "Last name": "Smith",
        "Date of birth": date(1999, 6, 30),
        "Organisation": COUNCIL,
        "Directorate": "People",
        "Standard": "ST0070",
        "Provider": "Heart of Worcestershire College",
        "Agreed price": 5000,
        "Employment start": date(2019, 1, 7),
        "Start date": date(2020, 9, 1),
        "Planned end date": date(2022, 2, 28),
        "Status": "on programme",
        "Status date": None,
        "New hire": "no",
        "Care leaver": "no",
        "EHC plan": "no",
        "ULN": None,
    }
    values.update(kw)
    return [values[h] for h in APPRENTICES_HEADER]


def apprentices_book(
    path: Path,
    rows: list[list[Any]],
    breaks: list[list[Any]] | None = None,
    header: tuple[str, ...] = APPRENTICES_HEADER,
) -> Path:
    book = _one_sheet("Apprentices", header, rows)
    if breaks is not None:
        sheet = book.create_sheet("Breaks")
        sheet.append(list(BREAKS_HEADER))
        for row in breaks:
            sheet.append(row)
    book.save(path)
    return path


def _one_sheet(name: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = name
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    return book


def sheet_book(path: Path, name: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Path:
    """A workbook file of one sheet: ``header`` on row 1, then ``rows``."""
    _one_sheet(name, header, rows).save(path)
    return path


def sheet_bytes(name: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """The bytes of a workbook of one sheet: ``header`` on row 1, then ``rows``."""
    out = io.BytesIO()
    _one_sheet(name, header, rows).save(out)
    return out.getvalue()


# Levy account and directorate workbooks


def transactions_book(
    rows: Iterable[Sequence[Any]],
    header: Sequence[Any] = ledger_import.HEADER,
    sheet: str = ledger_import.SHEET,
) -> bytes:
    """A levy transactions workbook (Month, Type, Amount, Reference), as uploaded."""
    return sheet_bytes(sheet, header, rows)


def transactions_file(path: Path, rows: Iterable[Sequence[Any]]) -> Path:
    """A levy transactions workbook written to ``path``, for the command line."""
    return sheet_book(path, ledger_import.SHEET, ledger_import.HEADER, rows)


def pay_bill_book(rows: Iterable[Sequence[Any]]) -> bytes:
    """A pay bill workbook (Organisation, Payroll month, Pay bill)."""
    return sheet_bytes(ledger_import.PAY_BILL_SHEET, ledger_import.PAY_BILL_HEADER, rows)


def directorates_book(
    path: Path,
    rows: Iterable[Sequence[Any]],
    header: Sequence[Any] = directorates_import.HEADER,
    sheet: str = directorates_import.SHEET,
) -> Path:
    """A directorates workbook (Organisation, Directorate, Financial year, ...)."""
    return sheet_book(path, sheet, header, rows)
