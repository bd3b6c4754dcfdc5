"""The levy pot chart: numbers from levy.domain.chart, SVG from templates/charts.html."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import render_template_string

from levy.domain.chart import Point, balance_chart, nice_ceiling, points


def test_nice_ceiling_rounds_up_to_1_2_2_5_or_5_times_a_power_of_ten():
    assert nice_ceiling(Decimal("0")) == 1
    assert nice_ceiling(Decimal("130")) == 200
    assert nice_ceiling(Decimal("2100")) == Decimal("2500")
    assert nice_ceiling(Decimal("4999")) == 5000
    assert nice_ceiling(Decimal("6000")) == 10000


def test_no_points_no_chart():
    assert balance_chart([]) is None


def test_balance_line_bars_and_axis_labels():
    data = points(
        [
            Point(date(2024, 3, 1), Decimal("1000"), Decimal("0"), False),
            Point(date(2024, 4, 1), Decimal("2000"), Decimal("100"), False),
        ],
        [Point(date(2024, 5, 1), Decimal("500"), Decimal("50"), True)],
    )
    assert [p.forecast for p in data] == [False, False, True]
    c = balance_chart(data, key="pot")
    # 670 px of plot for 3 months: each column 223.3 wide, from x = 80
    assert [col["tick"] and col["tick"]["label"] for col in c["columns"]] == [
        "Mar 2024",
        "Apr 2024",
        None,
    ]
    assert c["columns"][0]["bar"] is None
    april = c["columns"][1]["bar"]
    # expiry scale tops out at 100: April's bar fills the 110 px panel, red (actual)
    assert (april["y"], april["height"], april["colour"]) == ("218.0", "110.0", "#d4351c")
    may = c["columns"][2]["bar"]
    assert (may["height"], may["colour"]) == ("55.0", "#f499be")
    # balance scale tops out at 2000: March at half height (184 - 85 = 99)
    actual, forecast = c["lines"]
    assert actual["points"] == "191.7,99.0 415.0,14.0"
    assert forecast["points"] == "415.0,14.0 638.3,141.5"
    assert forecast["dash"] == "6 4"
    assert [g["label"] for g in c["grid"]] == ["£0", "£0", "£1,000", "£50", "£2,000", "£100"]


def test_the_macro_draws_svg_without_javascript(app):
    c = balance_chart([Point(date(2024, 4, 1), Decimal("10"), Decimal("5"), False)], "T & Co", "k")
    with app.test_request_context():
        html = render_template_string(
            '{% from "charts.html" import balance_chart %}{{ balance_chart(c) }}', c=c
        )
    assert html.count("<svg") == 1
    assert "<script" not in html
    assert 'aria-labelledby="k-title k-desc"' in html
    assert '<title id="k-title">T &amp; Co</title>' in html
    assert "Apr 2024" in html and "expired £5.00" in html
