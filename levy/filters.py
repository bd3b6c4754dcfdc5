"""Jinja filters: money as £1,234.50, percentages as 25.5%, dates as 1 April 2021,
months as April 2021. Each calls the one display function in ``levy.domain``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from levy.domain.money import format_money, format_percent
from levy.domain.months import format_day, format_month_name, year_label

LONDON = ZoneInfo("Europe/London")


def money(value: Decimal | int | None, pence: bool = True) -> str:
    return format_money(value, pence=pence)


def percent(value: Any, places: int = 0) -> str:
    """A fraction as a percentage: ``0.255|percent(1)`` is ``25.5%``."""
    return format_percent(value, places)


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        return f"{format_day(local.date())}, {local:%H:%M}"
    return format_day(value)


def month_name(value: date | None) -> str:
    return format_month_name(value)


def number(value: Any) -> str:
    return "" if value is None else f"{value:,}"


def init_app(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(percent)
    app.add_template_filter(long_date, "date")
    app.add_template_filter(long_date, "day")
    app.add_template_filter(month_name, "month")
    app.add_template_filter(number)
    app.add_template_filter(year_label)
