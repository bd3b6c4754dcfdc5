"""Jinja filters: money as £1,234.50, dates as 1 April 2021, months as April 2021."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from levy.domain.money import format_money
from levy.domain.months import year_label

LONDON = ZoneInfo("Europe/London")


def money(value: Decimal | int | None, pence: bool = True) -> str:
    return format_money(value, pence=pence)


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo else value
        return f"{local.day} {local:%B %Y}, {local:%H:%M}"
    return f"{value.day} {value:%B %Y}"


def month_name(value: date | None) -> str:
    return "" if value is None else f"{value:%B %Y}"


def number(value: Any) -> str:
    return "" if value is None else f"{value:,}"


def init_app(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(long_date, "date")
    app.add_template_filter(month_name, "month")
    app.add_template_filter(number)
    app.add_template_filter(year_label)
