"""Workbooks and reference data for the cohort tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from levy.importers.cohorts import APPRENTICES_HEADER, BREAKS_HEADER
from tests import factories

COUNCIL = "Worcestershire County Council"


def setup_reference() -> dict[str, Any]:
    """The council with People and Schools, one standard (band £5,000), two providers."""
    council = factories.create_organisation(COUNCIL, kind="council")
    people = factories.create_directorate(
        "People", council, headcount=1000, pay_bill=Decimal(30000000)
    )
    schools = factories.create_directorate(
        "Schools", council, headcount=500, pay_bill=Decimal(20000000), is_schools=True
    )
    standard = factories.create_standard("ST0070", level=3, band=Decimal(5000))
    senior = factories.create_standard(
        "ST0480", level=7, band=Decimal(14000), title="Senior leader"
    )
    college = factories.create_provider("Heart of Worcestershire College", ukprn="10099902")
    council_provider = factories.create_provider(COUNCIL, employer_provider=True, ukprn="10099901")
    return {
        "council": council,
        "people": people,
        "schools": schools,
        "standard": standard,
        "senior": senior,
        "college": college,
        "council_provider": council_provider,
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
    book = Workbook()
    ws = book.active
    ws.title = "Apprentices"
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    if breaks is not None:
        sheet = book.create_sheet("Breaks")
        sheet.append(list(BREAKS_HEADER))
        for row in breaks:
            sheet.append(row)
    book.save(path)
    return path


def sheet_book(path: Path, name: str, header: tuple[str, ...], rows: list[list[Any]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = name
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    book.save(path)
    return path
