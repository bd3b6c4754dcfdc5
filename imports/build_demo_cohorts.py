"""Builds the demo standards, providers and apprentices workbooks and their blank templates.

Run from the repo root: ``python imports/build_demo_cohorts.py``. Deterministic
(fixed seed). Reproduces docs/rules.md §1 as of 31 March 2021: 146 apprentices on
programme (98 in council and company business areas, 48 in schools), 25 of them
brand-new entrants, 35 signed up to start during 2021, both delivery routes,
levels 2 to 7, and a history of completions and withdrawals before the census.

Every funding band, UKPRN and person here is **demo data**: the band values are
of the order published on GOV.UK but are not taken from a cited source.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from levy.importers import cohorts as workbook

COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"
CENSUS = date(2021, 3, 31)

# reference, title, level, route, duration months, band max (demo data), valid from
STANDARDS = [
    ("ST0005", "Adult care worker", 2, "Care services", 12, 3000),
    ("ST0006", "Lead adult care worker", 3, "Care services", 18, 3000),
    ("ST0007", "Leader in adult care", 5, "Care services", 18, 7000),
    ("ST0070", "Business administrator", 3, "Business and administration", 18, 5000),
    ("ST0072", "Customer service practitioner", 2, "Customer service", 12, 3500),
    ("ST0384", "Team leader or supervisor", 3, "Business and administration", 18, 4500),
    ("ST0385", "Operations or departmental manager", 5, "Business and administration", 24, 7000),
    ("ST0272", "Chartered manager (degree)", 6, "Business and administration", 48, 22000),
    ("ST0480", "Senior leader", 7, "Business and administration", 24, 14000),
    ("ST0510", "Social worker (degree)", 6, "Health and science", 36, 24000),
    ("ST0239", "Children, young people and families practitioner", 4, "Care services", 24, 7000),
    ("ST0454", "Teaching assistant", 3, "Education and childcare", 18, 5000),
    ("ST0135", "Early years educator", 3, "Education and childcare", 18, 6000),
    ("ST0257", "Large goods vehicle driver C+E", 2, "Transport and logistics", 12, 7000),
    ("ST0003", "Assistant accountant", 3, "Legal, finance and accounting", 18, 5000),
    (
        "ST0002",
        "Accountancy or taxation professional",
        7,
        "Legal, finance and accounting",
        30,
        21000,
    ),
    ("ST0123", "HR support", 3, "Business and administration", 18, 4500),
    ("ST0239X", "Family support worker", 3, "Care services", 18, 4000),
    ("ST0119", "Information communications technician", 3, "Digital", 18, 15000),
    ("ST0116", "Software developer", 4, "Digital", 24, 18000),
    ("ST0128", "Data analyst", 4, "Digital", 24, 15000),
    ("ST0428", "Civil engineer (degree)", 6, "Construction", 48, 27000),
    ("ST0049", "Highways maintenance skilled operative", 2, "Construction", 18, 9000),
    ("ST0311", "Property maintenance operative", 2, "Construction", 24, 15000),
    (
        "ST0229",
        "Public service operational delivery officer",
        3,
        "Business and administration",
        12,
        4000,
    ),
    (
        "ST0327",
        "Library, information and archive services assistant",
        3,
        "Business and administration",
        18,
        5000,
    ),
    ("ST0313", "Project manager", 4, "Business and administration", 24, 6000),
    ("ST0226", "Improvement practitioner", 4, "Business and administration", 18, 6000),
    ("ST0018", "Senior healthcare support worker", 3, "Health and science", 18, 5000),
    ("ST0626", "Facilities management supervisor", 3, "Business and administration", 18, 4000),
]
# a band change for two standards from 1 Aug 2020 (demo data)
BAND_CHANGES = [("ST0070", 4500, date(2020, 8, 1)), ("ST0384", 4000, date(2020, 8, 1))]

# name, UKPRN (demo), in county, employer-provider
PROVIDERS = [
    (COUNCIL, "10099901", True, True),
    ("Heart of Worcestershire College", "10099902", True, False),
    ("University of Worcester", "10099903", True, False),
    ("Kidderminster College", "10099904", True, False),
    ("Midlands Training Partnership Ltd", "10099905", False, False),
    ("National Skills Academy Ltd", "10099906", False, False),
    ("Open University", "10099907", False, False),
]

BUSINESS_AREAS = [
    (COUNCIL, "People", 22),
    (COUNCIL, "Economy and Infrastructure", 18),
    (COUNCIL, "Commercial and Change", 16),
    (COUNCIL, "Chief Executive's Unit", 5),
    (COUNCIL, "Public Health", 3),
    (COMPANY, "Social Care", 20),
    (COMPANY, "Education and Early Help", 11),
    (COMPANY, "Business Support", 3),
]  # 98 on programme in business areas
SCHOOLS = (COUNCIL, "Schools", 48)

BY_AREA = {
    "People": ["ST0005", "ST0006", "ST0007", "ST0070", "ST0384", "ST0385", "ST0018"],
    "Economy and Infrastructure": ["ST0257", "ST0049", "ST0428", "ST0313", "ST0070", "ST0384"],
    "Commercial and Change": [
        "ST0070",
        "ST0003",
        "ST0002",
        "ST0123",
        "ST0119",
        "ST0116",
        "ST0128",
        "ST0226",
        "ST0626",
    ],
    "Chief Executive's Unit": ["ST0070", "ST0480", "ST0385", "ST0272"],
    "Public Health": ["ST0128", "ST0385", "ST0070"],
    "Social Care": ["ST0510", "ST0239", "ST0239X", "ST0006", "ST0384"],
    "Education and Early Help": ["ST0239", "ST0135", "ST0070", "ST0327"],
    "Business Support": ["ST0070", "ST0072", "ST0229"],
    "Schools": ["ST0454", "ST0135", "ST0070", "ST0311", "ST0626", "ST0003"],
}
PROGRESSED_FROM_PLACEMENTS = ("APP-0002", "APP-0008")
FIRST = [
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Harry",
    "Mia",
    "Jack",
    "Grace",
    "Noah",
    "Sophie",
    "Leo",
    "Ella",
    "Oscar",
    "Lily",
    "Charlie",
    "Freya",
    "Jacob",
    "Poppy",
    "Thomas",
    "Evie",
    "James",
    "Ruby",
    "William",
    "Megan",
    "Daniel",
    "Chloe",
    "Samuel",
    "Holly",
    "Joseph",
    "Priya",
    "Mohammed",
    "Zainab",
    "Tomasz",
    "Aleksandra",
    "Sandra",
    "Paul",
    "Karen",
    "Stephen",
    "Julie",
    "Mark",
    "Alison",
    "Gareth",
    "Bethan",
    "Rhys",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Evans",
    "Walker",
    "Wright",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Clarke",
    "Patel",
    "Khan",
    "Nowak",
    "Price",
    "Morgan",
    "Powell",
    "Baker",
    "Turner",
    "Hill",
    "Cooper",
    "Ward",
    "Morris",
    "King",
    "Bennett",
]


def _age_band_birth(rng: random.Random, start: date, level: int) -> date:
    """A realistic age at start: more young people at levels 2-3, older staff upskilling."""
    roll = rng.random()
    if level == 7:
        age = rng.randint(30, 56)
    elif roll < 0.12:
        age = rng.randint(16, 18)
    elif roll < 0.40:
        age = rng.randint(19, 24)
    elif roll < 0.86:
        age = rng.randint(25, 49)
    else:
        age = rng.randint(50, 61)
    return start - relativedelta(years=age) - timedelta(days=rng.randint(1, 360))


def _price(rng: random.Random, band: int) -> int:
    roll = rng.random()
    if roll < 0.08:
        return band + rng.choice([500, 1000, 1500])  # above the band: the excess is own cost
    if roll < 0.55:
        return band
    return int(band * rng.choice([0.8, 0.9, 0.95]) // 50 * 50)


def apprentices(seed: int = 2021) -> tuple[list[list[object]], list[list[object]]]:
    rng = random.Random(seed)
    standards = {s[0]: s for s in STANDARDS}
    providers_by_level = {
        "employer": COUNCIL,
        2: [
            "Heart of Worcestershire College",
            "Kidderminster College",
            "Midlands Training Partnership Ltd",
        ],
        3: [
            "Heart of Worcestershire College",
            "Kidderminster College",
            "National Skills Academy Ltd",
            "Midlands Training Partnership Ltd",
        ],
        4: ["Heart of Worcestershire College", "National Skills Academy Ltd"],
        5: ["University of Worcester", "National Skills Academy Ltd"],
        6: ["University of Worcester", "Open University"],
        7: ["University of Worcester", "Open University"],
    }
    rows: list[list[object]] = []
    breaks: list[list[object]] = []
    counter = 0

    def person(
        org: str,
        directorate: str,
        start: date,
        status: str,
        *,
        status_date: date | None = None,
        new_hire: bool = False,
        end_after: date | None = None,
    ) -> list[object]:
        nonlocal counter
        counter += 1
        ref = standards[rng.choice(BY_AREA[directorate])]
        code, _title, level, _route, months, band = ref
        planned_end = start + relativedelta(months=months) - timedelta(days=1)
        if end_after is not None and planned_end <= end_after:
            planned_end = end_after + relativedelta(months=rng.randint(1, 9))
        employer_route = (
            level in (2, 3)
            and code in ("ST0005", "ST0006", "ST0070", "ST0384", "ST0072", "ST0229")
            and rng.random() < 0.45
        )
        provider = (
            providers_by_level["employer"]
            if employer_route
            else rng.choice(providers_by_level[level])
        )
        born = _age_band_birth(rng, start, level)
        employment = (
            start - timedelta(days=rng.randint(0, 30))
            if new_hire
            else (start - relativedelta(years=rng.randint(1, 15), days=rng.randint(0, 300)))
        )
        care_leaver = (start - born).days < 25 * 365 and rng.random() < 0.06
        # the two apprentices the placements demo links as progressions from care-leaver
        # placements (levy/demo/incentives.py) are care leavers in this workbook too, so
        # seeding twice leaves the same data
        care_leaver = care_leaver or f"APP-{counter:04d}" in PROGRESSED_FROM_PLACEMENTS
        return [
            f"APP-{counter:04d}",
            rng.choice(FIRST),
            rng.choice(LAST),
            born,
            org,
            directorate,
            code,
            provider,
            _price(rng, band),
            employment,
            start,
            planned_end,
            status,
            status_date,
            "yes" if new_hire else "no",
            "yes" if care_leaver else "no",
            "yes" if rng.random() < 0.03 else "no",
        ]

    def start_between(first: date, last: date) -> date:
        return first + timedelta(days=rng.randint(0, (last - first).days))

    # 146 on programme on 31 March 2021; 25 of them brand-new entrants recruited in 2020-21
    areas = [(o, d) for o, d, n in BUSINESS_AREAS for _ in range(n)]
    areas += [(SCHOOLS[0], SCHOOLS[1])] * SCHOOLS[2]
    rng.shuffle(areas)
    new_hires = set(rng.sample(range(len(areas)), 25))
    starts = []
    for i in range(len(areas)):
        if i in new_hires:
            starts.append(start_between(date(2020, 8, 1), date(2021, 3, 15)))
        elif rng.random() < 0.4:
            starts.append(start_between(date(2020, 4, 1), date(2021, 3, 25)))
        else:
            starts.append(start_between(date(2018, 9, 1), date(2020, 3, 31)))
    early = [i for i in range(len(areas)) if i not in new_hires and starts[i] < date(2020, 9, 1)]
    on_break = set(rng.sample(early, 4))
    for i, (org, directorate) in enumerate(areas):
        status = "break" if i in on_break else "on programme"
        row = person(org, directorate, starts[i], status, new_hire=i in new_hires, end_after=CENSUS)
        rows.append(row)
        if i in on_break:
            breaks.append([row[0], start_between(date(2021, 1, 11), date(2021, 3, 19)), None])
    # a closed break for a few on programme (back before the census)
    for row in rows[:6]:
        if row[12] == "on programme" and row[10] < date(2020, 1, 1):  # type: ignore[operator]
            b_start = row[10] + relativedelta(months=5)  # type: ignore[operator]
            breaks.append([row[0], b_start, b_start + relativedelta(months=2)])
    # completed and withdrawn before the census
    for _ in range(24):
        org, directorate, _n = rng.choice([*BUSINESS_AREAS, SCHOOLS])
        start = start_between(date(2017, 9, 1), date(2019, 6, 30))
        row = person(org, directorate, start, "completed")
        end = row[11]
        row[13] = min(end, CENSUS - timedelta(days=10))  # type: ignore[type-var]
        rows.append(row)
    for k in range(7):
        org, directorate, _n = rng.choice([*BUSINESS_AREAS, SCHOOLS])
        start = start_between(date(2018, 9, 1), date(2020, 9, 30))
        # the first withdraws inside the 42-day qualifying period: no funding was due
        left = min(
            start + timedelta(days=20 if k == 0 else rng.randint(100, 300)),
            CENSUS - timedelta(days=5),
        )
        rows.append(person(org, directorate, start, "withdrawn", status_date=left))
    # 35 signed up to start during 2021 (future cohort on 31 March 2021)
    for _ in range(35):
        org, directorate, _n = rng.choice([*BUSINESS_AREAS, SCHOOLS, SCHOOLS])
        start = start_between(date(2021, 4, 6), date(2021, 12, 6))
        rows.append(person(org, directorate, start, "future", new_hire=rng.random() < 0.5))
    return rows, breaks


def build(out_dir: Path, templates_dir: Path) -> None:
    workbook.standards_template().save(templates_dir / "standards.xlsx")  # type: ignore[attr-defined]
    workbook.providers_template().save(templates_dir / "providers.xlsx")  # type: ignore[attr-defined]
    workbook.apprentices_template().save(templates_dir / "apprentices.xlsx")  # type: ignore[attr-defined]

    book = workbook.standards_template()
    sheet = book[workbook.STANDARDS_SHEET]  # type: ignore[index]
    for ref, title, level, route, months, band in STANDARDS:
        sheet.append([ref, title, level, route, months, band, date(2018, 8, 1)])
    for ref, band, valid_from in BAND_CHANGES:
        s = next(s for s in STANDARDS if s[0] == ref)
        sheet.append([ref, s[1], s[2], s[3], s[4], band, valid_from])
    book.save(out_dir / "standards.xlsx")  # type: ignore[attr-defined]

    book = workbook.providers_template()
    sheet = book[workbook.PROVIDERS_SHEET]  # type: ignore[index]
    for name, ukprn, in_county, employer in PROVIDERS:
        sheet.append([name, ukprn, "yes" if in_county else "no", "yes" if employer else "no"])
    book.save(out_dir / "providers.xlsx")  # type: ignore[attr-defined]

    people, breaks = apprentices()
    book = workbook.apprentices_template()
    for row in people:
        book[workbook.APPRENTICES_SHEET].append(row)  # type: ignore[index]
    for row in breaks:
        book[workbook.BREAKS_SHEET].append(row)  # type: ignore[index]
    book.save(out_dir / "apprentices.xlsx")  # type: ignore[attr-defined]


if __name__ == "__main__":
    build(Path("imports/demo"), Path("imports/templates"))
    print("wrote imports/demo/{standards,providers,apprentices}.xlsx and the blank templates")
