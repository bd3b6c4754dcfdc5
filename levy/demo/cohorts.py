"""Demo standards, providers, apprentices, traineeships and screening log (docs/rules.md §1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from levy.demo import DEMO_DIR, demo_step
from levy.domain.accounts import Actor
from levy.extensions import db
from levy.importers import cohorts as workbook
from levy.models import Apprentice, Directorate, Organisation, Provider, Standard
from levy.models.cohorts import RecruitRequest
from levy.services import cohorts as service

COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"

# 5 traineeships: pre-apprenticeship programmes, not levy-funded, none care leavers,
# all young people at risk of NEET (docs/rules.md §1)
TRAINEESHIPS = [
    ("TRN-0001", "Kai", "Roberts", date(2003, 5, 14), "Economy and Infrastructure"),
    ("TRN-0002", "Maisie", "Carter", date(2002, 11, 2), "People"),
    ("TRN-0003", "Tyler", "Shaw", date(2003, 1, 20), "Commercial and Change"),
    ("TRN-0004", "Jade", "Kelly", date(2002, 8, 9), "Schools"),
    ("TRN-0005", "Ryan", "Marsh", date(2003, 3, 30), "People"),
]

# directorate, job title, received, outcome, reason
SCREENING = [
    ("People", "Business support officer", date(2021, 1, 11), "apprenticeship", ""),
    ("People", "Care assistant", date(2021, 1, 25), "care-leaver opportunity", ""),
    (
        "People",
        "Occupational therapist",
        date(2021, 2, 3),
        "neither",
        "registered profession: a qualified person is needed now",
    ),
    ("Economy and Infrastructure", "Highways operative", date(2021, 2, 8), "apprenticeship", ""),
    (
        "Economy and Infrastructure",
        "Senior engineer",
        date(2021, 2, 15),
        "neither",
        "senior post: chartered engineer needed",
    ),
    ("Commercial and Change", "Finance assistant", date(2021, 2, 22), "apprenticeship", ""),
    (
        "Commercial and Change",
        "IT service desk analyst",
        date(2021, 3, 1),
        "care-leaver opportunity",
        "",
    ),
    ("Schools", "Teaching assistant", date(2021, 3, 8), "apprenticeship", ""),
]


@demo_step(30, "Standards and providers", "standards", "providers")
def load_standards(actor: Actor) -> str:
    standards = service.import_standards(
        workbook.read_standards(DEMO_DIR / "standards.xlsx"), actor
    )
    for standard in db.session.execute(db.select(Standard)).scalars():
        standard.demo_data = True  # band values are demo data, not from a cited source
    providers = service.import_providers(
        workbook.read_providers(DEMO_DIR / "providers.xlsx"), actor
    )
    db.session.flush()
    return f"standards {standards}; providers {providers}"


def _directorate(name: str) -> Directorate | None:
    return (
        db.session.execute(
            db.select(Directorate)
            .join(Organisation)
            .where(Directorate.name == name, Organisation.name.in_([COUNCIL, COMPANY]))
        )
        .scalars()
        .first()
    )


@demo_step(40, "Apprentices", "apprentices")
def load_apprentices(actor: Actor) -> str:
    summary = service.import_apprentices(
        workbook.read_apprentices(DEMO_DIR / "apprentices.xlsx"), actor
    )
    college = db.session.execute(
        db.select(Provider).where(Provider.name == "Heart of Worcestershire College")
    ).scalar_one_or_none()
    trainees = 0
    for reference, first, last, born, directorate_name in TRAINEESHIPS:
        if db.session.execute(
            db.select(Apprentice.id).where(Apprentice.reference == reference)
        ).scalar_one_or_none():
            continue
        directorate = _directorate(directorate_name)
        if directorate is None:
            continue
        db.session.add(
            Apprentice(
                reference=reference,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                organisation_id=directorate.organisation_id,
                directorate_id=directorate.id,
                programme_type="traineeship",
                provider_id=college.id if college else None,
                agreed_price=Decimal(0),
                planned_start=date(2021, 1, 11),
                actual_start=date(2021, 1, 11),
                planned_end=date(2021, 6, 30),
                status="on programme",
                job_title="Trainee (pre-apprenticeship, at risk of NEET)",
                care_leaver=False,
            )
        )
        trainees += 1
    logged = 0
    if not db.session.execute(db.select(RecruitRequest.id).limit(1)).first():
        for directorate_name, title, received, outcome, reason in SCREENING:
            directorate = _directorate(directorate_name)
            if directorate is not None:
                service.log_screening(directorate, title, received, outcome, reason, actor)
                logged += 1
    db.session.flush()
    return f"apprentices {summary}; {trainees} traineeships; {logged} screened requests"
