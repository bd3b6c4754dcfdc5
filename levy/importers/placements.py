"""``Placements`` workbook: young people and their work-experience placements (issue 7, 11).

Sheets ``Young people`` and ``Placements`` are required; ``Follow-ups``, ``Vacancies``
and ``Applicants`` are optional. Every row is checked against the placement rules in
``levy.domain.placements`` before anything is written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from levy.domain import placements as rules
from levy.domain.errors import ImportFailed, RowError
from levy.domain.import_rows import (
    APP_SHEET,
    FU_SHEET,
    PL_SHEET,
    VAC_SHEET,
    YP_SHEET,
    ApplicantRow,
    FollowUpRow,
    PlacementRow,
    PlacementsWorkbook,
    VacancyRow,
    YoungPersonRow,
)
from levy.importers.workbook import (
    Row,
    open_workbook,
    read_sheet,
    template_workbook,
)

YP_HEADER = (
    "Reference",
    "First name",
    "Last name",
    "Date of birth",
    "Care status",
    "Personal adviser",
    "Adviser contact",
    "Consent to share with hosts",
    "Consent to share with employer",
    "Support needs",
)
PL_HEADER = (
    "Reference",
    "Young person",
    "Host organisation",
    "Directorate",
    "Service",
    "Supervisor",
    "Type",
    "Planned start",
    "Planned end",
    "Planned hours",
    "Actual start",
    "Actual end",
    "Actual hours",
    "Paid",
    "Pay reason",
    "Risk assessed on",
    "Risk assessed by",
    "Outcome",
    "Feedback from the young person",
    "Feedback from the host",
)
FU_HEADER = ("Placement", "Months", "Recorded on", "Progression", "Apprentice", "Note")
VAC_HEADER = (
    "Reference",
    "Title",
    "Host organisation",
    "Directorate",
    "Shared on",
    "Closing date",
    "Minimum criteria",
    "Apprenticeship",
)
APP_HEADER = (
    "Vacancy",
    "Young person",
    "Applied on",
    "Met minimum criteria",
    "Interview on",
    "Interview declined",
    "Outcome",
)

INSTRUCTIONS = (
    ("Young people", "One row per young person. Reference: your own id, like YP-001."),
    ("Care status", "care leaver or care experienced."),
    ("Consent to share…", "The date the young person agreed to share with hosts / the employer."),
    ("Placements", "One row per placement. Reference: your own id, like PL-001."),
    ("Young person", "The young person's reference (from the Young people sheet or already held)."),
    (
        "Host organisation / Directorate",
        "The council or its company and the directorate; an outside host leaves Directorate blank.",
    ),
    ("Type", "taster (up to a day), short (up to two weeks) or extended (up to six weeks)."),
    ("Planned/actual hours", "Total hours, like 1 for a one-hour taster or 37.5."),
    ("Paid", "yes or no; Pay reason says why (real work over several weeks may need the NMW)."),
    ("Outcome", "completed, left early or did not start; blank until known."),
    ("Follow-ups", "Optional: progression at 3 or 6 months after the placement ended."),
    ("Progression", "apprenticeship (give the apprentice reference), job, education or "
     "training, none yet."),
    ("Vacancies / Applicants", "Optional: vacancies shared with the team and care leavers "
     "who applied."),
)  # fmt: skip


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _hours(row: Row, column: str) -> Decimal | None:
    value = row.values.get(column)
    if _is_blank(value):
        return None
    try:
        hours = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        row.error(column, f"'{value}' is not a number of hours, like 7.5")
        return None
    if hours != hours.quantize(Decimal("0.01")):
        row.error(column, f"'{value}' has more than 2 decimal places")
        return None
    return hours.quantize(Decimal("0.01"))


def _duplicate(
    seen: dict[str, int], key: str, sheet: str, row: Row, column: str, errors: list[RowError]
) -> bool:
    if key.lower() in seen:
        errors.append(
            RowError(sheet, row.number, column, f"'{key}' is already on row {seen[key.lower()]}")
        )
        return True
    seen[key.lower()] = row.number
    return False


def _young_people(book: Any, errors: list[RowError], today: date) -> list[YoungPersonRow]:
    out: list[YoungPersonRow] = []
    seen: dict[str, int] = {}
    for row in read_sheet(book, YP_SHEET, YP_HEADER, errors=errors):
        values: dict[str, Any] = {
            "reference": row.text("Reference", max_length=30),
            "first_name": row.text("First name", max_length=100),
            "last_name": row.text("Last name", max_length=100),
            "date_of_birth": row.day("Date of birth"),
            "care_status": row.choice("Care status", rules.CARE_STATUSES),
            "personal_adviser": row.text("Personal adviser", required=False),
            "adviser_contact": row.text("Adviser contact", required=False),
            "consent_hosts_on": row.day("Consent to share with hosts", required=False),
            "consent_employer_on": row.day("Consent to share with employer", required=False),
            "support_needs": row.text("Support needs", required=False, max_length=2000),
        }
        if not row.errors:
            person = rules.YoungPerson(
                values["reference"],
                f"{values['first_name']} {values['last_name']}",
                values["date_of_birth"],
                values["care_status"],
                values["consent_hosts_on"],
                values["consent_employer_on"],
            )
            for name, message in rules.young_person_errors(person, today):
                column = {
                    "date_of_birth": "Date of birth",
                    "consent_hosts_on": "Consent to share with hosts",
                    "consent_employer_on": "Consent to share with employer",
                }.get(name, "Care status")
                row.error(column, message)
        errors.extend(row.errors)
        if row.errors or _duplicate(seen, values["reference"], YP_SHEET, row, "Reference", errors):
            continue
        out.append(YoungPersonRow(row.number, **values))
    return out


PLACEMENT_COLUMNS = {
    "type": "Type",
    "planned_start": "Planned start",
    "planned_end": "Planned end",
    "planned_hours": "Planned hours",
    "actual_start": "Actual start",
    "actual_end": "Actual end",
    "actual_hours": "Actual hours",
    "pay_reason": "Pay reason",
    "risk_assessed_by": "Risk assessed by",
    "outcome": "Outcome",
}


def _placements(book: Any, errors: list[RowError]) -> list[PlacementRow]:
    out: list[PlacementRow] = []
    seen: dict[str, int] = {}
    for row in read_sheet(book, PL_SHEET, PL_HEADER, errors=errors):
        reference = row.text("Reference", max_length=30)
        young_person = row.text("Young person", max_length=30)
        host = row.text("Host organisation")
        directorate = row.text("Directorate", required=False)
        service = row.text("Service", required=False)
        supervisor = row.text("Supervisor", required=False)
        kind = row.choice("Type", rules.TYPES)
        planned_start = row.day("Planned start")
        planned_end = row.day("Planned end")
        planned_hours = _hours(row, "Planned hours")
        actual_start = row.day("Actual start", required=False)
        actual_end = row.day("Actual end", required=False)
        actual_hours = _hours(row, "Actual hours")
        paid = row.yes_no("Paid")
        pay_reason = row.text("Pay reason", max_length=2000)
        risk_on = row.day("Risk assessed on", required=False)
        risk_by = row.text("Risk assessed by", required=False)
        outcome = row.choice("Outcome", rules.OUTCOMES, required=False)
        feedback_yp = row.text("Feedback from the young person", required=False, max_length=4000)
        feedback_host = row.text("Feedback from the host", required=False, max_length=4000)
        placement = None
        if not row.errors:
            placement = rules.Placement(
                type=kind or "",
                planned_start=planned_start,  # type: ignore[arg-type]  # required cells: else in row.errors
                planned_end=planned_end,  # type: ignore[arg-type]  # required cells: else in row.errors
                planned_hours=planned_hours,
                actual_start=actual_start,
                actual_end=actual_end,
                actual_hours=actual_hours,
                paid=bool(paid),
                pay_reason=pay_reason or "",
                risk_assessed_on=risk_on,
                risk_assessed_by=risk_by or "",
                outcome=outcome or None,
                directorate=directorate or "",
                service=service or "",
            )
            for name, message in rules.placement_errors(placement):
                row.error(PLACEMENT_COLUMNS.get(name, "Type"), message)
        errors.extend(row.errors)
        if row.errors or _duplicate(seen, reference or "", PL_SHEET, row, "Reference", errors):
            continue
        assert placement is not None
        out.append(
            PlacementRow(
                row.number,
                reference or "",
                young_person or "",
                host or "",
                directorate or "",
                service or "",
                supervisor or "",
                placement,
                feedback_yp or "",
                feedback_host or "",
            )
        )
    return out


def _follow_ups(book: Any, errors: list[RowError]) -> list[FollowUpRow]:
    out: list[FollowUpRow] = []
    seen: dict[str, int] = {}
    for row in read_sheet(book, FU_SHEET, FU_HEADER, required=False, errors=errors):
        placement = row.text("Placement", max_length=30)
        months = row.integer("Months", minimum=3, maximum=6)
        recorded_on = row.day("Recorded on")
        progression = row.choice("Progression", rules.PROGRESSIONS)
        apprentice = row.text("Apprentice", required=False, max_length=30)
        note = row.text("Note", required=False, max_length=2000)
        if months is not None and months not in rules.FOLLOW_UP_MONTHS:
            row.error("Months", "A follow-up is at 3 or 6 months")
        if progression == rules.APPRENTICESHIP and not apprentice:
            row.error("Apprentice", "Give the apprentice reference for an apprenticeship")
        if progression and progression != rules.APPRENTICESHIP and apprentice:
            row.error("Apprentice", "Only an apprenticeship links an apprentice record")
        errors.extend(row.errors)
        if row.errors or _duplicate(seen, f"{placement}:{months}", FU_SHEET, row, "Months", errors):
            continue
        follow_up = rules.FollowUp(months, recorded_on, progression, apprentice or None, note or "")  # type: ignore[arg-type]  # required cells: else in row.errors
        out.append(FollowUpRow(row.number, placement or "", follow_up))
    return out


def _vacancies(book: Any, errors: list[RowError]) -> list[VacancyRow]:
    out: list[VacancyRow] = []
    seen: dict[str, int] = {}
    for row in read_sheet(book, VAC_SHEET, VAC_HEADER, required=False, errors=errors):
        values: dict[str, Any] = {
            "reference": row.text("Reference", max_length=30),
            "title": row.text("Title"),
            "host_organisation": row.text("Host organisation"),
            "directorate": row.text("Directorate", required=False),
            "shared_on": row.day("Shared on"),
            "closing_on": row.day("Closing date", required=False),
            "minimum_criteria": row.text("Minimum criteria", required=False, max_length=2000),
            "apprenticeship": bool(row.yes_no("Apprenticeship", required=False)),
        }
        closing, shared = values["closing_on"], values["shared_on"]
        if closing and shared and closing < shared:
            row.error("Closing date", "is before the date the vacancy was shared")
        errors.extend(row.errors)
        if row.errors or _duplicate(seen, values["reference"], VAC_SHEET, row, "Reference", errors):
            continue
        out.append(VacancyRow(row.number, **values))
    return out


def _applicants(book: Any, errors: list[RowError]) -> list[ApplicantRow]:
    out: list[ApplicantRow] = []
    seen: dict[str, int] = {}
    for row in read_sheet(book, APP_SHEET, APP_HEADER, required=False, errors=errors):
        values: dict[str, Any] = {
            "vacancy": row.text("Vacancy", max_length=30),
            "young_person": row.text("Young person", max_length=30),
            "applied_on": row.day("Applied on"),
            "met_minimum_criteria": None
            if _is_blank(row.values.get("Met minimum criteria"))
            else row.yes_no("Met minimum criteria"),
            "interview_on": row.day("Interview on", required=False),
            "interview_declined": bool(row.yes_no("Interview declined", required=False)),
            "outcome": row.text("Outcome", required=False),
        }
        if (
            values["interview_on"]
            and values["applied_on"]
            and (values["interview_on"] < values["applied_on"])
        ):
            row.error("Interview on", "is before the application")
        errors.extend(row.errors)
        key = f"{values['vacancy']}:{values['young_person']}"
        if row.errors or _duplicate(seen, key, APP_SHEET, row, "Young person", errors):
            continue
        out.append(ApplicantRow(row.number, **values))
    return out


def read(source: str | Path | bytes | IO[bytes], today: date) -> PlacementsWorkbook:
    """Every row, checked; raises ``ImportFailed`` listing every problem.

    ``today`` comes from the caller (``levy.clock.today()``), so LEVY_AS_OF holds."""
    book = open_workbook(source)
    errors: list[RowError] = []
    parsed = PlacementsWorkbook(
        _young_people(book, errors, today),
        _placements(book, errors),
        _follow_ups(book, errors),
        _vacancies(book, errors),
        _applicants(book, errors),
    )
    book.close()
    if not parsed.young_people and not parsed.placements and not errors:
        errors.append(RowError(PL_SHEET, None, None, "has no data rows: nothing to import"))
    if errors:
        raise ImportFailed(errors)
    return parsed


def template() -> object:
    return template_workbook(
        {
            YP_SHEET: YP_HEADER,
            PL_SHEET: PL_HEADER,
            FU_SHEET: FU_HEADER,
            VAC_SHEET: VAC_HEADER,
            APP_SHEET: APP_HEADER,
        },
        INSTRUCTIONS,
    )
