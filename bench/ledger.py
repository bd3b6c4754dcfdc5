"""Benchmark of the levy pot (issue 4, item 14). Prints two ratios measured in one run.

(a) import a 50,000-row levy_transactions workbook (read and check every row, write it to a
    fresh SQLite database, commit) and compute the ledger plus a 36-month forecast, against
    a bare openpyxl read-only pass over the same file. Goal: <= 3x.
(b) ledger plus 36-month forecast for 20 years of history against 10 years, the same number
    of rows a month. Goal: <= 2.2x (linear).

Times are CPU time of this process (``time.process_time``), the best of several runs,
with the two sides of each ratio interleaved, so that other work on the machine moves
the ratios as little as possible.

Run from the repo root: ``python bench/ledger.py`` (or ``make bench``).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook

from levy.domain.forecast import run_forecast
from levy.domain.ledger import FUNDS_IN, PAYMENT, TRANSFER, Movement, build_ledger
from levy.domain.months import add_months, format_month

ROWS = 50_000
FIRST = date(2017, 5, 1)


def rows_for(months: int, per_month: int, seed: int = 1) -> list[tuple[date, str, Decimal]]:
    rnd = random.Random(seed)
    out = []
    for i in range(months):
        month = add_months(FIRST, i)
        out.append((month, "levy", Decimal(rnd.randint(60_000, 90_000))))
        out.append((month, "top-up", Decimal(rnd.randint(6_000, 9_000))))
        for _ in range(per_month - 2):
            kind = "payment" if rnd.random() < 0.95 else "transfer"
            out.append((month, kind, Decimal(rnd.randint(100, 2_000_00)) / 100))
    return out


def write_workbook(path: Path, rows: list[tuple[date, str, Decimal]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Transactions")
    sheet.append(["Month", "Type", "Amount", "Reference"])
    for n, (month, kind, amount) in enumerate(rows):
        sheet.append([format_month(month), kind, float(amount), f"row {n}"])
    book.save(path)


def best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def bare_read(path: Path) -> int:
    book = load_workbook(path, read_only=True)
    count = sum(1 for _ in book["Transactions"].iter_rows(values_only=True))
    book.close()
    return count


def import_and_forecast(path: Path, tmp: Path, n: int) -> None:
    os.environ["LEVY_INSTANCE_PATH"] = str(tmp / f"instance{n}")
    from flask_migrate import upgrade

    from levy import create_app
    from levy.domain.accounts import Actor
    from levy.extensions import db
    from levy.importers.ledger import read_transactions
    from levy.services import ledger as service

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / f'bench{n}.db'}", "SECRET_KEY": "bench"}
    )
    with app.app_context():
        upgrade()
        started = time.process_time()
        rows = read_transactions(path)
        service.import_transactions(rows, Actor.cli("bench"), "bench")
        db.session.commit()
        last = service.last_month()
        ledger = service.get_ledger(last)
        service.get_forecast(add_months(last, 1), 36, actual=ledger)
        TIMES.append(time.process_time() - started)
        db.session.remove()
        db.engine.dispose()


TIMES: list[float] = []


def ledger_and_forecast(movements: list[Movement], months: int) -> None:
    ledger = build_ledger(movements)
    run_forecast(ledger.pot, add_months(FIRST, months), 36, Decimal("80000"))


def movements_for(months: int, per_month: int) -> list[Movement]:
    kinds = {"levy": FUNDS_IN, "top-up": FUNDS_IN, "payment": PAYMENT, "transfer": TRANSFER}
    return [Movement(m, kinds[k], a) for m, k, a in rows_for(months, per_month)]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "transactions.xlsx"
        months = 240
        write_workbook(path, rows_for(months, ROWS // months + 1)[:ROWS])
        bares = []
        for n in range(3):
            bares.append(best_of(1, lambda: bare_read(path)))
            import_and_forecast(path, tmp, n)
        bare, full = min(bares), min(TIMES)
        print(
            f"(a) import {ROWS:,} rows + ledger + 36-month forecast: {full:.2f}s; "
            f"bare openpyxl read-only pass: {bare:.2f}s; ratio {full / bare:.2f} (goal <= 3)"
        )
    ten = movements_for(120, 200)
    twenty = movements_for(240, 200)
    t10s, t20s = [], []
    for _ in range(7):
        t10s.append(best_of(1, lambda: [ledger_and_forecast(ten, 120) for _ in range(5)]))
        t20s.append(best_of(1, lambda: [ledger_and_forecast(twenty, 240) for _ in range(5)]))
    t10, t20 = min(t10s) / 5, min(t20s) / 5
    print(
        f"(b) ledger + 36-month forecast, 20 years ({len(twenty):,} rows): {t20:.3f}s; "
        f"10 years ({len(ten):,} rows): {t10:.3f}s; ratio {t20 / t10:.2f} (goal <= 2.2)"
    )


if __name__ == "__main__":
    main()
