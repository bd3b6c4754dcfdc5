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
# Every line and bar has at least 3:1 contrast against white (WCAG 2.2, 1.4.11 non-text
# contrast; ``contrast_ratio`` below, checked in tests/ledger/test_chart.py): GOV.UK blue
# 5.2:1, light blue 3.2:1, red 4.9:1, purple 7.2:1.
ACTUAL_LINE, FORECAST_LINE = "#1d70b8", "#5694ca"
ACTUAL_BAR, FORECAST_BAR = "#d4351c", "#912b88"


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


def nice_ticks(maximum: Decimal, most: int = 4) -> list[Decimal]:
    """Axis values from £0 to a round top at or above ``maximum``, in at most ``most``
    equal steps of 1 or 5 times a power of ten (never less than a penny).

    0 gives £0 and £1 (a flat line on the bottom); 0.6 gives £0, £0.50, £1;
    1,692,300 gives £0 to £2,000,000 in steps of £500,000. The values are distinct and
    their labels (``tick_label``) never repeat."""
    if maximum <= 0:
        return [Decimal(0), Decimal(1)]
    raw = maximum / most
    step = Decimal("0.01")
    while step < raw:
        for factor in (5, 2):  # 0.01 -> 0.05 -> 0.1 -> 0.5 -> 1 -> 5 -> 10 ...
            step *= factor
            if step >= raw:
                break
    count = int((maximum / step).to_integral_value(rounding="ROUND_CEILING"))
    return [step * i for i in range(count + 1)]


def tick_label(value: Decimal) -> str:
    """``£500,000``; ``£0.50`` for a value that is not whole pounds (so 0, 0.5, 1 read
    ``£0``, ``£0.50``, ``£1``: rounding to pounds would repeat ``£1``)."""
    return format_money(value, pence=value != value.to_integral_value())


def month_ticks(months: Sequence[date]) -> list[int]:
    """Which months get an x-axis label: each April when that gives 2 to 12 labels, else
    every N months from the first (N = 1, 2, 3, 6, 12, 24, 60 or 120, the smallest giving
    at most 6 labels)."""
    aprils = [i for i, m in enumerate(months) if m.month == 4]
    if 2 <= len(aprils) <= 12:
        return aprils
    for every in (1, 2, 3, 6, 12, 24, 60, 120):
        if -(-len(months) // every) <= 6:
            break
    return list(range(0, len(months), every))


def _linear(colour: str) -> float:
    value = int(colour, 16) / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def contrast_ratio(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2.2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        h = hex_colour.lstrip("#")
        r, g, b = (_linear(h[i : i + 2]) for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


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
    balance_ticks = nice_ticks(max(*(p.balance for p in chart_points), ZERO))
    expiry_ticks = nice_ticks(max(*(p.expired for p in chart_points), ZERO))
    balance_max, expiry_max = balance_ticks[-1], expiry_ticks[-1]
    bars_top = TOP_Y + TOP_H + GAP

    def y_balance(value: Decimal) -> float:
        return TOP_Y + TOP_H - float(max(value, ZERO) / balance_max) * TOP_H

    def y_expiry(value: Decimal) -> float:
        return bars_top + BOTTOM_H - float(max(value, ZERO) / expiry_max) * BOTTOM_H

    grid = []
    for ticks, y_of in ((balance_ticks, y_balance), (expiry_ticks, y_expiry)):
        for value in ticks:
            y = y_of(value)
            grid.append({"y": _f(y), "label_y": _f(y + 4), "label": tick_label(value)})
    labelled = set(month_ticks([p.month for p in chart_points]))
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
        if i in labelled:
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
        "rows": [
            {
                "month": p.month.strftime("%B %Y"),
                "balance": format_money(p.balance),
                "expired": format_money(p.expired),
                "forecast": p.forecast,
            }
            for p in chart_points
        ],
        "legend_y": height - 8,
        "colours": {
            "actual_line": ACTUAL_LINE,
            "forecast_line": FORECAST_LINE,
            "actual_bar": ACTUAL_BAR,
            "forecast_bar": FORECAST_BAR,
        },
    }
