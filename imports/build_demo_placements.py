# ruff: noqa: E501  (data tables: one row per line reads best)
"""Builds imports/demo/placements.xlsx and the blank template (run from the repo root).

Demo data, not real people: 28 care-leaver work-experience placements from one-hour
tasters to six-week placements (docs/rules.md §1, March 2021), their outcomes and
follow-ups, and vacancies shared with the care leavers team with guaranteed
interviews. Progressions into apprenticeships are linked by the demo step to
apprentices already loaded (``levy/demo/incentives.py``).
"""

from datetime import date, timedelta
from pathlib import Path

from levy.importers.placements import (
    APP_SHEET,
    FU_SHEET,
    PL_HEADER,
    PL_SHEET,
    VAC_SHEET,
    YP_SHEET,
    template,
)

COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"

# reference, first, last, born, status, adviser, consent to hosts, consent to employer, needs
PEOPLE = [
    ("YP-001", "Jordan", "Hale", date(2001, 3, 14), "care leaver", "Priya Shah", date(2019, 9, 2), date(2019, 9, 2), ""),
    ("YP-002", "Kayla", "Moss", date(2002, 7, 2), "care leaver", "Priya Shah", date(2019, 9, 20), date(2019, 9, 20), "Anxiety in new places: visit first"),
    ("YP-003", "Tyler", "Bishop", date(2000, 11, 30), "care leaver", "Gareth Lloyd", date(2019, 10, 1), None, ""),
    ("YP-004", "Amira", "Khan", date(2003, 1, 9), "care leaver", "Gareth Lloyd", date(2019, 10, 7), date(2019, 10, 7), "Dyslexia: written instructions in large print"),
    ("YP-005", "Connor", "Price", date(2001, 5, 21), "care experienced", "Helen Marsh", date(2019, 11, 4), None, ""),
    ("YP-006", "Leah", "Turner", date(2002, 2, 17), "care leaver", "Helen Marsh", date(2019, 11, 11), date(2019, 11, 11), ""),
    ("YP-007", "Ryan", "Cole", date(1999, 8, 8), "care leaver", "Priya Shah", date(2019, 12, 2), date(2019, 12, 2), "Travel support: bus pass"),
    ("YP-008", "Chloe", "Ward", date(2002, 10, 3), "care leaver", "Gareth Lloyd", date(2020, 1, 6), date(2020, 1, 6), ""),
    ("YP-009", "Mason", "Reid", date(2003, 4, 25), "care experienced", "Helen Marsh", date(2020, 1, 13), None, ""),
    ("YP-010", "Ellie", "Grant", date(2001, 12, 12), "care leaver", "Priya Shah", date(2020, 2, 3), date(2020, 2, 3), ""),
    ("YP-011", "Kyle", "Foster", date(2000, 6, 1), "care leaver", "Gareth Lloyd", date(2020, 2, 10), date(2020, 2, 10), "Autism: quiet workspace"),
    ("YP-012", "Sophie", "Lane", date(2002, 9, 19), "care leaver", "Helen Marsh", date(2020, 3, 2), None, ""),
    ("YP-013", "Declan", "Hughes", date(2001, 1, 28), "care leaver", "Priya Shah", date(2020, 7, 6), date(2020, 7, 6), ""),
    ("YP-014", "Maya", "Patel", date(2003, 3, 3), "care leaver", "Gareth Lloyd", date(2020, 7, 13), date(2020, 7, 13), ""),
    ("YP-015", "Brandon", "Walsh", date(2000, 10, 10), "care experienced", "Helen Marsh", date(2020, 8, 3), None, ""),
    ("YP-016", "Jade", "Collins", date(2002, 5, 5), "care leaver", "Priya Shah", date(2020, 8, 10), date(2020, 8, 10), "Young parent: school-hours placements"),
    ("YP-017", "Owen", "Barker", date(2001, 7, 22), "care leaver", "Gareth Lloyd", date(2020, 9, 1), date(2020, 9, 1), ""),
    ("YP-018", "Niamh", "Doyle", date(2003, 8, 30), "care leaver", "Helen Marsh", date(2020, 9, 14), date(2020, 9, 14), ""),
    ("YP-019", "Callum", "Fraser", date(2000, 2, 2), "care leaver", "Priya Shah", date(2020, 10, 5), None, ""),
    ("YP-020", "Zara", "Ahmed", date(2002, 12, 24), "care leaver", "Gareth Lloyd", date(2020, 11, 2), date(2020, 11, 2), ""),
    ("YP-021", "Liam", "Murphy", date(2001, 4, 16), "care experienced", "Helen Marsh", date(2021, 1, 11), None, ""),
    ("YP-022", "Grace", "Kelly", date(2003, 6, 6), "care leaver", "Priya Shah", date(2021, 2, 1), date(2021, 2, 1), ""),
]  # fmt: skip

# ref, person, host, directorate, service, supervisor, type, start, days, hours, paid, outcome
# (outcome: c = completed, l = left early on the middle day, n = did not start, "" = not yet)
PLACEMENTS = [
    ("PL-001", "YP-001", COUNCIL, "Economy and Infrastructure", "Highways depot", "Mark Evans", "taster", date(2019, 10, 8), 1, "1", False, "c"),
    ("PL-002", "YP-002", COUNCIL, "Commercial and Change", "Customer services", "Sue Allen", "taster", date(2019, 10, 15), 1, "3", False, "c"),
    ("PL-003", "YP-001", COUNCIL, "Economy and Infrastructure", "Highways depot", "Mark Evans", "extended", date(2019, 11, 4), 35, "150", True, "c"),
    ("PL-004", "YP-003", COMPANY, "Business Support", "Business support hub", "Dawn Hill", "short", date(2019, 11, 11), 5, "30", False, "c"),
    ("PL-005", "YP-004", COUNCIL, "Public Health", "Health improvement", "Raj Mehta", "taster", date(2019, 11, 19), 1, "2", False, "c"),
    ("PL-006", "YP-005", COUNCIL, "People", "Adult social care admin", "Karen Wood", "short", date(2019, 12, 2), 10, "60", False, "l"),
    ("PL-007", "YP-006", COUNCIL, "Schools", "Primary school office", "Beth Carter", "short", date(2020, 1, 13), 5, "25", False, "c"),
    ("PL-008", "YP-007", COUNCIL, "Commercial and Change", "IT service desk", "Tom Baker", "extended", date(2020, 1, 20), 42, "180", True, "c"),
    ("PL-009", "YP-008", COMPANY, "Education and Early Help", "Family hub", "Lucy Ross", "taster", date(2020, 2, 4), 1, "1", False, "c"),
    ("PL-010", "YP-009", COUNCIL, "Economy and Infrastructure", "Countryside service", "Alan Frost", "short", date(2020, 2, 17), 4, "24", False, "n"),
    ("PL-011", "YP-010", COUNCIL, "Chief Executive's Unit", "Communications", "Nina Bell", "short", date(2020, 3, 2), 10, "60", False, "c"),
    ("PL-012", "YP-011", COMPANY, "Business Support", "Finance team", "Dawn Hill", "extended", date(2020, 3, 9), 28, "112", True, "l"),
    ("PL-013", "YP-002", COUNCIL, "Commercial and Change", "Customer services", "Sue Allen", "short", date(2020, 9, 7), 10, "60", False, "c"),
    ("PL-014", "YP-012", COUNCIL, "People", "Libraries", "Ian Shaw", "taster", date(2020, 9, 15), 1, "4", False, "c"),
    ("PL-015", "YP-013", COUNCIL, "Economy and Infrastructure", "Highways depot", "Mark Evans", "extended", date(2020, 9, 21), 42, "180", True, "c"),
    ("PL-016", "YP-014", COMPANY, "Social Care", "Fostering team admin", "Jan Price", "taster", date(2020, 10, 6), 1, "1", False, "c"),
    ("PL-017", "YP-015", COUNCIL, "Commercial and Change", "Property services", "Paul Dean", "short", date(2020, 10, 12), 5, "30", False, "n"),
    ("PL-018", "YP-016", COUNCIL, "Schools", "Secondary school reprographics", "Beth Carter", "short", date(2020, 10, 19), 10, "50", False, "c"),
    ("PL-019", "YP-017", COUNCIL, "Commercial and Change", "IT service desk", "Tom Baker", "extended", date(2020, 11, 2), 35, "150", True, "c"),
    ("PL-020", "YP-018", COMPANY, "Education and Early Help", "Family hub", "Lucy Ross", "taster", date(2020, 11, 10), 1, "2", False, "c"),
    ("PL-021", "YP-019", COUNCIL, "Public Health", "Health improvement", "Raj Mehta", "short", date(2020, 11, 16), 10, "60", False, "l"),
    ("PL-022", "YP-020", COUNCIL, "People", "Adult social care admin", "Karen Wood", "extended", date(2020, 11, 23), 21, "90", True, "c"),
    ("PL-023", "YP-006", COUNCIL, "Schools", "Primary school office", "Beth Carter", "extended", date(2021, 1, 11), 28, "112", True, "c"),
    ("PL-024", "YP-021", COUNCIL, "Economy and Infrastructure", "Countryside service", "Alan Frost", "taster", date(2021, 1, 19), 1, "1", False, "n"),
    ("PL-025", "YP-022", COMPANY, "Business Support", "Business support hub", "Dawn Hill", "short", date(2021, 2, 8), 10, "60", False, "c"),
    ("PL-026", "YP-010", COUNCIL, "Chief Executive's Unit", "Communications", "Nina Bell", "extended", date(2021, 2, 15), 28, "120", True, "l"),
    ("PL-027", "YP-014", COMPANY, "Social Care", "Fostering team admin", "Jan Price", "short", date(2021, 3, 1), 10, "60", False, "c"),
    ("PL-028", "YP-018", COUNCIL, "Commercial and Change", "Customer services", "Sue Allen", "short", date(2021, 3, 22), 10, "60", False, ""),
]  # fmt: skip

# placement, months, recorded on, progression, note
# (apprenticeship progressions are linked by the demo step to apprentices already loaded)
FOLLOW_UPS = [
    ("PL-001", 3, date(2020, 1, 10), "education or training", "College: construction level 1"),
    ("PL-002", 3, date(2020, 1, 20), "none yet", "Thinking about a second placement"),
    ("PL-003", 3, date(2020, 3, 12), "job", "Seasonal job with a highways contractor"),
    ("PL-003", 6, date(2020, 6, 15), "job", "Still in work"),
    ("PL-004", 3, date(2020, 2, 20), "education or training", "Level 2 business admin course"),
    ("PL-004", 6, date(2020, 5, 18), "education or training", ""),
    ("PL-005", 3, date(2020, 2, 25), "none yet", ""),
    ("PL-005", 6, date(2020, 5, 26), "education or training", "Health and social care course"),
    ("PL-006", 3, date(2020, 3, 16), "none yet", ""),
    ("PL-007", 3, date(2020, 4, 20), "education or training", "Teaching assistant course"),
    ("PL-007", 6, date(2020, 7, 20), "education or training", ""),
    ("PL-008", 3, date(2020, 6, 5), "job", "IT support job at a local firm"),
    ("PL-008", 6, date(2020, 9, 4), "job", ""),
    ("PL-009", 3, date(2020, 5, 6), "none yet", "Lockdown: placement plans paused"),
    ("PL-011", 3, date(2020, 6, 15), "education or training", "Sixth form"),
    ("PL-011", 6, date(2020, 9, 14), "education or training", ""),
    ("PL-012", 3, date(2020, 6, 22), "none yet", ""),
    ("PL-014", 3, date(2020, 12, 16), "education or training", "College: level 2 IT"),
    ("PL-016", 3, date(2021, 1, 7), "none yet", ""),
    ("PL-018", 3, date(2021, 2, 1), "education or training", "Print and design course"),
]

# vacancies shared with the care leavers team
VACANCIES = [
    ("VAC-001", "Business administrator apprentice", COUNCIL, "Commercial and Change", date(2020, 9, 1), date(2020, 9, 25), "GCSE English and maths at grade 3 or working towards", True),
    ("VAC-002", "Highways operative apprentice", COUNCIL, "Economy and Infrastructure", date(2020, 10, 5), date(2020, 10, 30), "Aged 16+; able to work outdoors", True),
    ("VAC-003", "Customer service adviser", COUNCIL, "Commercial and Change", date(2020, 11, 2), date(2020, 11, 20), "Good communication; basic IT", False),
    ("VAC-004", "IT support apprentice", COUNCIL, "Commercial and Change", date(2021, 1, 4), date(2021, 1, 29), "Interest in IT; GCSE maths grade 3", True),
    ("VAC-005", "Family support worker apprentice", COMPANY, "Education and Early Help", date(2021, 2, 1), date(2021, 2, 26), "Level 2 English; DBS check", True),
    ("VAC-006", "Finance assistant", COMPANY, "Business Support", date(2021, 3, 1), date(2021, 3, 26), "GCSE maths grade 4", False),
]  # fmt: skip

# vacancy, person, applied, met criteria (None: not yet assessed), interview, declined, outcome
APPLICANTS = [
    ("VAC-001", "YP-002", date(2020, 9, 10), True, date(2020, 10, 1), False, "Offered: started an apprenticeship"),
    ("VAC-002", "YP-013", date(2020, 10, 12), True, date(2020, 11, 4), False, "Reserve list"),
    ("VAC-002", "YP-003", date(2020, 10, 20), False, None, False, "Did not meet criteria: supported to reapply"),
    ("VAC-003", "YP-012", date(2020, 11, 9), True, date(2020, 11, 26), False, "Not offered: feedback given"),
    ("VAC-004", "YP-017", date(2021, 1, 12), True, date(2021, 2, 3), False, "Offered: starts April 2021"),
    ("VAC-004", "YP-019", date(2021, 1, 20), True, None, True, "Declined the interview"),
    ("VAC-005", "YP-020", date(2021, 2, 10), True, None, False, ""),
    ("VAC-005", "YP-005", date(2021, 2, 15), False, None, False, ""),
    ("VAC-006", "YP-022", date(2021, 3, 8), None, None, False, ""),
]  # fmt: skip


def _yes(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def build(out: Path) -> None:
    book = template()
    book.remove(book["Instructions"])
    for row in PEOPLE:
        ref, first, last, born, status, adviser, hosts, employer, needs = row
        contact = f"{adviser.split()[0].lower()}.{adviser.split()[1].lower()}@example.org"
        book[YP_SHEET].append(
            [ref, first, last, born, status, adviser, contact, hosts, employer, needs]
        )
    for row in PLACEMENTS:
        (
            ref,
            person,
            host,
            directorate,
            service,
            supervisor,
            kind,
            start,
            days,
            hours,
            paid,
            outcome,
        ) = row
        end = start + timedelta(days=days - 1)
        actual_start = actual_end = actual_hours = None
        result = {"c": "completed", "l": "left early", "n": "did not start", "": None}[outcome]
        if outcome == "c":
            actual_start, actual_end, actual_hours = start, end, hours
        elif outcome == "l":
            actual_start = start
            actual_end = start + timedelta(days=max(0, days // 2 - 1))
            actual_hours = str(int(hours) // 2 or 1)
        reason = (
            "Real work over several weeks: paid at the national minimum wage"
            if paid
            else "Shadowing and tasks chosen for learning: unpaid"
        )
        risk_on = start - timedelta(days=7)
        feedback = "Enjoyed it; would like to try more" if outcome == "c" else ""
        host_feedback = "Punctual and keen; a credit to the team" if outcome == "c" else ""
        values = [
            ref, person, host, directorate, service, supervisor, kind, start, end, hours,
            actual_start, actual_end, actual_hours, "yes" if paid else "no", reason, risk_on,
            "Workplace safety adviser", result, feedback, host_feedback,
        ]  # fmt: skip
        assert len(values) == len(PL_HEADER)
        book[PL_SHEET].append(values)
    for row in FOLLOW_UPS:
        placement, months, on, progression, note = row
        book[FU_SHEET].append([placement, months, on, progression, None, note])
    for row in VACANCIES:
        ref, title, host, directorate, shared, closing, criteria, apprenticeship = row
        book[VAC_SHEET].append(
            [ref, title, host, directorate, shared, closing, criteria, _yes(apprenticeship)]
        )
    for row in APPLICANTS:
        vacancy, person, applied, met, interview, declined, outcome = row
        book[APP_SHEET].append(
            [vacancy, person, applied, _yes(met), interview, _yes(declined), outcome]
        )
    book.save(out)


if __name__ == "__main__":
    template().save(Path("imports/templates/placements.xlsx"))
    build(Path("imports/demo/placements.xlsx"))
    print("wrote imports/templates/placements.xlsx and imports/demo/placements.xlsx")
