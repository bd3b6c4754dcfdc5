"""``Transfers`` workbook: local businesses, their applications (any status) and the
transfer payments already made, for loading a year's history (and the demo)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

from levy.domain import transfers as dom
from levy.domain.errors import ImportFailed, RowError
from levy.importers.workbook import (
    open_workbook,
    read_sheet,
    template_workbook,
)

BUSINESSES = "Businesses"
BUSINESS_HEADER = (
    "Business",
    "Company or charity number",
    "Address",
    "Postcode",
    "Employees",
    "Sector",
    "VCSE",
    "Pays rates in county",
    "Login email",
)
APPLICATIONS = "Applications"
APPLICATION_HEADER = (
    "Reference",
    "Business",
    "Standard reference",
    "Standard",
    "Level",
    "Band maximum",
    "Months",
    "Apprentices",
    "Planned start",
    "Provider",
    "Provider in county",
    "Open to",
    "Social value",
    "Status",
    "Submitted",
    "Decided",
    "Accepted",
    "Apprentices taken",
    "Actual start",
    "Reason",
)
PAYMENTS = "Payments"
PAYMENT_HEADER = ("Reference", "Month", "Amount")
INSTRUCTIONS = (
    ("Businesses", "One row per business: legal name, number, address, postcode, employees."),
    ("VCSE", "yes for a voluntary, community or social enterprise organisation."),
    ("Login email", "Optional: the demo creates an employer login with this email."),
    ("Applications", "One row per application; Reference like LT-2020-0001."),
    ("Open to", "Codes separated by commas: " + ", ".join(dom.TARGET_GROUPS)),
    ("Status", "One of: " + ", ".join(dom.STATUSES)),
    ("Payments", "Transfer payments already made: reference, month (YYYY-MM), amount."),
)


@dataclass(frozen=True)
class BusinessRow:
    row: int
    name: str
    number: str
    address: str
    postcode: str
    district: str | None
    employees: int
    sector: str
    is_vcse: bool
    pays_rates_in_county: bool
    login_email: str


@dataclass(frozen=True)
class ApplicationRow:
    row: int
    reference: str
    business: str
    standard_reference: str
    standard_title: str
    level: int
    band_maximum: Decimal
    months: int
    apprentices: int
    planned_start: date
    provider: str
    provider_in_county: bool
    target_groups: tuple[str, ...]
    social_value: str
    status: str
    submitted: date | None
    decided: date | None
    accepted: date | None
    apprentices_taken: int | None
    actual_start: date | None
    reason: str


@dataclass(frozen=True)
class PaymentRow:
    row: int
    reference: str
    month: date
    amount: Decimal


@dataclass(frozen=True)
class TransfersWorkbook:
    businesses: list[BusinessRow]
    applications: list[ApplicationRow]
    payments: list[PaymentRow]


def read(source: str | Path | bytes | IO[bytes]) -> TransfersWorkbook:
    """Every row checked; ``ImportFailed`` lists every problem (sheet, row, column)."""
    book = open_workbook(source)
    errors: list[RowError] = []
    businesses: list[BusinessRow] = []
    for row in read_sheet(book, BUSINESSES, BUSINESS_HEADER, errors=errors):
        name = row.text("Business")
        postcode = row.text("Postcode", max_length=10)
        district = None
        if postcode:
            try:
                match = dom.postcode_district(postcode)
            except dom.PostcodeError as exc:
                row.error("Postcode", str(exc))
            else:
                postcode, district = match.postcode, match.district
        values = (
            name,
            row.text("Company or charity number", max_length=20),
            row.text("Address", required=False, max_length=500),
            postcode,
            row.integer("Employees", minimum=1),
            row.text("Sector", max_length=100),
            row.yes_no("VCSE"),
            row.yes_no("Pays rates in county"),
            row.text("Login email", required=False, max_length=254),
        )
        errors.extend(row.errors)
        if not row.errors:
            n, number, address, pc, employees, sector, vcse, rates, email = values
            businesses.append(
                BusinessRow(
                    row.number,
                    n or "",
                    number or "",
                    address or "",
                    pc or "",
                    district,
                    employees or 0,
                    sector or "",
                    bool(vcse),
                    bool(rates),
                    email or "",
                )
            )
    names = {b.name.lower() for b in businesses}
    applications: list[ApplicationRow] = []
    for row in read_sheet(book, APPLICATIONS, APPLICATION_HEADER, errors=errors):
        business = row.text("Business")
        if business and business.lower() not in names:
            row.error("Business", f"'{business}' is not on the Businesses sheet")
        groups_text = row.text("Open to", required=False, max_length=500) or ""
        groups = tuple(g.strip() for g in groups_text.split(",") if g.strip())
        for group in groups:
            if group not in dom.TARGET_GROUPS:
                row.error("Open to", f"'{group}' is not one of {', '.join(dom.TARGET_GROUPS)}")
        social = row.text("Social value", required=False, max_length=5000) or ""
        if dom.word_count(social) > dom.SOCIAL_VALUE_MAX_WORDS:
            row.error("Social value", "is more than 200 words")
        app_values = (
            row.text("Reference", max_length=20),
            row.text("Standard reference", max_length=20),
            row.text("Standard"),
            row.integer("Level", minimum=2, maximum=7),
            row.money("Band maximum", allow_zero=False),
            row.integer("Months", minimum=1, maximum=120),
            row.integer("Apprentices", minimum=1),
            row.day("Planned start"),
            row.text("Provider"),
            row.yes_no("Provider in county"),
            row.choice("Status", dom.STATUSES),
            row.day("Submitted", required=False),
            row.day("Decided", required=False),
            row.day("Accepted", required=False),
            row.integer("Apprentices taken", required=False, minimum=1),
            row.day("Actual start", required=False),
            row.text("Reason", required=False, max_length=2000) or "",
        )
        errors.extend(row.errors)
        if not row.errors:
            (
                ref,
                std_ref,
                std,
                level,
                band,
                months,
                apprentices,
                start,
                provider,
                in_county,
                status,
                submitted,
                decided,
                accepted,
                taken,
                actual,
                reason,
            ) = app_values
            applications.append(
                ApplicationRow(
                    row.number,
                    ref or "",
                    business or "",
                    std_ref or "",
                    std or "",
                    level or 0,
                    band or Decimal(0),
                    months or 0,
                    apprentices or 0,
                    start or date.min,
                    provider or "",
                    bool(in_county),
                    groups,
                    social,
                    status or "",
                    submitted,
                    decided,
                    accepted,
                    taken,
                    actual,
                    reason,
                )
            )
    references = {a.reference for a in applications}
    payments: list[PaymentRow] = []
    for row in read_sheet(book, PAYMENTS, PAYMENT_HEADER, required=False, errors=errors):
        ref = row.text("Reference", max_length=20)
        if ref and ref not in references:
            row.error("Reference", f"'{ref}' is not on the Applications sheet")
        month = row.month("Month")
        amount = row.money("Amount", allow_zero=False)
        errors.extend(row.errors)
        if not row.errors and ref and month and amount is not None:
            payments.append(PaymentRow(row.number, ref, month, amount))
    if errors:
        raise ImportFailed(errors)
    return TransfersWorkbook(businesses, applications, payments)


def template() -> object:
    return template_workbook(
        {BUSINESSES: BUSINESS_HEADER, APPLICATIONS: APPLICATION_HEADER, PAYMENTS: PAYMENT_HEADER},
        INSTRUCTIONS,
    )
