"""Builds imports/demo/levy_transactions.xlsx and imports/demo/pay_bill.xlsx (run
from the repo root).

Demo figures shaped to reproduce what the council told its scrutiny panel in
March 2021 (DOMAIN.md §1), not its real transactions:

* levy from May 2017, falling as schools convert to academies and leave the
  council's pay bill (English levy about £79,000 a month in 2017-18 down to about
  £63,000 in 2020-21, plus the 10% top-up);
* spending slow to start (2017-19), about £14,800 a month in 2019-20 and about
  £41,000 a month in 2020-21 once the strategy took hold (April 2020), with a
  refund, a year-end levy correction and the first transfer payments;
* so expiry runs at about £71,000 a month from June 2019 to March 2020 and about
  £42,000 a month in 2020-21 (a fall of about 40%), and the balance at the end
  of March 2021 is exactly £1,692,300.00.
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
    base = {2017: 79000, 2018: 76000, 2019: 65000, 2020: 63000}[year]
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
# Consistent with imports/demo/directorates.xlsx (build_demo_directorates.py): 2020-21 is
# the sum of the directorates' pay bills (council £201,000,000 of which schools
# £118,000,000, company £57,100,000: £258,100,000 across both) and 2019-20 is 97% of each
# directorate's. Earlier years: the other directorates and the company 91% (2017-18) and
# 94% (2018-19); the schools larger before more of them converted to academies.
# These are the pay bills the levy is worked out from; the demo ledger's levy declared
# (about £63,000 a month in 2020-21) is not changed, so the ledger page's check shows
# the differences a finance user would then look into.
COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"
PAY_BILL_YEARS = {  # tax year starting April of: (council without schools, schools, company)
    2017: (Decimal("75530000"), Decimal("150000000"), Decimal("51961000")),
    2018: (Decimal("78020000"), Decimal("136000000"), Decimal("53674000")),
    2019: (Decimal("80510000"), Decimal("114460000"), Decimal("55387000")),
    2020: (Decimal("83000000"), Decimal("118000000"), Decimal("57100000")),
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
