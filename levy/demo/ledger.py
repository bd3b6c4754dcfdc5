"""Demo levy account May 2017 - March 2021 (docs/rules.md §1: balance £1,692,300)."""

from __future__ import annotations

from levy.demo import DEMO_DIR, demo_step
from levy.domain.accounts import Actor
from levy.importers import ledger as ledger_workbook
from levy.services.ledger import import_pay_bill, import_transactions


@demo_step(20, "Levy account", "levy-transactions")
def load_levy_transactions(actor: Actor) -> str:
    rows = ledger_workbook.read_transactions(DEMO_DIR / "levy_transactions.xlsx")
    return str(import_transactions(rows, actor, "xlsx:levy_transactions.xlsx"))


@demo_step(21, "Pay bill", "pay-bill")
def load_pay_bill(actor: Actor) -> str:
    """Council and company pay bill by month, April 2017 to March 2021 (needs the
    organisations of the directorates step); the ledger page checks levy declared
    against it."""
    rows = ledger_workbook.read_pay_bill(DEMO_DIR / "pay_bill.xlsx")
    return str(import_pay_bill(rows, actor))
