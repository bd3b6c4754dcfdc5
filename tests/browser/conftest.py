"""Browser tests drive Debian's Chromium through Playwright against ``live_server``."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from levy.demo import DEMO_PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                if os.environ.get("CI") == "true":
                    raise pytest.UsageError(
                        f"CI needs {CHROMIUM} for the browser tests (apt-get install chromium)"
                    )
                item.add_marker(pytest.mark.skip(reason=f"no {CHROMIUM}: apt-get install chromium"))


def sign_in(
    page: Any, base: str, email: str, password: str = DEMO_PASSWORD, *, wait: bool = False
) -> None:
    """Sign in through the form; ``wait``: until the home page has loaded."""
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if wait:
        page.wait_for_url(f"{base}/")


def fill_registration(
    page: Any,
    *,
    name: str,
    email: str,
    password: str,
    organisation: str,
    number: str,
    address: str,
    postcode: str,
    employees: str,
    sector: str,
) -> None:
    """Fill in ``/transfers/register`` (not levy-paying, not a VCSE, pays rates in and
    serves the county) and press Register."""
    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Confirm the password").fill(password)
    page.get_by_label("Organisation's legal name").fill(organisation)
    page.get_by_label("Companies House number").fill(number)
    page.get_by_label("Address", exact=True).fill(address)
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Number of employees").fill(employees)
    page.get_by_label("Sector").select_option(sector)
    page.locator("#pays_levy-2").check()  # No
    page.locator("#is_vcse-2").check()
    page.locator("#pays_rates_in_county").check()  # Yes
    page.locator("#serves_county_residents").check()
    page.get_by_role("button", name="Register").click()


def confirm_email(page: Any, base: str, db: Any, email: str) -> None:
    """Follow the confirmation link in the outbox message to ``email``."""
    from levy.models.transfers import OutboxMessage

    body = db.session.execute(
        db.select(OutboxMessage.body).where(OutboxMessage.to == email)
    ).scalar_one()
    db.session.rollback()  # end the read: SQLite would keep the server from writing
    link = re.search(r"https?://\S+(/transfers/confirm/\S+)", body)
    assert link
    page.goto(base + link.group(1))


@contextmanager
def levy_for_year(live_database: str, key: str, year_start: int) -> Iterator[Any]:
    """The live server's database with £100,000 levy a month from May ``year_start - 1``
    to April ``year_start``, so that year has a transfer allowance; the rows (``source``
    ``key``) are taken out again afterwards, so other tests see the demo as loaded."""
    from levy import create_app
    from levy.domain.months import add_months, format_month
    from levy.extensions import db
    from levy.models import LevyTransaction

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": live_database,
            "SECRET_KEY": secrets.token_hex(32),
        }
    )
    with app.app_context():
        for i in range(12):
            month = add_months(date(year_start - 1, 5, 1), i)
            db.session.add(
                LevyTransaction(
                    month=month,
                    type="levy",
                    amount=Decimal("100000"),
                    source=key,
                    source_key=f"{key}:{format_month(month)}",
                )
            )
        db.session.commit()
        try:
            yield db
        finally:
            db.session.rollback()
            db.session.execute(db.delete(LevyTransaction).where(LevyTransaction.source == key))
            db.session.commit()


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# axe's impacts are minor, moderate, serious and critical: everything but minor fails a page
FAILING_IMPACTS = ("moderate", "serious", "critical")


def axe_problems(page: Any) -> list[str]:
    """Runs axe-core (``node_modules/axe-core``, a devDependency in package.json) on the
    page and returns one line per violation of impact moderate or worse, naming the rule,
    its impact, what it asks for and up to three of the elements that break it."""
    if not AXE.exists():
        raise pytest.UsageError(f"{AXE} is missing: run npm ci (make install-test)")
    if not page.evaluate("typeof window.axe === 'object'"):
        # evaluated through the browser's DevTools protocol, which the page's strict
        # Content-Security-Policy (no inline script) does not apply to, so the CSP stays on
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} element(s): "
        + "; ".join(v["nodes"][:3])
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]


def page_width(page: Any) -> int:
    """How wide the document is, scrolled sideways to the end, in CSS pixels."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def smallest_chart_text(page: Any) -> float | None:
    """The smallest rendered font size of any text in an SVG chart on the page, in CSS
    pixels (the computed size times the SVG's scale on screen), or None if no chart."""
    size = page.evaluate(
        """() => {
          const sizes = [...document.querySelectorAll('svg text')].map(t =>
            parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
          return sizes.length ? Math.min(...sizes) : null;
        }"""
    )
    return None if size is None else float(size)


def duplicate_ids(page: Any) -> list[str]:
    """Ids that more than one element of the page carries (axe 4.14 retired its general
    duplicate-id rule and only asks for a review when such an id is inside an SVG)."""
    return list(
        page.evaluate(
            """() => {
              const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
              return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
            }"""
        )
    )
