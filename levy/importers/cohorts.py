"""Standards, providers and apprentices workbooks (issue 5 items 1, 2, 8).

Each ``read_*`` checks the whole workbook and either returns plain rows or
raises ``ImportFailed`` with every problem as ``sheet, row, column: message``.
Names that must exist in the database (organisations, directorates, standards,
providers) are resolved by the service, which reports unknown ones the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from levy.domain.cohort_rows import (
    APPRENTICES_HEADER,
    APPRENTICES_REQUIRED_HEADER,
    APPRENTICES_SHEET,
    BREAKS_HEADER,
    BREAKS_SHEET,
    OTJ_HEADER,
    OTJ_SHEET,
    PROVIDERS_HEADER,
    PROVIDERS_SHEET,
    STANDARDS_HEADER,
    STANDARDS_SHEET,
    ApprenticeRow,
    KnownNames,
    ProviderRow,
    StandardRow,
    name_problems,
)
from levy.domain.cohorts import CohortError, Status, check_record
from levy.domain.commitments import Break
from levy.domain.errors import ImportFailed, RowError
from levy.importers.workbook import (
    Row,
    open_workbook,
    read_sheet,
    template_workbook,
)

Source = str | Path | bytes | IO[bytes]

IMPORT_STATUSES = ("future", "on programme", "break", "completed", "withdrawn", "cancelled")

APPRENTICE_INSTRUCTIONS = (
    ("Reference", "The council's reference for the apprentice, unique, like APP-0001."),
    ("First name", "The apprentice's first name."),
    (
        "ULN",
        "Optional last column: the unique learner number, 10 digits (blank if not known). "
        "Leave the column out to keep the ULNs already recorded.",
    ),
    ("Last name", "The apprentice's last name."),
    (
        "Date of birth",
        "A date, like 2001-06-30 or 30/06/2001. The apprentice must be 16 or over at the start.",
    ),
    (
        "Organisation",
        "The employer, exactly as set up: Worcestershire County Council or "
        "Worcestershire Children First.",
    ),
    ("Directorate", "The directorate, service or area, exactly as set up (schools: Schools)."),
    ("Standard", "The apprenticeship standard's reference, like ST0070 (see the standards list)."),
    (
        "Provider",
        "The training provider's name, exactly as set up (the council itself for the "
        "employer-provider route).",
    ),
    (
        "Agreed price",
        "The total price agreed with the provider, in pounds, like 5000 or 5,000.00. "
        "Anything above the standard's funding band is the organisation's own cost.",
    ),
    (
        "Employment start",
        "The date the apprentice started work with the employer (blank if not known).",
    ),
    ("Start date", "The apprenticeship's actual start date; for status future, the planned start."),
    ("Planned end date", "The planned end date of the practical period; after the start date."),
    (
        "Status",
        "One of: future, on programme, break, completed, withdrawn (or cancelled for a "
        "future start that will not happen).",
    ),
    (
        "Status date",
        "The completion or withdrawal (or cancellation) date; blank for the other statuses.",
    ),
    (
        "New hire",
        "yes if recruited as a new employee for the apprenticeship, no for existing staff.",
    ),
    (
        "Care leaver",
        "yes only if the apprentice is a care leaver and has consented to the "
        "employer being told; otherwise no.",
    ),
    ("EHC plan", "yes if the apprentice has an education, health and care plan; otherwise no."),
    (
        "Breaks sheet",
        "Optional: one row per break in learning: Reference, Break start, Break end "
        "(blank while the break is open; the status is then break). Breaks must not overlap.",
    ),
    (
        "Importing",
        "The whole workbook is checked first: if anything is wrong nothing is saved and "
        "every problem is listed as sheet, row, column. Importing the same file again changes "
        "nothing; a changed row updates that apprentice and the change is recorded in the audit "
        "trail.",
    ),
)
STANDARD_INSTRUCTIONS = (
    ("Reference", "The standard's reference, like ST0070."),
    ("Title", "The standard's title."),
    ("Level", "2 to 7."),
    ("Route", "The occupational route, like Care services."),
    ("Duration months", "Typical duration in months."),
    ("Funding band max", "Funding band maximum in pounds."),
    (
        "Valid from",
        "The date the band applies from; a later row for the same standard adds the new band.",
    ),
    (
        "Off-the-job sheet",
        "Optional: Reference and the off-the-job minimum hours the standard publishes (used "
        "for starts from 1 August 2025); a standard not listed keeps what it had.",
    ),
)
PROVIDER_INSTRUCTIONS = (
    ("Name", "The provider's name."),
    ("UKPRN", "The 8-digit UK provider reference number."),
    ("In county", "yes if based in the county."),
    ("Employer-provider", "yes if it is the council itself training its own apprentices."),
)


def _finish(errors: list[RowError], rows: list, sheet: str) -> None:
    if not rows and not errors:
        errors.append(RowError(sheet, None, None, "has no data rows: nothing to import"))
    if errors:
        raise ImportFailed(errors)


def read_standards(source: Source) -> list[StandardRow]:
    book = open_workbook(source)
    errors: list[RowError] = []
    rows: list[StandardRow] = []
    seen: dict[tuple[str, date], int] = {}
    first: dict[str, StandardRow] = {}
    for row in read_sheet(book, STANDARDS_SHEET, STANDARDS_HEADER, errors=errors):
        reference = row.text("Reference", max_length=20)
        title = row.text("Title")
        level = row.integer("Level", minimum=2, maximum=7)
        route = row.text("Route", required=False, max_length=100)
        months = row.integer("Duration months", minimum=1, maximum=120)
        band = row.money("Funding band max", allow_zero=False)
        valid_from = row.day("Valid from")
        errors.extend(row.errors)
        if row.errors:
            continue
        assert reference is not None and title is not None and valid_from is not None  # required
        assert level is not None and months is not None and band is not None  # required too
        key = (reference.upper(), valid_from)
        if key in seen:
            errors.append(
                RowError(
                    STANDARDS_SHEET,
                    row.number,
                    "Valid from",
                    f"{reference} from {valid_from} is already on row {seen[key]}",
                )
            )
            continue
        seen[key] = row.number
        item = StandardRow(
            row.number,
            reference.upper(),
            title,
            level,
            route or "",
            months,
            band,
            valid_from,
        )
        earlier = first.setdefault(item.reference, item)
        if earlier is not item and (earlier.title, earlier.level) != (item.title, item.level):
            errors.append(
                RowError(
                    STANDARDS_SHEET,
                    row.number,
                    "Title",
                    f"{item.reference} has a different title or level on row {earlier.row}",
                )
            )
            continue
        rows.append(item)
    minimums = _otj_minimums(book, errors, set(first))
    book.close()
    _finish(errors, rows, STANDARDS_SHEET)
    return [replace(r, otj_minimum_hours=minimums.get(r.reference)) for r in rows]


def _otj_minimums(book: Any, errors: list[RowError], references: set[str]) -> dict[str, int]:
    """The optional Off-the-job sheet: each standard's published minimum hours."""
    found: dict[str, int] = {}
    for row in read_sheet(book, OTJ_SHEET, OTJ_HEADER, required=False, errors=errors):
        reference = row.text("Reference", max_length=20)
        hours = row.integer("Off-the-job minimum hours", minimum=1, maximum=5000)
        errors.extend(row.errors)
        if row.errors or reference is None or hours is None:
            continue
        reference = reference.upper()
        if reference not in references:
            errors.append(RowError(OTJ_SHEET, row.number, "Reference",
                                   f"{reference} is not on the Standards sheet"))  # fmt: skip
        elif reference in found:
            errors.append(RowError(OTJ_SHEET, row.number, "Reference",
                                   f"{reference} is listed twice"))  # fmt: skip
        else:
            found[reference] = hours
    return found


def read_providers(source: Source) -> list[ProviderRow]:
    book = open_workbook(source)
    errors: list[RowError] = []
    rows: list[ProviderRow] = []
    names: dict[str, int] = {}
    ukprns: dict[str, int] = {}
    for row in read_sheet(book, PROVIDERS_SHEET, PROVIDERS_HEADER, errors=errors):
        name = row.text("Name")
        ukprn = row.text("UKPRN", max_length=20)
        in_county = row.yes_no("In county")
        employer = row.yes_no("Employer-provider")
        if ukprn is not None and not (len(ukprn) == 8 and ukprn.isdigit()):
            row.error("UKPRN", f"'{ukprn}' is not a UKPRN: it has 8 digits, like 10007777")
        errors.extend(row.errors)
        if row.errors:
            continue
        for column, value, seen in (("Name", name.lower(), names), ("UKPRN", ukprn, ukprns)):  # type: ignore[union-attr]  # required cells: else in row.errors
            if value in seen:
                errors.append(
                    RowError(
                        PROVIDERS_SHEET, row.number, column, f"is already on row {seen[value]}"
                    )
                )
                break
        else:
            names[name.lower()] = ukprns[ukprn] = row.number  # type: ignore[union-attr,index]  # required cells: else in row.errors
            rows.append(ProviderRow(row.number, name, ukprn, in_county, employer))  # type: ignore[arg-type]  # required cells: else in row.errors
    book.close()
    _finish(errors, rows, PROVIDERS_SHEET)
    return rows


def _apprentice(row: Row, known: KnownNames | None = None) -> ApprenticeRow | None:
    """The row, or None when a cell cannot be read. Every problem of the row is on
    ``row.errors``: unreadable cells, names not set up (with ``known``), and, when a cell
    elsewhere is unreadable but the dates are not, the dates' own checks."""
    reference = row.text("Reference", max_length=30)
    first = row.text("First name", max_length=100)
    last = row.text("Last name", max_length=100)
    born = row.day("Date of birth")
    organisation = row.text("Organisation")
    directorate = row.text("Directorate")
    standard = row.text("Standard", max_length=20)
    provider = row.text("Provider")
    price = row.money("Agreed price", allow_zero=False)
    employment = row.day("Employment start", required=False)
    start = row.day("Start date")
    end = row.day("Planned end date")
    status_text = row.choice("Status", IMPORT_STATUSES)
    status_date = row.day("Status date", required=False)
    new_hire = row.yes_no("New hire")
    care_leaver = row.yes_no("Care leaver")
    ehc = row.yes_no("EHC plan")
    uln_given = "ULN" in row.values
    uln = _uln(row) if uln_given else None
    unreadable = bool(row.errors)
    if known is not None:
        for column, message in name_problems(known, organisation, directorate, standard, provider):
            row.error(column, message)
    if unreadable:
        if born is not None and start is not None and end is not None and status_text:
            for problem in check_record(
                date_of_birth=born,
                start=start,
                planned_end=end,
                status=Status.parse(status_text),
                status_date=status_date,
                employment_start=employment,
            ):
                row.error(problem.field, problem.message)
        return None
    return ApprenticeRow(
        row.number,
        reference,  # type: ignore[arg-type]  # required cells: else in row.errors
        first,  # type: ignore[arg-type]  # required cells: else in row.errors
        last,  # type: ignore[arg-type]  # required cells: else in row.errors
        born,  # type: ignore[arg-type]  # required cells: else in row.errors
        organisation,  # type: ignore[arg-type]  # required cells: else in row.errors
        directorate,  # type: ignore[arg-type]  # required cells: else in row.errors
        standard.upper(),  # type: ignore[union-attr]  # required cells: else in row.errors
        provider,  # type: ignore[arg-type]  # required cells: else in row.errors
        price,  # type: ignore[arg-type]  # required cells: else in row.errors
        employment,
        start,  # type: ignore[arg-type]  # required cells: else in row.errors
        end,  # type: ignore[arg-type]  # required cells: else in row.errors
        Status.parse(status_text),
        status_date,
        new_hire,  # type: ignore[arg-type]  # required cells: else in row.errors
        care_leaver,  # type: ignore[arg-type]  # required cells: else in row.errors
        ehc,  # type: ignore[arg-type]  # required cells: else in row.errors
        uln=uln,
        uln_given=uln_given,
    )


def _apprentices_header(book: Any) -> tuple[str, ...]:
    """The full header, or the one without the optional last ``ULN`` column if the
    sheet has that one."""
    if APPRENTICES_SHEET in book.sheetnames:
        first = next(book[APPRENTICES_SHEET].iter_rows(max_row=1, values_only=True), ())
        found = [("" if v is None else str(v).strip()) for v in first or ()]
        while found and not found[-1]:
            found.pop()
        if found == list(APPRENTICES_REQUIRED_HEADER):
            return APPRENTICES_REQUIRED_HEADER
    return APPRENTICES_HEADER


def _uln(row: Row) -> str | None:
    value = row.values.get("ULN")
    if value is None or not str(value).strip():
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace(" ", "")
    if len(text) != 10 or not text.isdigit():
        row.error("ULN", f"'{value}' is not a ULN: write the 10 digits, like 1234567890")
        return None
    return text


def read_apprentices(source: Source, known: KnownNames | None = None) -> list[ApprenticeRow]:
    """Both sheets, checked row by row and as a whole (duplicates, breaks, statuses); with
    ``known`` (``levy.services.cohorts.known_names()``) the names too, in the same pass, so
    every problem of every row is reported at once."""
    book = open_workbook(source)
    errors: list[RowError] = []
    rows: list[ApprenticeRow] = []
    by_reference: dict[str, ApprenticeRow] = {}
    by_uln: dict[str, int] = {}
    header = _apprentices_header(book)
    for row in read_sheet(book, APPRENTICES_SHEET, header, errors=errors):
        item = _apprentice(row, known)
        if item is not None and item.uln:
            if item.uln in by_uln:
                row.error("ULN", f"ULN {item.uln} is already on row {by_uln[item.uln]}")
            else:
                by_uln[item.uln] = row.number
        errors.extend(row.errors)
        if item is None:
            continue
        key = item.reference.lower()
        if key in by_reference:
            errors.append(
                RowError(
                    APPRENTICES_SHEET,
                    row.number,
                    "Reference",
                    f"{item.reference} is already on row {by_reference[key].row}",
                )
            )
            continue
        by_reference[key] = item
        rows.append(item)
    for row in read_sheet(book, BREAKS_SHEET, BREAKS_HEADER, required=False, errors=errors):
        reference = row.text("Reference", max_length=30)
        start = row.day("Break start")
        end = row.day("Break end", required=False)
        errors.extend(row.errors)
        if row.errors:
            continue
        owner = by_reference.get(reference.lower())  # type: ignore[union-attr]  # required cells: else in row.errors
        if owner is None:
            errors.append(
                RowError(
                    BREAKS_SHEET,
                    row.number,
                    "Reference",
                    f"{reference} is not on the Apprentices sheet",
                )
            )
            continue
        if end is not None and end < start:  # type: ignore[operator]  # required cells: else in row.errors
            errors.append(
                RowError(BREAKS_SHEET, row.number, "Break end", f"{end} is before the break start")
            )
            continue
        owner.breaks.append(Break(start, end))  # type: ignore[arg-type]  # required cells: else in row.errors
        owner.break_rows.append(row.number)
    book.close()
    for item in rows:
        try:
            problems = check_record(
                date_of_birth=item.date_of_birth,
                start=item.start,
                planned_end=item.planned_end,
                status=item.status,
                status_date=item.status_date,
                breaks=item.breaks,
                employment_start=item.employment_start,
            )
        except CohortError as exc:  # pragma: no cover - check_record reports, never raises
            problems = []
            errors.append(RowError(APPRENTICES_SHEET, item.row, None, str(exc)))
        for problem in problems:
            on_breaks = problem.field.startswith("Break") and item.break_rows
            errors.append(
                RowError(
                    BREAKS_SHEET if on_breaks else APPRENTICES_SHEET,
                    min(item.break_rows) if on_breaks else item.row,
                    problem.field,
                    f"{item.reference}: {problem.message}" if on_breaks else problem.message,
                )
            )
        item.breaks.sort(key=lambda b: b.start)
    _finish(errors, rows, APPRENTICES_SHEET)
    return rows


def apprentices_template() -> object:
    return template_workbook(
        {APPRENTICES_SHEET: APPRENTICES_HEADER, BREAKS_SHEET: BREAKS_HEADER},
        APPRENTICE_INSTRUCTIONS,
    )


def standards_template() -> object:
    return template_workbook(
        {STANDARDS_SHEET: STANDARDS_HEADER, OTJ_SHEET: OTJ_HEADER}, STANDARD_INSTRUCTIONS
    )


def providers_template() -> object:
    return template_workbook({PROVIDERS_SHEET: PROVIDERS_HEADER}, PROVIDER_INSTRUCTIONS)


# --- export: the same sheets and columns, so an export re-imports unchanged -------------


def export_sheets(people: list[list[Any]], breaks: list[list[Any]]) -> dict[str, Any]:
    """The apprentices download (web and ``flask levy export``), written by ``levy.exports``;
    its sheets and headers are the import's, so it re-imports unchanged."""
    return {
        APPRENTICES_SHEET: (APPRENTICES_HEADER, people),
        BREAKS_SHEET: (BREAKS_HEADER, breaks),
    }
