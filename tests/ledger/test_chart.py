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
    # 670 px of plot for 3 months: each column 223.3 wide, from x = 80; one April only,
    # so every month is labelled (issue 14: at least 2 labels)
    assert [col["tick"] and col["tick"]["label"] for col in c["columns"]] == [
        "Mar 2024",
        "Apr 2024",
        "May 2024",
    ]
    assert c["columns"][0]["bar"] is None
    april = c["columns"][1]["bar"]
    # expiry scale tops out at 100: April's bar fills the 110 px panel, red (actual)
    assert (april["y"], april["height"], april["colour"]) == ("218.0", "110.0", "#d4351c")
    may = c["columns"][2]["bar"]
    assert (may["height"], may["colour"]) == ("55.0", "#912b88")
    # balance scale tops out at 2000: March at half height (184 - 85 = 99)
    actual, forecast = c["lines"]
    assert actual["points"] == "191.7,99.0 415.0,14.0"
    assert forecast["points"] == "415.0,14.0 638.3,141.5"
    assert forecast["dash"] == "6 4"
    # balance ticks (0 to 2,000 in steps of 500), then expiry ticks (0 to 100 in 50s)
    assert [g["label"] for g in c["grid"]] == [
        *("£0", "£500", "£1,000", "£1,500", "£2,000"),
        *("£0", "£50", "£100"),
    ]


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


# --- issue 14: axes that read for any range, colours with 3:1 contrast, a table --------


def _labels(value: str) -> list[str]:
    from levy.domain.chart import nice_ticks, tick_label

    return [tick_label(t) for t in nice_ticks(Decimal(value))]


def test_nice_ticks_for_zero_pence_and_millions():
    assert _labels("0") == ["£0", "£1"]
    assert _labels("0.6") == ["£0", "£0.50", "£1"]
    assert _labels("1692300") == ["£0", "£500,000", "£1,000,000", "£1,500,000", "£2,000,000"]
    assert _labels("72000") == ["£0", "£50,000", "£100,000"]
    assert _labels("0.004") == ["£0", "£0.01"]


def test_nice_ticks_cover_the_maximum_and_labels_never_repeat():
    from levy.domain.chart import nice_ticks, tick_label

    for text in ("0.01", "0.5", "1", "3", "5", "7.5", "99", "130", "2100", "41230", "9999999"):
        ticks = nice_ticks(Decimal(text))
        labels = [tick_label(t) for t in ticks]
        assert ticks[0] == 0 and ticks[-1] >= Decimal(text), text
        assert 2 <= len(ticks) <= 5, text
        assert len(set(labels)) == len(labels), (text, labels)


def test_x_labels_each_april_or_every_few_months():
    from levy.domain.chart import month_ticks
    from levy.domain.months import add_months

    def months(first: date, n: int) -> list[date]:
        return [add_months(first, i) for i in range(n)]

    # 36 months from April 2019: the three Aprils
    assert month_ticks(months(date(2019, 4, 1), 36)) == [0, 12, 24]
    # 12 months from May 2021: one April only, so every 2 months: 6 labels
    assert month_ticks(months(date(2021, 5, 1), 12)) == [0, 2, 4, 6, 8, 10]
    assert month_ticks(months(date(2021, 5, 1), 2)) == [0, 1]
    # 20 years: 20 Aprils is too many, so every 60 months
    assert len(month_ticks(months(date(2001, 1, 1), 240))) == 4


def test_a_zero_chart_has_a_flat_line_and_two_distinct_axis_labels():
    data = [Point(date(2021, 5, 1), Decimal(0), Decimal(0), True)] * 1 + [
        Point(date(2021, 6, 1), Decimal(0), Decimal(0), True)
    ]
    c = balance_chart(data)
    balance_labels = [g["label"] for g in c["grid"][:2]]
    assert balance_labels == ["£0", "£1"]
    assert [col["tick"]["label"] for col in c["columns"]] == ["May 2021", "Jun 2021"]


def test_every_chart_colour_has_3_to_1_contrast_on_white():
    from levy.domain.chart import contrast_ratio

    assert round(contrast_ratio("#000000"), 1) == 21.0
    assert round(contrast_ratio("#f499be"), 1) == 2.1  # the old pink: too pale
    c = balance_chart([Point(date(2021, 5, 1), Decimal(5), Decimal(1), True)])
    for name, colour in c["colours"].items():
        assert contrast_ratio(colour) >= 3, (name, colour)


def test_the_figures_table_shows_the_chart_numbers(app):
    data = [Point(date(2021, 5, 1), Decimal("1692300"), Decimal("41230"), True)]
    with app.test_request_context():
        html = render_template_string(
            '{% from "charts.html" import chart_figures %}{{ chart_figures(c) }}',
            c=balance_chart(data, "Forecast"),
        )
    assert "May 2021 (forecast)" in html
    assert "£1,692,300.00" in html and "£41,230.00" in html
