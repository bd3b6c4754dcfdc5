"""The levy pot chart as plain numbers: the template draws it (``templates/charts.html``).

Two panels on one time axis: the balance at month end as a line (top) and the funds
expired in the month as bars (bottom), each with its own scale; forecast months are
dashed and paler. ``balance_chart`` works out every coordinate, colour and label, so
the Jinja macro only writes SVG elements and needs no JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from levy.domain.money import ZERO, format_money
from levy.domain.months import format_month

WIDTH, LEFT, RIGHT = 760, 80, 10
TOP_Y, TOP_H, GAP, BOTTOM_H, AXIS = 14, 170, 34, 110, 40
ACTUAL_LINE, FORECAST_LINE = "#1d70b8", "#5694ca"
ACTUAL_BAR, FORECAST_BAR = "#d4351c", "#f499be"


@dataclass(frozen=True)
class Point:
    month: date
    balance: Decimal
    expired: Decimal
    forecast: bool


def points(actual: Sequence[Any], forecast: Sequence[Any]) -> list[Point]:
    """Chart points from ledger/forecast months (anything with month, balance, expired)."""
    return [Point(r.month, r.balance, r.expired, False) for r in actual] + [
        Point(r.month, r.balance, r.expired, True) for r in forecast
    ]


def nice_ceiling(value: Decimal) -> Decimal:
    """The next round figure at or above ``value`` (1, 2, 2.5 or 5 times a power of 10)."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= power * step:
            return power * step
    return power * 10  # pragma: no cover - the loop always returns


def _f(value: float) -> str:
    return f"{value:.1f}"


def balance_chart(
    chart_points: Sequence[Point], title: str = "Monthly balance and expiry", key: str = "chart"
) -> dict[str, Any] | None:
    """Everything the ``balance_chart`` macro draws, as strings and numbers; None if no points.

    ``key`` makes the SVG's title/description ids unique when a page has two charts.
    """
    if not chart_points:
        return None
    plot_w = WIDTH - LEFT - RIGHT
    height = TOP_Y + TOP_H + GAP + BOTTOM_H + AXIS
    step = plot_w / len(chart_points)
    balance_max = nice_ceiling(max(*(p.balance for p in chart_points), ZERO))
    expiry_max = nice_ceiling(max(*(p.expired for p in chart_points), ZERO))
    bars_top = TOP_Y + TOP_H + GAP

    def y_balance(value: Decimal) -> float:
        return TOP_Y + TOP_H - float(max(value, ZERO) / balance_max) * TOP_H

    def y_expiry(value: Decimal) -> float:
        return bars_top + BOTTOM_H - float(max(value, ZERO) / expiry_max) * BOTTOM_H

    grid = []
    for fraction in (0, Decimal("0.5"), 1):
        for value, y in (
            (balance_max * fraction, y_balance(balance_max * fraction)),
            (expiry_max * fraction, y_expiry(expiry_max * fraction)),
        ):
            grid.append(
                {"y": _f(y), "label_y": _f(y + 4), "label": format_money(value, pence=False)}
            )
    columns = []  # one per month: its expiry bar and its axis label, either may be None
    for i, p in enumerate(chart_points):
        x = LEFT + i * step
        bar = tick = None
        if p.expired > 0:
            top = y_expiry(p.expired)
            bar = {
                "x": _f(x + step * 0.15),
                "y": _f(top),
                "width": _f(step * 0.7),
                "height": _f(bars_top + BOTTOM_H - top),
                "colour": FORECAST_BAR if p.forecast else ACTUAL_BAR,
                "title": f"{format_month(p.month)} expired {format_money(p.expired)}",
            }
        if p.month.month == 4 or i == 0:
            tick = {"x": _f(x), "label": p.month.strftime("%b %Y")}
        columns.append({"bar": bar, "tick": tick})
    coords = [
        (LEFT + i * step + step / 2, y_balance(p.balance)) for i, p in enumerate(chart_points)
    ]
    actual = [c for c, p in zip(coords, chart_points, strict=True) if not p.forecast]
    ahead = [c for c, p in zip(coords, chart_points, strict=True) if p.forecast]
    if actual and ahead:
        ahead = [actual[-1], *ahead]  # the forecast line starts where the actuals end
    lines = [
        {"points": " ".join(f"{a:.1f},{b:.1f}" for a, b in line), "colour": colour, "dash": dash}
        for line, colour, dash in ((actual, ACTUAL_LINE, ""), (ahead, FORECAST_LINE, "6 4"))
        if len(line) > 1
    ]
    return {
        "key": key,
        "title": title,
        "width": WIDTH,
        "height": height,
        "left": LEFT,
        "right_x": WIDTH - RIGHT,
        "top_y": TOP_Y,
        "bars_top": bars_top,
        "bottom_y": bars_top + BOTTOM_H,
        "grid": grid,
        "columns": columns,
        "lines": lines,
        "legend_y": height - 8,
        "colours": {
            "actual_line": ACTUAL_LINE,
            "forecast_line": FORECAST_LINE,
            "actual_bar": ACTUAL_BAR,
            "forecast_bar": FORECAST_BAR,
        },
    }
