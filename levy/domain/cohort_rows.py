"""The cohorts workbooks' sheets and the plain rows an import reads from them.

The importer (``levy/importers/cohorts.py``) fills these rows from a workbook; the
cohorts services resolve their names against the database and write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from levy.domain.cohorts import Status
from levy.domain.commitments import Break

STANDARDS_SHEET = "Standards"
STANDARDS_HEADER = (
    "Reference",
    "Title",
    "Level",
    "Route",
    "Duration months",
    "Funding band max",
    "Valid from",
)
# optional: the off-the-job minimum a standard publishes (applies to starts from 1 Aug 2025)
OTJ_SHEET = "Off-the-job"
OTJ_HEADER = ("Reference", "Off-the-job minimum hours")
PROVIDERS_SHEET = "Providers"
PROVIDERS_HEADER = ("Name", "UKPRN", "In county", "Employer-provider")
APPRENTICES_SHEET = "Apprentices"
APPRENTICES_HEADER = (
    "Reference",
    "First name",
    "Last name",
    "Date of birth",
    "Organisation",
    "Directorate",
    "Standard",
    "Provider",
    "Agreed price",
    "Employment start",
    "Start date",
    "Planned end date",
    "Status",
    "Status date",
    "New hire",
    "Care leaver",
    "EHC plan",
    "ULN",
)
# the ULN column is optional: files without it import as before (docs/insight.md)
APPRENTICES_REQUIRED_HEADER = APPRENTICES_HEADER[:-1]
BREAKS_SHEET = "Breaks"
BREAKS_HEADER = ("Reference", "Break start", "Break end")


@dataclass(frozen=True)
class StandardRow:
    row: int
    reference: str
    title: str
    level: int
    route: str
    duration_months: int
    band_maximum: Decimal
    valid_from: date
    otj_minimum_hours: int | None = None  # from the optional Off-the-job sheet


@dataclass(frozen=True)
class ProviderRow:
    row: int
    name: str
    ukprn: str
    in_county: bool
    employer_provider: bool


@dataclass
class ApprenticeRow:
    row: int
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date
    organisation: str
    directorate: str
    standard: str
    provider: str
    agreed_price: Decimal
    employment_start: date | None
    start: date
    planned_end: date
    status: Status
    status_date: date | None
    new_hire: bool
    care_leaver: bool
    ehc_plan: bool
    breaks: list[Break] = field(default_factory=list)
    break_rows: list[int] = field(default_factory=list)
    uln: str | None = None
    uln_given: bool = False  # the file has the ULN column
