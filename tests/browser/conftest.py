"""Browser tests drive Debian's Chromium through Playwright against ``live_server``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

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
