"""Build ``imports/demo/esfa_transactions.csv``: the apprenticeship service's transaction
download (v2, levy account) for January to March 2021, as the demo would receive it,
with a few planted problems for the reconciliation page to explain (docs/insight.md).

Run against a database seeded with ``flask levy seed-demo`` (it reads the demo's
apprentices, their ULNs and schedules, and the ledger):

    LEVY_INSTANCE_PATH=/tmp/demo PYTHONPATH=. .venv/bin/python imports/build_demo_insight.py
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from levy import create_app
from levy.domain.ledger import build_ledger
from levy.domain.months import add_months, month_range
from levy.extensions import db
from levy.models import LevyTransaction
from levy.services import ledger as ledger_service
from levy.services.insight import apprentice_schedules

OUT = Path(__file__).resolve().parent / "demo" / "esfa_transactions.csv"
HEADER = (
    "Transaction date,Transaction type,Description,PAYE scheme,Payroll month,Levy declared,"
    "English %,10% top up,Cohort reference,Training provider,Unique learner number,Learner,"
    "Course name,Course level,Course type,Paid from levy,Paid from transfer,Your contribution,"
    "Government contribution,Total,"
)
NAMES = [h for h in HEADER.split(",") if h]
FIRST, LAST = date(2021, 1, 1), date(2021, 3, 1)  # transaction months in the file
LAG = 1
UNKNOWN_ULN = "9000000017"
AFTER_END = "APP-0172"  # withdrew 9 November 2020


def money(value: Decimal) -> str:
    return f"{value:.5f}"


def line(**cells: str) -> str:
    out = []
    for name in NAMES:
        value = cells.get(name, "")
        if (
            name
            in (
                "Levy declared",
                "English %",
                "10% top up",
                "Paid from levy",
                "Paid from transfer",
                "Your contribution",
                "Government contribution",
                "Total",
            )
            and not value
        ):
            value = "0.00000"
        out.append(f'"{value}"' if name == "Training provider" else value)
    return ",".join(out) + ","


def payment(day: date, uln: str, amount: Decimal, kind: str = "Monthly Payment") -> str:
    return line(
        **{
            "Transaction date": f"{day:%d/%m/%Y}",
            "Transaction type": kind,
            "Description": kind,
            "Cohort reference": "DEMO01",
            "Training provider": "HEART OF WORCESTERSHIRE COLLEGE",
            "Unique learner number": uln,
            "Learner": "Demo learner",
            "Course name": "Apprenticeship",
            "Course level": "3",
            "Course type": "Apprenticeship",
            "Paid from levy": money(-amount),
            "Total": money(-amount),
        }
    )


def build() -> list[str]:
    lines: list[str] = []
    schedules = [s for s in apprentice_schedules() if s.uln]
    by_reference = {s.reference: s for s in apprentice_schedules()}
    planted_missing = planted_amount = None
    for month in month_range(FIRST, LAST):
        pay_day = month.replace(day=14)
        learning = add_months(month, -LAG)
        # funds in and transfers out as the ledger has them (English fraction 100%)
        rows = db.session.execute(
            db.select(LevyTransaction.type, db.func.sum(LevyTransaction.amount))
            .where(LevyTransaction.month == month)
            .group_by(LevyTransaction.type)
        ).all()
        sums = dict(rows)
        levy, top_up = sums.get("levy", Decimal(0)), sums.get("top-up", Decimal(0))
        if levy or top_up:
            lines.append(
                line(
                    **{
                        "Transaction date": f"{month.replace(day=22):%d/%m/%Y}",
                        "Transaction type": "Levy",
                        "Description": "Levy",
                        "PAYE scheme": "120/WCC00001",
                        "Payroll month": f"{add_months(month, -1):%b %Y}",
                        "Levy declared": money(levy),
                        "English %": "100.00000",
                        "10% top up": money(top_up),
                        "Total": money(levy + top_up),
                    }
                )
            )
        if sums.get("adjustment"):
            lines.append(
                line(
                    **{
                        "Transaction date": f"{month.replace(day=23):%d/%m/%Y}",
                        "Transaction type": "Levy Adjustment",
                        "Description": "Levy Adjustment",
                        "PAYE scheme": "120/WCC00001",
                        "Payroll month": f"{add_months(month, -1):%b %Y}",
                        "Levy declared": money(sums["adjustment"]),
                        "English %": "100.00000",
                        "Total": money(sums["adjustment"]),
                    }
                )
            )
        if sums.get("transfer"):
            lines.append(
                line(
                    **{
                        "Transaction date": f"{month.replace(day=19):%d/%m/%Y}",
                        "Transaction type": "Transfer",
                        "Description": "Transfer sent to LOCAL EMPLOYERS",
                        "Paid from levy": money(sums["transfer"]),
                        "Total": money(-sums["transfer"]),
                    }
                )
            )
        for s in schedules:
            due = s.payments.get(learning)
            if not due:
                continue
            if planted_missing is None and learning == date(2021, 1, 1):
                planted_missing = s.reference  # planted: the provider did not claim it
                continue
            if (
                planted_amount is None
                and learning == date(2021, 2, 1)
                and s.reference != planted_missing
            ):
                planted_amount = s.reference  # planted: £150 more than the schedule
                due += Decimal("150.00")
            lines.append(payment(pay_day, s.uln or "", due))
    # planted: a payment for a learner who withdrew, and one for a ULN we do not know
    ended = by_reference[AFTER_END]
    lines.append(payment(date(2021, 1, 14), ended.uln or "", Decimal("250.00")))
    lines.append(payment(date(2021, 2, 14), UNKNOWN_ULN, Decimal("312.50")))
    # the service's expired levy: ours, but £500 more in February (planted)
    last = ledger_service.last_month() or LAST
    computed = {
        r.month: r.expired for r in build_ledger(ledger_service.movements(last), to=last).months
    }
    for month in month_range(FIRST, LAST):
        expired = computed.get(month, Decimal(0)) + (Decimal(500) if month.month == 2 else 0)
        if expired:
            lines.append(
                line(
                    **{
                        "Transaction date": f"{month.replace(day=20):%d/%m/%Y}",
                        "Transaction type": "Expired Levy",
                        "Description": "Expired Levy",
                        "Total": money(-expired),
                    }
                )
            )
    print(f"planted: missing {planted_missing}, amount {planted_amount}, after end {AFTER_END}")
    return lines


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        body = build()
    body.sort(key=lambda text: tuple(reversed(text.split(",", 1)[0].split("/"))), reverse=True)
    OUT.write_text("\n".join([HEADER, *body]), encoding="utf-8")  # newest first, no final newline
    print(f"wrote {OUT} ({len(body)} rows)")
