"""Builds imports/demo/directorates.xlsx and the blank template (run from the repo root).

Demo figures, not the council's published ones: the pay bills are the ones the
demo levy account's declarations come from (0.5% of the pay bill less the
£15,000 allowance: about £63,000 of levy a month in 2020-21, see
build_demo_ledger.py), shared between directorates by headcount and pay scale;
many school staff work part time. The age profile gives 48% of staff aged 50+,
8% under 30 and 36% aged 55+ (18% in Worcestershire Children First).
"""

from decimal import Decimal
from pathlib import Path

from levy.importers.directorates import AGE_SHEET, HEADER, SHEET, template

COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"

# organisation, directorate, headcount 2020-21, pay bill 2020-21, under 30, 50+, 55+
# (the pay bills add up to £154,200,000: (£756,000 levy + £15,000 allowance) / 0.5%)
ROWS = [
    (COUNCIL, "People", 1050, "18820000", 74, 546, 430),
    (COUNCIL, "Economy and Infrastructure", 620, "13020000", 45, 335, 262),
    (COUNCIL, "Commercial and Change", 540, "11590000", 48, 259, 198),
    (COUNCIL, "Chief Executive's Unit", 160, "4300000", 11, 83, 62),
    (COUNCIL, "Public Health", 70, "1850000", 4, 36, 27),
    (COUNCIL, "Schools", 5400, "70500000", 432, 2592, 2052),
    (COMPANY, "Social Care", 780, "18280000", 86, 296, 140),
    (COMPANY, "Education and Early Help", 610, "13090000", 61, 232, 110),
    (COMPANY, "Business Support", 130, "2750000", 12, 49, 24),
]
# each year's pay bill against 2020-21's: 2019-20's levy was higher (£65,000 a month)
# before more schools converted to academies
YEAR_FACTORS = {"2019-20": Decimal("1.0311"), "2020-21": Decimal(1), "2021-22": Decimal("0.99")}


def pay_bills(year: str) -> list[tuple[str, str, Decimal]]:
    """Each directorate's pay bill for a financial year, to the pound."""
    factor = YEAR_FACTORS[year]
    return [
        (org, name, (Decimal(bill) * factor).quantize(Decimal(1)))
        for org, name, _h, bill, *_ages in ROWS
    ]


def build(out: Path) -> None:
    book = template()
    book.remove(book["Instructions"])
    directorates, ages = book[SHEET], book[AGE_SHEET]
    bills = {year: pay_bills(year) for year in YEAR_FACTORS}
    for i, (org, name, headcount, _bill, u30, o50, o55) in enumerate(ROWS):
        for year, factor in YEAR_FACTORS.items():
            directorates.append(
                [org, name, year, int(headcount * factor), float(bills[year][i][2])]
            )
        ages.append([org, name, "2020-21", u30, o50, o55])
    book.save(out)


if __name__ == "__main__":
    assert [c.value for c in template()[SHEET][1]] == list(HEADER)
    template().save(Path("imports/templates/directorates.xlsx"))
    build(Path("imports/demo/directorates.xlsx"))
    print("wrote imports/templates/directorates.xlsx and imports/demo/directorates.xlsx")
