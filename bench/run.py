"""``make bench``: issue 21's measurements in one run, each printed as a ratio or a count.
Nothing is stored ahead: every request and command does its own work.

1. Requests per second of ``/``, ``/levy/``, ``/levy/ledger``, ``/apprentices`` and
   ``/transfers/queue`` ÷ ``/healthz`` under ``gunicorn -w 4`` (``bench/load.py``: threads
   with keep-alive connections that keep the session cookie, 127.0.0.1 only, bounded), on
   the demo data (``seed-demo``) and at 10,000 apprentices with 20 years of levy rows.
   Goal: every page >= 20%.
2. What-if and forecast through the command line (wall time, process start included),
   and ``/`` through the app, at 1,000 and 10,000 apprentices with 20 years of levy rows:
   the first ``/`` after a change and the next. Goals at 10,000: what-if < 1 s, forecast
   < 1 s, the first ``/`` after a change < 0.3 s.
3. ``flask --app wsgi levy --help`` wall time, printed beside importing Flask's CLI alone
   (the floor no Flask project goes under on this machine), and a command that reads the
   database and stops. No goal: every command builds the one app.
4. A 50,000-row levy import, then ``ledger`` and ``forecast``, through the command line
   (three processes, wall time) ÷ a bare openpyxl read-only pass over the same file,
   measured as three pairs side by side; the median pair is printed. Goal <= 3.

Run from the repo root: ``python bench/run.py`` (``--quick`` skips the gunicorn part,
``--pages`` runs only it). The project's modules are compiled to bytecode first, as a
deployment's install does (``make install`` too): with ``PYTHONDONTWRITEBYTECODE`` set,
every process would otherwise compile them again.
Times are wall clock, the best of a few runs; on a busy machine they move, the ratios
less so.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import requests_per_second  # noqa: E402

PAGES = ("/", "/levy/", "/levy/ledger", "/apprentices", "/transfers/queue")
SECRET = secrets.token_hex(32)  # random, as the app requires outside testing (128 bits or more)
FLASK = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(db_file: Path, instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "LEVY_INSTANCE_PATH": str(instance),
        "SECRET_KEY": SECRET,
        "PYTHONPATH": str(ROOT),
    }


def wall(cmd: list[str], env: dict[str, str], check: bool = True) -> float:
    """Wall time of ``cmd`` run from the repo root (``check=False``: whatever its exit code)."""
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=check, capture_output=True)
    return time.perf_counter() - started


def session_cookie(app: Any, user_id: int) -> str:
    """A signed-in session for ``user_id``, signed with the key the servers are given."""
    from levy.extensions import db
    from levy.models import User

    with app.app_context():  # the cookie names the user's session version too (levy.auth)
        version = db.session.get(User, user_id).session_version
    app.secret_key = SECRET
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": f"{user_id}:{version}", "_fresh": True})
    return f"{app.config.get('SESSION_COOKIE_NAME', 'session')}={value}"


# --- 1. pages against /healthz under gunicorn ------------------------------------------


def page_ratios(label: str, db_file: Path, instance: Path, cookies: dict[str, str]) -> None:
    """Each page ÷ ``/healthz``: every request works its page out."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = env_for(db_file, instance)
    env["FLASK_LEVY_AS_OF"] = "2021-03-31"
    proc = subprocess.Popen(
        [str(gunicorn), "-w", "4", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        for path in PAGES:
            cookie = cookies["finance"]  # finance may open every listed page
            # warm every worker (a page's first view after a change is timed in part 2)
            requests_per_second(port, path, cookie, clients=8, seconds=2)
            health = requests_per_second(port, "/healthz", seconds=3)
            page = requests_per_second(port, path, cookie, seconds=3)
            print(
                f"  {label:<31} {path:<18} {page:7.1f} req/s ÷ /healthz {health:7.1f} = "
                f"{page / health:6.1%}  (goal >= 20%)"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# --- 2. what-if, forecast and / at scale ---------------------------------------------------


def scale_times(n: int, folder: Path) -> tuple[Path, dict[str, str]]:
    from bench.scale import build
    from levy.extensions import db
    from levy.models import User
    from levy.services import ledger as service

    app, finance_id = build(n, folder)
    os.sync()  # the build's writes reach the disk now, not during the timings below
    db_file = folder / f"bench{n}.db"
    with app.app_context():
        last = service.last_month()
        ld_id = db.session.execute(db.select(User.id).where(User.role == "ld_team")).scalar()
        cookies = {
            "finance": session_cookie(app, finance_id),
            "ld_team": session_cookie(app, ld_id),
        }
        db.session.remove()
    assert last is not None
    start = date(last.year + (last.month == 12), last.month % 12 + 1, 1).strftime("%Y-%m")
    env = env_for(db_file, folder / "instance")
    what_if = [*FLASK, "levy", "what-if", "--from", start, "--months", "36"]
    what_if += ["--price", "6000", "--duration", "12"]
    forecast = [*FLASK, "levy", "forecast", "--from", start, "--months", "36"]
    cold_forecast = wall(forecast, env)
    warm_forecast = min(wall(forecast, env) for _ in range(5))  # best of five, as start-up
    warm_what_if = min(wall(what_if, env) for _ in range(5))
    client = app.test_client()
    client.set_cookie("session", cookies["finance"].split("=", 1)[1])
    with app.app_context():  # a change just before the first /
        from levy.models import LevyTransaction

        db.session.add(
            LevyTransaction(
                month=last, type="adjustment", amount=1, source="bench", source_key="change"
            )
        )
        db.session.commit()
        db.session.remove()
    started = time.perf_counter()
    assert client.get("/").status_code == 200
    cold_home = time.perf_counter() - started
    warm_home = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        client.get("/")
        warm_home = min(warm_home, time.perf_counter() - started)
    print(
        f"  {n:>6,} apprentices, 20 years: forecast CLI first {cold_forecast:.2f}s then "
        f"{warm_forecast:.2f}s (goal < 1); what-if CLI {warm_what_if:.2f}s (goal < 1); "
        f"/ first after a change {cold_home:.2f}s then {warm_home:.3f}s (goal < 0.3)"
    )
    return db_file, cookies


# --- 3 and 4: start-up, the 50,000-row import --------------------------------------------


def startup(folder: Path) -> None:
    env = env_for(folder / "startup.db", folder / "instance")
    best = min(wall([*FLASK, "levy", "--help"], env) for _ in range(5))
    flask_alone = min(wall([sys.executable, "-c", "import flask.cli"], env) for _ in range(5))
    # send-mail with no mail server wires the database (SQLAlchemy, the models) and stops:
    # what every command that reads or writes data pays before its own work
    data = min(wall([*FLASK, "levy", "send-mail"], env, check=False) for _ in range(5))
    bare = min(wall([sys.executable, "-c", "pass"], env) for _ in range(5))
    print(
        f"  flask --app wsgi levy --help: {best:.2f}s (no goal); importing Flask's CLI "
        f"alone: {flask_alone:.2f}s; bare python: {bare:.2f}s"
    )
    print(f"  a command that wires the database, then stops (levy send-mail): {data:.2f}s")


def import_ratio(folder: Path) -> None:
    from openpyxl import load_workbook

    from bench.ledger import ROWS, rows_for, write_workbook

    path = folder / "transactions.xlsx"
    write_workbook(path, rows_for(240, ROWS // 240 + 1)[:ROWS])
    os.sync()
    ratios = []
    for n in range(3):  # side by side: each pass beside its own bare pass, three times
        started = time.perf_counter()
        book = load_workbook(path, read_only=True)
        sum(1 for _ in book["Transactions"].iter_rows(values_only=True))
        book.close()
        bare = time.perf_counter() - started
        db_file = folder / f"import{n}.db"
        env = env_for(db_file, folder / "instance")
        subprocess.run(
            [*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        full = (
            wall([*FLASK, "levy", "import", "levy-transactions", str(path)], env)
            + wall([*FLASK, "levy", "ledger", "--output", str(folder / "l.json")], env)
            + wall([*FLASK, "levy", "forecast", "--from", "2037-05", "--months", "36"], env)
        )
        ratios.append((full / bare, full, bare))
    ratio, full, bare = sorted(ratios)[1]  # the median pair
    print(
        f"  {ROWS:,}-row import + ledger + forecast (3 processes): {full:.2f}s ÷ bare openpyxl "
        f"read-only pass {bare:.2f}s = {ratio:.2f} (goal <= 3); the three pairs: "
        + ", ".join(f"{r:.2f}" for r, _, _ in ratios)
    )


def demo_pages(folder: Path) -> None:
    """The pages on the demo data (``flask levy seed-demo``), as ``make run`` serves it."""
    from levy import create_app
    from levy.extensions import db
    from levy.models import User

    sub = folder / "demo"
    sub.mkdir()
    db_file = sub / "demo.db"
    env = env_for(db_file, sub / "instance")
    for step in (["db", "upgrade"], ["levy", "seed-demo"]):
        subprocess.run([*FLASK, *step], cwd=ROOT, env=env, check=True, capture_output=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}", "SECRET_KEY": SECRET})
    with app.app_context():
        finance = db.session.execute(
            db.select(User.id).where(User.email == "finance@levy.demo")
        ).scalar_one()
        db.session.remove()
    page_ratios("demo data", db_file, sub / "instance", {"finance": session_cookie(app, finance)})


def compile_bytecode() -> None:
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "levy", "wsgi.py"], cwd=ROOT, check=True
    )


def pages_only(folder: Path, n: int) -> None:
    from bench.scale import build

    app, finance_id = build(n, folder)
    cookies = {"finance": session_cookie(app, finance_id)}
    page_ratios(f"{n:,} apprentices", folder / f"bench{n}.db", folder / "instance", cookies)


def main() -> int:
    quick = "--quick" in sys.argv
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "--pages" in sys.argv:  # only part 1
            print("Pages ÷ /healthz under gunicorn -w 4 (8 keep-alive clients, 3 s each)")
            demo_pages(folder)
            pages_only(folder, 10_000)
            return 0
        print("Command start-up")
        startup(folder)
        print("What-if, forecast and / at scale")
        built = {}
        for n in (1_000, 10_000):
            sub = folder / f"n{n}"
            sub.mkdir()
            built[n] = (sub, *scale_times(n, sub))
        print("50,000-row levy import through the command line")
        import_ratio(folder)
        if not quick:
            print("Pages ÷ /healthz under gunicorn -w 4 (8 keep-alive clients, 3 s each)")
            demo_pages(folder)
            sub, db_file, cookies = built[10_000]
            page_ratios("10,000 apprentices", db_file, sub / "instance", cookies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
