"""The checked rows an import hands to its service (issue 4, 7, 11).

Importers (``levy/importers``) read workbooks into these; services write them. They
live in the domain so that services never import an importer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from levy.domain import placements as rules

# --- levy transactions and pay bill (levy/importers/ledger.py) ---------------------


@dataclass(frozen=True)
class TransactionRow:
    row: int
    month: date
    type: str
    amount: Decimal
    reference: str
    key: str  # unique within the source: importing the same file twice changes nothing


@dataclass(frozen=True)
class PayBillRow:
    row: int
    organisation: str
    month: date
    pay_bill: Decimal


@dataclass(frozen=True)
class DasDownload:
    layout: str  # e.g. "v2 levy account"
    file_type: str  # "CSV" or "xlsx"
    rows: int
    transactions: list[TransactionRow]  # summed per month and type
    expiries: dict[date, Decimal]  # recorded by the service, per month
    ignored: dict[str, int] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return f"apprenticeship service download, {self.layout} ({self.file_type})"


# --- directorates (levy/importers/directorates.py) ------------------------------------


@dataclass(frozen=True)
class DirectorateRow:
    row: int
    organisation: str
    directorate: str
    year: int
    headcount: int
    pay_bill: Decimal


@dataclass(frozen=True)
class AgeRow:
    row: int
    organisation: str
    directorate: str
    year: int
    under_30: int
    over_50: int
    over_55: int


# --- care-leaver placements (levy/importers/placements.py) ----------------------------

YP_SHEET = "Young people"
PL_SHEET = "Placements"
FU_SHEET = "Follow-ups"
VAC_SHEET = "Vacancies"
APP_SHEET = "Applicants"


@dataclass(frozen=True)
class YoungPersonRow:
    row: int
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date
    care_status: str
    personal_adviser: str
    adviser_contact: str
    consent_hosts_on: date | None
    consent_employer_on: date | None
    support_needs: str


@dataclass(frozen=True)
class PlacementRow:
    row: int
    reference: str
    young_person: str
    host_organisation: str
    directorate: str
    service: str
    supervisor: str
    placement: rules.Placement
    feedback_young_person: str
    feedback_host: str


@dataclass(frozen=True)
class FollowUpRow:
    row: int
    placement: str
    follow_up: rules.FollowUp


@dataclass(frozen=True)
class VacancyRow:
    row: int
    reference: str
    title: str
    host_organisation: str
    directorate: str
    shared_on: date
    closing_on: date | None
    minimum_criteria: str
    apprenticeship: bool


@dataclass(frozen=True)
class ApplicantRow:
    row: int
    vacancy: str
    young_person: str
    applied_on: date
    met_minimum_criteria: bool | None
    interview_on: date | None
    interview_declined: bool
    outcome: str


@dataclass(frozen=True)
class PlacementsWorkbook:
    young_people: list[YoungPersonRow]
    placements: list[PlacementRow]
    follow_ups: list[FollowUpRow]
    vacancies: list[VacancyRow]
    applicants: list[ApplicantRow]
