"""The cohorts workbooks' sheets and the plain rows an import reads from them.

The importer (``levy/importers/cohorts.py``) fills these rows from a workbook; the
cohorts services resolve their names against the database and write them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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


# --- names an apprentices row must match, with suggestions for near misses ----------------


@dataclass(frozen=True)
class KnownNames:
    """The names set up in the database, each keyed by how a row is matched to it:
    organisations and providers by lower case, directorates by (organisation lower case,
    directorate lower case), standards by upper case. Values are the names as set up."""

    organisations: dict[str, str] = field(default_factory=dict)
    directorates: dict[tuple[str, str], str] = field(default_factory=dict)
    standards: dict[str, str] = field(default_factory=dict)
    providers: dict[str, str] = field(default_factory=dict)


def did_you_mean(value: str, names: Iterable[str]) -> str:
    """``": did you mean 'People'?"`` for a near miss among ``names``, else ``""``."""
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    return f": did you mean '{by_lower[close[0]]}'?" if close else ""


def name_problems(
    known: KnownNames,
    organisation: str | None,
    directorate: str | None,
    standard: str | None,
    provider: str | None,
) -> list[tuple[str, str]]:
    """(column, message) for each given name that is not set up, with a suggestion."""
    problems: list[tuple[str, str]] = []
    org_name = None
    if organisation is not None:
        org_name = known.organisations.get(organisation.lower())
        if org_name is None:
            problems.append(
                (
                    "Organisation",
                    f"'{organisation}' is not an organisation that is set up"
                    + did_you_mean(organisation, known.organisations.values()),
                )
            )
    if org_name is not None and directorate is not None:
        key = org_name.lower()
        if (key, directorate.lower()) not in known.directorates:
            names = [n for (o, _), n in known.directorates.items() if o == key]
            problems.append(
                (
                    "Directorate",
                    f"'{directorate}' is not a directorate of {org_name}"
                    + did_you_mean(directorate, names),
                )
            )
    if standard is not None and standard.upper() not in known.standards:
        problems.append(
            (
                "Standard",
                f"'{standard}' is not a standard that is set up"
                + did_you_mean(standard, known.standards.values()),
            )
        )
    if provider is not None and provider.lower() not in known.providers:
        problems.append(
            (
                "Provider",
                f"'{provider}' is not a provider that is set up"
                + did_you_mean(provider, known.providers.values()),
            )
        )
    return problems
