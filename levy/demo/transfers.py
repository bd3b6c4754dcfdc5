"""Demo levy transfers: the 2020-21 year as reported (£204,500 to 18 local businesses
funding 65 apprenticeships), applications in every status, and two business logins
(employer@levy.demo with applications, newbusiness@levy.demo with none)."""

from __future__ import annotations

from levy.demo import DEMO_DIR, DEMO_PASSWORD, demo_step
from levy.domain.accounts import Actor
from levy.domain.money import format_money
from levy.importers import transfers as transfers_workbook
from levy.services import transfers as svc
from levy.services.organisations import find_organisation
from levy.services.users import create_user, find_user


@demo_step(95, "Levy transfers", "transfers-history")
def load_transfers(actor: Actor) -> str:
    book = transfers_workbook.read(DEMO_DIR / "transfers.xlsx")
    summary = svc.import_history(book, actor)
    logins = 0
    for business in book.businesses:
        if business.login_email and not find_user(business.login_email):
            create_user(
                business.login_email,
                "employer",
                DEMO_PASSWORD,
                actor,
                name=f"{business.name} (demo)",
                organisation=find_organisation(business.name),
            )
            logins += 1
    report = svc.report(2020)
    return (
        f"{summary}; {logins} business logins; 2020-21: "
        f"{format_money(report.transferred, pence=False)} to {report.businesses} "
        "businesses funding "
        f"{report.apprenticeships} apprenticeships"
    )
