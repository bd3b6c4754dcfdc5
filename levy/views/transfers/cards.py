"""Home-page cards: the year's allowance and the queue (officers), live applications (business)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from levy.clock import today
from levy.domain import transfers as dom
from levy.domain.money import format_money
from levy.domain.months import financial_year
from levy.services import transfers as svc
from levy.views import Card, home_card


@home_card(40, "finance", "ld_team", "admin")
def transfer_cards(user: Any) -> list[Card]:
    year = financial_year(today()).start.year
    a = svc.year_allowance(year)
    waiting = len(svc.queue())
    return [
        Card(
            f"Transfer allowance {a.year.label}",
            format_money(a.remaining, pence=False),
            f"left of {format_money(a.cap, pence=False)} ({format_money(a.paid, pence=False)} "
            f"paid, {format_money(a.committed, pence=False)} committed)",
            url_for("transfers.allowance"),
            "See the allowance",
            warning=a.remaining < 0,
        ),
        Card(
            "Transfer applications waiting",
            str(waiting),
            "Ranked by score",
            url_for("transfers.queue"),
            "Open the queue",
        ),
    ]


@home_card(20, "employer")
def employer_cards(user: Any) -> list[Card]:
    org = user.organisation
    if org is None:
        return []
    apps = svc.applications_for(org.id)
    live = [a for a in apps if a.status not in dom.FINAL]
    if not apps:
        return [
            Card(
                "Your transfer applications",
                "None yet",
                "The council can fund apprenticeships at small Worcestershire businesses",
                url_for("transfers.new_application"),
                "Start an application",
                button=True,
            )
        ]
    return [
        Card(
            "Your transfer applications",
            str(len(live)),
            f"{len(apps)} in all",
            url_for("transfers.my_applications"),
            "See your applications",
        )
    ]
