"""Demo organisations, directorates and one user per role."""

from __future__ import annotations

from levy.demo import DEMO_DIR, DEMO_PASSWORD, demo_step
from levy.domain.accounts import Actor
from levy.importers import directorates as directorate_workbook
from levy.services.organisations import (
    find_directorate,
    find_organisation,
    get_or_create_organisation,
    import_directorates,
)
from levy.services.users import create_user, find_user

COUNCIL = "Worcestershire County Council"
COMPANY = "Worcestershire Children First"
DEMO_BUSINESS = "Malvern Hills Joinery Ltd"

# (email, role, name, directorates as (organisation, directorate), organisation)
DEMO_USERS = (
    ("admin@levy.demo", "admin", "Alex Admin", (), None),
    ("ld@levy.demo", "ld_team", "Lee Davies (L&D)", (), None),
    ("finance@levy.demo", "finance", "Fran Khan (HR and finance)", (), None),
    (
        "manager@levy.demo",
        "directorate_manager",
        "Morgan Price (People directorate)",
        ((COUNCIL, "People"), (COUNCIL, "Schools")),
        None,
    ),
    ("careleavers@levy.demo", "care_leavers", "Casey Leigh (care leavers team)", (), None),
    ("employer@levy.demo", "employer", "Jo Turner (Malvern Hills Joinery)", (), DEMO_BUSINESS),
)


@demo_step(10, "Directorates", "directorates")
def load_directorates(actor: Actor) -> str:
    rows, ages = directorate_workbook.read(DEMO_DIR / "directorates.xlsx")
    return str(import_directorates(rows, ages, actor))


@demo_step(90, "Users")
def load_users(actor: Actor) -> str:
    created = 0
    for email, role, name, scope, organisation in DEMO_USERS:
        if find_user(email):
            continue
        directorates = []
        for org_name, directorate in scope:
            org = find_organisation(org_name)
            found = find_directorate(org, directorate) if org else None
            if found:
                directorates.append(found)
        org = (
            get_or_create_organisation(organisation, actor, kind="business")
            if organisation
            else None
        )
        create_user(
            email,
            role,
            DEMO_PASSWORD,
            actor,
            name=name,
            directorates=directorates,
            organisation=org,
        )
        created += 1
    return (
        f"{created} created; sign in with any of {', '.join(u[0] for u in DEMO_USERS)} "
        f"and the password {DEMO_PASSWORD}"
    )
