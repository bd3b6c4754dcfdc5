"""Builds imports/demo/directorates.xlsx and the blank template (run from the repo root).

Demo figures, not the council's published ones: headcounts and pay bills are
sized so that the levy they produce is of the order the council reported in
March 2021 (DOMAIN.md §1), and the age profile gives 48% of staff aged 50+,
8% under 30 and 36% aged 55+ (18% in Worcestershire Children First).
"""

from decimal import Decimal
from pathlib import Path

from levy.importers.directorates import AGE_SHEET, HEADER, SHEET, template

COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"

# organisation, directorate, headcount 2020-21, pay bill 2020-21, under 30, 50+, 55+
ROWS = [
    (COUNCIL, "People", 1050, "31500000", 74, 546, 430),
    (COUNCIL, "Economy and Infrastructure", 620, "21800000", 45, 335, 262),
    (COUNCIL, "Commercial and Change", 540, "19400000", 48, 259, 198),
    (COUNCIL, "Chief Executive's Unit", 160, "7200000", 11, 83, 62),
    (COUNCIL, "Public Health", 70, "3100000", 4, 36, 27),
    (COUNCIL, "Schools", 5400, "118000000", 432, 2592, 2052),
    (COMPANY, "Social Care", 780, "30600000", 86, 296, 140),
    (COMPANY, "Education and Early Help", 610, "21900000", 61, 232, 110),
    (COMPANY, "Business Support", 130, "4600000", 12, 49, 24),
]


def build(out: Path) -> None:
    book = template()
    book.remove(book["Instructions"])
    directorates, ages = book[SHEET], book[AGE_SHEET]
    for org, name, headcount, pay_bill, u30, o50, o55 in ROWS:
        for year, growth in (
            ("2019-20", Decimal("0.97")),
            ("2020-21", Decimal("1")),
            ("2021-22", Decimal("1.02")),
        ):
            directorates.append(
                [
                    org,
                    name,
                    year,
                    int(headcount * growth),
                    float((Decimal(pay_bill) * growth).quantize(Decimal(1))),
                ]
            )
        ages.append([org, name, "2020-21", u30, o50, o55])
    book.save(out)


if __name__ == "__main__":
    assert [c.value for c in template()[SHEET][1]] == list(HEADER)
    template().save(Path("imports/templates/directorates.xlsx"))
    build(Path("imports/demo/directorates.xlsx"))
    print("wrote imports/templates/directorates.xlsx and imports/demo/directorates.xlsx")
