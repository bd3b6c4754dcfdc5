"""Builds imports/demo/transfers.xlsx and the blank template (run from the repo root).

The 2020-21 year as the council reported it (docs/rules.md §1): £204,500 transferred to
18 local businesses funding 65 apprenticeships, spread over the six districts and the
growth sectors; plus applications in every other status for the queue and the
lifecycle. Businesses are invented. Standard references, titles and bands are
approximate demo values, not a copy of the published funding bands.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from levy.domain.months import add_months, format_month, months_between
from levy.importers.transfers import (
    APPLICATION_HEADER,
    APPLICATIONS,
    BUSINESS_HEADER,
    BUSINESSES,
    PAYMENT_HEADER,
    PAYMENTS,
    template,
)

# reference, title, level, band maximum, months
STANDARDS = {
    "carpentry": ("ST0264", "Carpentry and joinery", 2, 12000, 24),
    "engineering": ("ST0457", "Engineering technician", 3, 27000, 36),
    "care": ("ST0005", "Adult care worker", 2, 3000, 12),
    "lead_care": ("ST0006", "Lead adult care worker", 3, 4000, 18),
    "admin": ("ST0070", "Business administrator", 3, 5000, 18),
    "software": ("ST0116", "Software developer", 4, 18000, 24),
    "hospitality": ("ST0230", "Hospitality team member", 2, 4500, 12),
    "chef": ("ST0229", "Commis chef", 2, 9000, 12),
    "bricklayer": ("ST0095", "Bricklayer", 2, 12000, 24),
    "early_years": ("ST0419", "Early years educator", 3, 6000, 18),
    "customer": ("ST0072", "Customer service practitioner", 2, 3500, 12),
    "cs_specialist": ("ST0071", "Customer service specialist", 3, 4000, 15),
    "marketing": ("ST0122", "Digital marketer", 3, 12000, 18),
}

# name, number, postcode, employees, sector, VCSE, login email
BUSINESS_ROWS = [
    (
        "Malvern Hills Joinery Ltd",
        "09876543",
        "WR14 1AA",
        12,
        "Construction",
        False,
        "employer@levy.demo",
    ),
    (
        "Kidderminster Precision Engineering Ltd",
        "04567812",
        "DY10 1AA",
        85,
        "Advanced manufacturing",
        False,
        "",
    ),
    ("Redditch Springs Ltd", "03456781", "B98 7AA", 60, "Advanced manufacturing", False, ""),
    (
        "Worcester Care Partnership CIC",
        "11223344",
        "WR1 1AA",
        45,
        "Health and social care",
        True,
        "",
    ),
    ("Evesham Vale Growers Ltd", "06543217", "WR11 4AA", 30, "Agri-tech and food", False, ""),
    ("Bromsgrove Digital Ltd", "10293847", "B60 1AA", 9, "Cyber security and digital", False, ""),
    ("Droitwich Spa Hotel Ltd", "02345678", "WR9 8AA", 70, "Tourism and hospitality", False, ""),
    ("Pershore Kitchens Ltd", "08765432", "WR10 1AA", 15, "Tourism and hospitality", False, ""),
    ("Stourport Building Services Ltd", "07123456", "DY13 9AA", 22, "Construction", False, ""),
    ("Bewdley Community Nursery", "1123456", "DY12 2AA", 18, "Education", True, ""),
    (
        "Worcester Cyber Security Ltd",
        "12345098",
        "WR5 3AA",
        25,
        "Cyber security and digital",
        False,
        "",
    ),
    (
        "Malvern Accountancy LLP",
        "OC123456",
        "WR14 2AA",
        14,
        "Business and professional services",
        False,
        "",
    ),
    ("Tenbury Home Care Ltd", "05432167", "WR15 8AA", 40, "Health and social care", False, ""),
    ("Redditch Community Trust", "1098765", "B97 4AA", 35, "Health and social care", True, ""),
    ("Hagley Agri-Tech Ltd", "13579246", "DY9 0AA", 11, "Agri-tech and food", False, ""),
    ("Upton Marina Ltd", "02468135", "WR8 0AA", 8, "Tourism and hospitality", False, ""),
    ("Wythall Logistics Ltd", "09182736", "B47 6AA", 120, "Advanced manufacturing", False, ""),
    (
        "Worcester Digital Marketing Ltd",
        "11122233",
        "WR2 4AA",
        6,
        "Cyber security and digital",
        False,
        "",
    ),
    (
        "Ombersley Cider Company Ltd",
        "12121212",
        "WR9 0AA",
        5,
        "Agri-tech and food",
        False,
        "newbusiness@levy.demo",
    ),
]

PROVIDERS = {True: "Heart of Worcestershire College", False: "National Training Group Ltd"}

# the 18 funded in 2020-21: business index, standard, apprentices, start, open to,
# transferred in 2020-21 (£). Each is its course's first-year share, the amount approval
# reserved against 2020-21 (£15,000 band over 24 months: 15,000 × 0.8 ÷ 24 × 12 = 6,000 an
# apprentice; 12 months or less: the whole band), so the year ends with nothing committed
# in it; the later years' shares fall in 2021-22 onwards.
# fmt: off
FUNDED = [
    (0, "carpentry", 1, date(2020, 9, 1), "neet,age_16_24", 4800),
    (1, "engineering", 1, date(2020, 9, 1), "age_16_24", 7200),
    (2, "engineering", 1, date(2020, 10, 1), "disabilities", 7200),
    (3, "care", 2, date(2020, 6, 1), "care_leavers,long_term_unemployed", 6000),
    (4, "admin", 9, date(2020, 11, 1), "neet", 24000),
    (5, "software", 1, date(2020, 9, 1), "disabilities,age_16_24", 7200),
    (6, "hospitality", 1, date(2020, 7, 1), "neet,care_leavers", 4500),
    (7, "chef", 1, date(2020, 9, 1), "care_leavers", 9000),
    (8, "bricklayer", 1, date(2020, 9, 1), "neet,age_16_24", 4800),
    (9, "early_years", 3, date(2020, 9, 1), "long_term_unemployed", 9600),
    (10, "software", 1, date(2020, 10, 1), "age_16_24", 7200),
    (11, "cs_specialist", 10, date(2020, 10, 1), "long_term_unemployed", 25600),
    (12, "lead_care", 9, date(2020, 8, 1), "long_term_unemployed,disabilities", 19200),
    (13, "customer", 1, date(2020, 11, 1), "care_leavers,neet", 3500),
    (14, "lead_care", 9, date(2021, 1, 1), "age_16_24", 19200),
    (15, "hospitality", 3, date(2020, 12, 1), "neet", 13500),
    (16, "cs_specialist", 10, date(2020, 10, 1), "long_term_unemployed", 25600),
    (17, "marketing", 1, date(2021, 1, 1), "disabilities,age_16_24", 6400),
]
# fmt: on
assert sum(f[2] for f in FUNDED) == 65
assert sum(f[5] for f in FUNDED) == 204_500
assert len({f[0] for f in FUNDED}) == 18

SOCIAL = (
    "The roles are advertised first to the county's care leavers and young people "
    "not in education, employment or training, with a guaranteed interview, a mentor "
    "and paid travel for the first three months."
)

# the rest: business, standard, apprentices, planned start, open to, status, submitted,
# decided, accepted, provider in county, reason
# fmt: off
OTHERS = [
    (0, "carpentry", 2, date(2021, 9, 1), "care_leavers,neet", "submitted", date(2021, 3, 1),
     None, None, True, ""),
    (0, "bricklayer", 1, date(2021, 9, 1), "age_16_24", "draft", None, None, None, True, ""),
    (3, "care", 3, date(2021, 6, 1), "care_leavers", "submitted", date(2021, 2, 15), None, None,
     True, ""),
    # a provider outside the county: the queue shows it failing a hard rule
    (1, "engineering", 2, date(2021, 9, 1), "", "submitted", date(2021, 3, 10), None, None,
     False, ""),
    (5, "software", 2, date(2021, 9, 1), "disabilities", "approved", date(2021, 2, 1),
     date(2021, 3, 5), None, True, ""),
    (7, "chef", 2, date(2021, 5, 1), "neet", "accepted", date(2021, 1, 10), date(2021, 2, 20),
     date(2021, 3, 1), True, ""),
    (16, "admin", 2, date(2021, 6, 1), "", "rejected", date(2021, 1, 20), date(2021, 3, 2), None,
     False, "The training provider is not based in Worcestershire, which the council's "
     "policy requires."),
    (15, "hospitality", 2, date(2021, 4, 1), "neet", "declined", date(2020, 11, 2),
     date(2020, 11, 30), None, True, "The offer was not accepted within 42 days."),
    (14, "engineering", 1, date(2021, 9, 1), "age_16_24", "withdrawn", date(2021, 1, 5),
     date(2021, 1, 20), None, True, ""),
    (2, "engineering", 1, date(2021, 4, 1), "disabilities", "withdrawn after acceptance",
     date(2020, 10, 1), date(2020, 11, 1), date(2020, 11, 10), True, ""),
    (4, "admin", 1, date(2021, 1, 1), "neet", "funds expired", date(2020, 9, 1),
     date(2020, 10, 1), date(2020, 10, 20), True,
     "No apprentice was recorded within 3 months of acceptance."),
]
# fmt: on


def build(out: Path) -> None:
    book = template()
    book.remove(book["Instructions"])
    businesses, applications, payments = book[BUSINESSES], book[APPLICATIONS], book[PAYMENTS]
    for name, number, postcode, employees, sector, vcse, email in BUSINESS_ROWS:
        businesses.append(
            [
                name,
                number,
                f"1 High Street, {postcode}",
                postcode,
                employees,
                sector,
                "yes" if vcse else "no",
                "yes",
                email,
            ]
        )
    n = 0
    for index, key, apprentices, start, groups, transferred in FUNDED:
        n += 1
        ref = f"LT-2020-{n:04d}"
        code, title, level, band, months = STANDARDS[key]
        submitted = add_months(start, -4)
        decided = add_months(start, -3)
        accepted = add_months(start, -2)
        applications.append(
            [
                ref,
                BUSINESS_ROWS[index][0],
                code,
                title,
                level,
                band,
                months,
                apprentices,
                start,
                PROVIDERS[True],
                "yes",
                groups,
                SOCIAL,
                "funds used",
                submitted,
                decided,
                accepted,
                apprentices,
                start,
                "",
            ]
        )
        # equal monthly payments from the start month to March 2021, the last takes the rest
        count = months_between(start, date(2021, 3, 1)) + 1
        each = (Decimal(transferred) / count).quantize(Decimal("0.01"))
        for i in range(count):
            amount = each if i < count - 1 else Decimal(transferred) - each * (count - 1)
            payments.append([ref, format_month(add_months(start, i)), float(amount)])
    for (
        index,
        key,
        apprentices,
        start,
        groups,
        status,
        submitted,
        decided,
        accepted,
        in_county,
        reason,
    ) in OTHERS:
        n += 1
        code, title, level, band, months = STANDARDS[key]
        applications.append(
            [
                f"LT-2020-{n:04d}",
                BUSINESS_ROWS[index][0],
                code,
                title,
                level,
                band,
                months,
                apprentices,
                start,
                PROVIDERS[in_county],
                "yes" if in_county else "no",
                groups,
                SOCIAL,
                status,
                submitted,
                decided,
                accepted,
                None,
                None,
                reason,
            ]
        )
    book.save(out)


if __name__ == "__main__":
    assert [c.value for c in template()[APPLICATIONS][1]] == list(APPLICATION_HEADER)
    assert [c.value for c in template()[BUSINESSES][1]] == list(BUSINESS_HEADER)
    assert [c.value for c in template()[PAYMENTS][1]] == list(PAYMENT_HEADER)
    template().save(Path("imports/templates/transfers.xlsx"))
    build(Path("imports/demo/transfers.xlsx"))
    print("wrote imports/templates/transfers.xlsx and imports/demo/transfers.xlsx")
