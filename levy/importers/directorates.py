"""``Directorates`` workbook: organisations, directorates, headcount and pay bill by year."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from levy.domain.errors import ImportFailed, RowError
from levy.domain.import_rows import (
    AgeRow,
    DirectorateRow,
)
from levy.domain.months import parse_year_label, year_label
from levy.importers.workbook import (
    Row,
    open_workbook,
    read_sheet,
    template_workbook,
)

SHEET = "Directorates"
HEADER = ("Organisation", "Directorate", "Financial year", "Headcount", "Pay bill")
AGE_SHEET = "Age profile"
AGE_HEADER = (
    "Organisation",
    "Directorate",
    "Financial year",
    "Aged under 30",
    "Aged 50 and over",
    "Aged 55 and over",
)
INSTRUCTIONS = (
    (
        "Organisation",
        "The employer: Worcestershire County Council or Worcestershire Children First.",
    ),
    (
        "Directorate",
        "Directorate, service or area. Community and voluntary-controlled schools: Schools.",
    ),
    (
        "Financial year",
        "The financial year the figures are for, like 2020-21 (1 April to 31 March).",
    ),
    ("Headcount", "People employed at the start of the year (a whole number)."),
    ("Pay bill", "Pay bill for the year in pounds (earnings liable to Class 1 secondary NICs)."),
    ("Age profile sheet", "Optional: headcount aged under 30, 50 and over, and 55 and over."),
)


def _year(row: Row) -> int | None:
    text = row.text("Financial year")
    if text is None:
        return None
    try:
        return parse_year_label(text)
    except ValueError:
        row.error("Financial year", f"'{text}' is not a financial year: write it like 2020-21")
        return None


def read(source: str | Path | bytes | IO[bytes]) -> tuple[list[DirectorateRow], list[AgeRow]]:
    """Every row, checked; raises ``ImportFailed`` listing every problem."""
    book = open_workbook(source)
    errors: list[RowError] = []
    rows: list[DirectorateRow] = []
    seen: dict[tuple[str, str, int], int] = {}
    named: set[tuple[str, str, int]] = set()  # every row whose names and year could be read
    for row in read_sheet(book, SHEET, HEADER, errors=errors):
        org = row.text("Organisation")
        name = row.text("Directorate")
        year = _year(row)
        headcount = row.integer("Headcount", minimum=0)
        pay_bill = row.money("Pay bill")
        errors.extend(row.errors)
        if org is not None and name is not None and year is not None:
            named.add((org.lower(), name.lower(), year))
        if row.errors or None in (org, name, year, headcount, pay_bill):
            continue
        assert org is not None and name is not None and year is not None  # by the test above
        key = (org.lower(), name.lower(), year)
        if key in seen:
            errors.append(
                RowError(
                    SHEET,
                    row.number,
                    "Directorate",
                    f"{name} in {org} for that year is already on row {seen[key]}",
                )
            )
            continue
        seen[key] = row.number
        rows.append(DirectorateRow(row.number, org, name, year, headcount, pay_bill))  # type: ignore[arg-type]  # required cells: else in row.errors
    ages: list[AgeRow] = []
    for row in read_sheet(book, AGE_SHEET, AGE_HEADER, required=False, errors=errors):
        org = row.text("Organisation")
        name = row.text("Directorate")
        year = _year(row)
        counts = [row.integer(c) for c in AGE_HEADER[3:]]
        errors.extend(row.errors)
        if row.errors:
            continue
        assert org is not None and name is not None and year is not None  # else in row.errors
        if (org.lower(), name.lower(), year) not in named:
            errors.append(
                RowError(
                    AGE_SHEET,
                    row.number,
                    "Directorate",
                    f"{name} in {org} for {year_label(year)} is not on the Directorates sheet",
                )
            )
            continue
        ages.append(AgeRow(row.number, org, name, year, *counts))  # type: ignore[arg-type]  # required cells: else in row.errors
    book.close()
    if not rows and not errors:
        errors.append(RowError(SHEET, None, None, "has no data rows: nothing to import"))
    if errors:
        raise ImportFailed(errors)
    return rows, ages


def template() -> object:
    return template_workbook({SHEET: HEADER, AGE_SHEET: AGE_HEADER}, INSTRUCTIONS)
