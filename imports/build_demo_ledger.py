"""Builds imports/demo/levy_transactions.xlsx and imports/demo/pay_bill.xlsx (run
from the repo root).

Demo figures shaped to reproduce what the council told its scrutiny panel in
March 2021 (docs/rules.md §1), not its real transactions:

* levy from May 2017 (English levy about £79,000 a month in 2017-18, £92,500 in
  2018-19, then falling to about £63,000 in 2020-21 as schools convert to academies
  and leave the council's pay bill, plus the 10% top-up);
* spending slow to start (2017-19), about £14,800 a month in 2019-20 and about
  £41,000 a month in 2020-21 once the strategy took hold (April 2020), with a
  refund, a year-end levy correction and the first transfer payments;
* the transfers demo (build_demo_transfers.py, £204,500 to local businesses in
  2020-21) adds its transfer payments to this account when it is loaded;
* so, with the whole demo loaded, expiry runs at about £72,000 a month from June 2019
  to March 2020 and about £43,000 a month in 2020-21 (a fall of about 40%), and the
  balance at the end of March 2021 is exactly £1,692,300.00 (the transfers spend funds
  that would otherwise have expired, oldest first).
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from levy.domain.ledger import FUNDS_IN, PAYMENT, TRANSFER, Movement, build_ledger
from levy.domain.months import format_month, month_range

TARGET_BALANCE = Decimal("1692300.00")
FIRST, LAST = date(2017, 5, 1), date(2021, 3, 1)

PROVIDERS = (
    ("Worcestershire County Council (employer-provider)", Decimal("0.35")),
    ("Heart of Worcestershire College", Decimal("0.30")),
    ("University of Worcester", Decimal("0.20")),
)
OTHER = "Other external providers"


def english_levy(month: date) -> Decimal:
    year = month.year if month.month >= 4 else month.year - 1
    base = {2017: 79000, 2018: 92500, 2019: 65000, 2020: 63000}[year]
    wiggle = (0, 900, -600, 300, -1200, 700, 0, 400, -300, 1100, -800, 500)[month.month - 1]
    return Decimal(base + wiggle)


def spend(month: date) -> Decimal:
    if month < date(2018, 4, 1):
        return Decimal(600 + 250 * ((month.month * 7) % 5))
    if month < date(2019, 4, 1):
        return Decimal(2500 + 300 * ((month.month * 5) % 7))
    if month < date(2020, 4, 1):
        return Decimal(14000 + 400 * ((month.month * 3) % 5))
    return Decimal(39500 + 500 * ((month.month * 5) % 7))


def rows() -> list[tuple[date, str, Decimal, str]]:
    out: list[tuple[date, str, Decimal, str]] = []
    for month in month_range(FIRST, LAST):
        payroll = format_month(date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1))
        levy = english_levy(month)
        out.append((month, "levy", levy, f"Levy declared, payroll month {payroll}"))
        out.append((month, "top-up", (levy / 10).quantize(Decimal("0.01")), "10% top-up"))
        total = spend(month)
        left = total
        for name, share in PROVIDERS:
            part = (total * share).quantize(Decimal("0.01"))
            out.append((month, "payment", part, name))
            left -= part
        out.append((month, "payment", left, OTHER))
    out.append(
        (date(2018, 6, 1), "adjustment", Decimal("-1180.00"), "Year-end levy correction 2017-18")
    )
    # a refund: the template takes it as a positive adjustment (payments are positive)
    out.append(
        (
            date(2020, 9, 1),
            "adjustment",
            Decimal("850.00"),
            "Refund from provider: apprentice withdrew in the qualifying period",
        )
    )
    for month, amount in (
        (date(2021, 1, 1), "2400.00"),
        (date(2021, 2, 1), "2400.00"),
        (date(2021, 3, 1), "3650.00"),
    ):
        out.append((month, "transfer", Decimal(amount), "Transfer payments to local businesses"))
    # a late declaration in March 2021 brings the balance to the figure reported
    balance = ledger_of(out).balance
    out.append((LAST, "adjustment", TARGET_BALANCE - balance, "Late declaration 2020-21"))
    return out


def movements(data: list[tuple[date, str, Decimal, str]]) -> list[Movement]:
    kinds = {
        "levy": FUNDS_IN,
        "top-up": FUNDS_IN,
        "adjustment": FUNDS_IN,
        "payment": PAYMENT,
        "transfer": TRANSFER,
    }
    return [Movement(month, kinds[kind], amount) for month, kind, amount, _ in data]


def ledger_of(data: list[tuple[date, str, Decimal, str]]):
    return build_ledger(movements(data), to=LAST)


def build(out: Path) -> None:
    from levy.importers.ledger import template

    book = template()
    book.remove(book["Instructions"])
    sheet = book["Transactions"]
    for month, kind, amount, reference in rows():
        sheet.append([format_month(month), kind, float(amount), reference])
    for cell in sheet["C"][1:]:
        cell.number_format = "#,##0.00"
    sheet.column_dimensions["D"].width = 50
    book.save(out)


# --- pay bill by organisation per payroll month, April 2017 to March 2021 ---------------
# The pay bills the demo levy is declared from: 2019-20 and 2020-21 are the sums of the
# directorates' pay bills (build_demo_directorates.py: £154,200,000 in 2020-21, whose
# 0.5% less the £15,000 allowance is the £756,000 of levy declared that year); earlier
# years are worked back the same way from the levy declared (2017-18 £79,000 a month,
# 2018-19 £92,500), shared between the council, its schools and the company as in
# 2020-21. A month's levy then differs from the pay bill's by a few hundred pounds, as a
# real payroll's would: the ledger page's check shows those differences.
COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"


def _split(year_label: str) -> tuple[Decimal, Decimal, Decimal]:
    """(council without schools, schools, company) from the directorates' pay bills."""
    from build_demo_directorates import pay_bills

    council = schools = company = Decimal(0)
    for org, name, amount in pay_bills(year_label):
        if org == COMPANY:
            company += amount
        elif name == "Schools":
            schools += amount
        else:
            council += amount
    return council, schools, company


def _worked_back(monthly_levy: int) -> tuple[Decimal, Decimal, Decimal]:
    total = (Decimal(monthly_levy * 12) + Decimal(15000)) / Decimal("0.005")
    shares = _split("2020-21")
    whole = sum(shares)
    parts = [(total * part / whole).quantize(Decimal(1)) for part in shares[:2]]
    return parts[0], parts[1], total - parts[0] - parts[1]


sys.path.insert(0, str(Path(__file__).resolve().parent))
PAY_BILL_YEARS = {  # tax year starting April of: (council without schools, schools, company)
    2017: _worked_back(79000),
    2018: _worked_back(92500),
    2019: _split("2019-20"),
    2020: _split("2020-21"),
}
# a month's share of the year in thousandths: the pay award paid from September with
# arrears back to April, overtime in December (sums to 1000: the year's total is kept
# exactly, March taking the pounds left by rounding)
MONTH_WEIGHTS = (82, 82, 82, 82, 82, 88, 83, 83, 85, 83, 84, 84)  # April ... March


def pay_bill_rows() -> list[tuple[str, date, Decimal]]:
    assert sum(MONTH_WEIGHTS) == 1000
    out: list[tuple[str, date, Decimal]] = []
    for year, (council, schools, company) in PAY_BILL_YEARS.items():
        for org, annual in ((COUNCIL, council + schools), (COMPANY, company)):
            left = annual
            for i, weight in enumerate(MONTH_WEIGHTS):
                month = date(year + (i >= 9), (i + 3) % 12 + 1, 1)
                amount = left if i == 11 else (annual * weight / 1000).quantize(Decimal(1))
                left -= amount
                out.append((org, month, amount))
    return out


def build_pay_bill(out: Path) -> None:
    from levy.importers.ledger import pay_bill_template

    book = pay_bill_template()
    book.remove(book["Instructions"])
    sheet = book["Pay bill"]
    for org, month, amount in pay_bill_rows():
        sheet.append([org, format_month(month), float(amount)])
    for cell in sheet["C"][1:]:
        cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["C"].width = 16
    book.save(out)


if __name__ == "__main__":
    from levy.importers.ledger import pay_bill_template, template

    template().save(Path("imports/templates/levy_transactions.xlsx"))
    pay_bill_template().save(Path("imports/templates/pay_bill.xlsx"))
    build(Path("imports/demo/levy_transactions.xlsx"))
    build_pay_bill(Path("imports/demo/pay_bill.xlsx"))
    ledger = ledger_of(rows())
    print(f"wrote imports/demo/levy_transactions.xlsx: balance {ledger.balance}")
    print("wrote imports/demo/pay_bill.xlsx")
