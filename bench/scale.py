"""A throwaway SQLite database at scale: N apprentices and 20 years of levy rows.

Shared by ``bench/run.py`` (``make bench``) and for profiling::

    PYTHONPATH=. python bench/scale.py 10000   # builds, then profiles the forecast
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

YEARS = 20
PER_MONTH = 202  # 240 months x 202 rows ~ 48,500 levy rows, as in the issue


def build(n: int, folder: Path, years: int = YEARS) -> tuple[Any, int]:
    """An app on a fresh SQLite file with ``n`` apprentices (bench/cohorts.py's generator)
    and ``years`` of levy rows (bench/ledger.py's generator); (app, finance user id)."""
    from bench.cohorts import build as build_cohorts
    from bench.ledger import rows_for
    from levy.extensions import db
    from levy.models import LevyTransaction, User

    app, _ld_user, _people = build_cohorts(n, folder)
    with app.app_context():
        rows = rows_for(12 * years, PER_MONTH)
        db.session.execute(
            insert(LevyTransaction),
            [
                {
                    "month": month,
                    "type": kind,
                    "amount": amount,
                    "reference": "",
                    "source": "bench",
                    "source_key": f"bench:{i}",
                }
                for i, (month, kind, amount) in enumerate(rows)
            ],
        )
        user = User(email="finance@bench", role="finance")
        user.set_password("bench-password-1")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    return app, user_id


if __name__ == "__main__":  # pragma: no cover - profiling helper
    import cProfile
    import pstats
    import tempfile
    import time

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        app, _ = build(count, Path(tmp))
        with app.app_context():
            from levy.services import ledger as service

            last = service.last_month()
            from levy.domain.months import add_months
            from levy.services import projection

            started = time.perf_counter()
            profile = cProfile.Profile()
            profile.enable()
            projection.compute(add_months(last, 1), 36)
            profile.disable()
            print(f"forecast computed from scratch, profiled: {time.perf_counter() - started:.2f}s")
            started = time.perf_counter()
            projection.compute(add_months(last, 1), 36)
            print(f"forecast computed from scratch: {time.perf_counter() - started:.2f}s")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
