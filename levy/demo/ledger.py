"""Demo levy account May 2017 - March 2021 (DOMAIN.md §1: balance £1,692,300)."""

from __future__ import annotations

from levy.demo import DEMO_DIR, demo_step
from levy.importers import ledger as ledger_workbook
from levy.services.audit import Actor
from levy.services.ledger import import_transactions


@demo_step(20, "Levy account")
def load_levy_transactions(actor: Actor) -> str:
    rows = ledger_workbook.read_transactions(DEMO_DIR / "levy_transactions.xlsx")
    return str(import_transactions(rows, actor, "xlsx:levy_transactions.xlsx"))
