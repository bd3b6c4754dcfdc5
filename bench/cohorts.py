"""Cohort screens at scale: SQL queries per page and list time, 1,000 against 10,000 apprentices.

Run from the repo root: ``PYTHONPATH=. python bench/cohorts.py``. It builds a
throwaway SQLite database for each size, signs in as the L&D team, and for the
apprentice list, a directorate cohort page and the quotas page prints the number
of SQL statements (goal: at most 10, none per row) and the best of five timings.
It prints ratios, not pass/fail; exit status 1 if a page exceeds the query
budget or the list at 10,000 takes 2× or more its time at 1,000.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import event, insert

from levy import create_app
from levy.extensions import db
from levy.models import (
    Apprentice,
    ApprenticeBreak,
    Directorate,
    FundingBand,
    Organisation,
    Provider,
    Standard,
    User,
)
from levy.models.organisation import DirectorateYear

QUERY_BUDGET = 10
SIZES = (1_000, 10_000)


def build(n: int, folder: Path) -> Any:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / f'bench{n}.db'}",
        }
    )
    rng = random.Random(n)
    with app.app_context():
        upgrade()
        council = Organisation(name="Worcestershire County Council", kind="council")
        db.session.add(council)
        directorates = []
        for i, name in enumerate(("People", "Schools", "Economy", "Commercial", "Public Health")):
            d = Directorate(name=name, organisation=council, is_schools=name == "Schools")
            d.years.append(
                DirectorateYear(year=2020, headcount=500 + 100 * i, pay_bill=Decimal(10_000_000))
            )
            directorates.append(d)
        standards = []
        for level in range(2, 8):
            s = Standard(
                reference=f"ST{level:04d}", title=f"Level {level}", level=level, duration_months=18
            )
            s.bands.append(FundingBand(valid_from=date(2018, 8, 1), maximum=Decimal(5000)))
            standards.append(s)
        provider = Provider(name="College", ukprn="10000001")
        db.session.add_all([*directorates, *standards, provider])
        user = User(email="ld@bench", role="ld_team")
        user.set_password("bench-password-1")
        db.session.add(user)
        db.session.flush()
        rows = []
        for i in range(n):
            start = date(2018, 9, 1) + timedelta(days=rng.randint(0, 1000))
            d = rng.choice(directorates)
            rows.append(
                {
                    "reference": f"APP-{i:06d}",
                    "first_name": "Sam",
                    "last_name": f"Person{i}",
                    "date_of_birth": start - timedelta(days=365 * rng.randint(17, 60)),
                    "organisation_id": council.id,
                    "directorate_id": d.id,
                    "standard_id": rng.choice(standards).id,
                    "provider_id": provider.id,
                    "agreed_price": Decimal(rng.choice([4000, 5000, 6000])),
                    "planned_start": start,
                    "actual_start": start,
                    "planned_end": start + timedelta(days=600),
                    "status": "on programme",
                    "programme_type": "apprenticeship",
                }
            )
        db.session.execute(insert(Apprentice), rows)
        ids = db.session.execute(db.select(Apprentice.id)).scalars().all()
        db.session.execute(
            insert(ApprenticeBreak),
            [
                {"apprentice_id": i, "start": date(2020, 1, 6), "end": date(2020, 3, 1)}
                for i in ids[:: max(1, n // 200)]
            ],
        )
        db.session.commit()
        people = directorates[0].id
        user_id = user.id
    return app, user_id, people


def measure(app: Any, user_id: int, url: str) -> tuple[int, float]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    counter = {"n": 0}
    with app.app_context():
        engine = db.engine

    def count(*_args: Any) -> None:
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = counter["n"]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        client.get(url)
        best = min(best, time.perf_counter() - started)
    return queries, best


def main() -> int:
    failed = False
    timings: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            app, user_id, people = build(n, Path(tmp))
            pages = {
                "apprentice list": "/apprentices?page=3",
                "directorate cohort": f"/cohorts/{people}?as_of=2021-03-31",
                "quotas": "/quotas?year=2020",
            }
            for name, url in pages.items():
                queries, seconds = measure(app, user_id, url)
                flag = "" if queries <= QUERY_BUDGET else "  OVER BUDGET"
                failed |= queries > QUERY_BUDGET
                print(
                    f"{n:>6} apprentices  {name:<20} {queries:>3} queries  {seconds * 1000:8.1f} ms"
                    f"{flag}"
                )
                if name == "apprentice list":
                    timings[n] = seconds
    ratio = timings[SIZES[1]] / timings[SIZES[0]]
    print(f"apprentice list: {SIZES[1]:,} against {SIZES[0]:,} takes {ratio:.2f}× (goal under 2×)")
    failed |= ratio >= 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
