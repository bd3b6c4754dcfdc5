"""Months as first-of-month dates, and the UK's tax, financial and academic years."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{1,2})$")


class MonthError(ValueError):
    """Text that is not a month written ``YYYY-MM``."""


def month_of(day: date) -> date:
    """The first of the month containing ``day``."""
    if isinstance(day, datetime):
        day = day.date()
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    """The first of the month ``n`` months after ``month``'s (before, for negative ``n``)."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, later: date) -> int:
    """Whole calendar months from ``first``'s month to ``later``'s month."""
    return (later.year - first.year) * 12 + later.month - first.month


def month_range(first: date, last: date) -> Iterator[date]:
    """Every month from ``first`` to ``last`` inclusive."""
    month, end = month_of(first), month_of(last)
    while month <= end:
        yield month
        month = add_months(month, 1)


def month_end(month: date) -> date:
    return month_of(month) + relativedelta(months=1, days=-1)


def parse_month(text: object) -> date:
    """``2021-03`` (or a date/datetime) to ``date(2021, 3, 1)``."""
    if isinstance(text, datetime):
        return month_of(text.date())
    if isinstance(text, date):
        return month_of(text)
    match = _MONTH_TEXT.match(str(text or "").strip())
    if not match:
        raise MonthError(f"'{text}' is not a month: write it as YYYY-MM, like 2021-03")
    year, month = int(match.group(1)), int(match.group(2))
    if year < 1:
        raise MonthError(f"'{text}' is not a month: the year must be 0001 or later")
    if not 1 <= month <= 12:
        raise MonthError(f"'{text}' is not a month: the month must be 01 to 12")
    return date(year, month, 1)


def format_month(month: date) -> str:
    """Machine form for CSV, URLs and messages: ``2021-03``."""
    return f"{month.year:04d}-{month.month:02d}"


def format_day(day: date | None) -> str:
    """A date as people read it: ``1 April 2021`` (any stored year, even 9999)."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.date()
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def format_month_name(month: date | None) -> str:
    """A month as people read it: ``April 2021``."""
    if month is None:
        return ""
    return f"{_MONTH_NAMES[month.month - 1]} {month.year}"


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Year:
    """A named year with an inclusive start and end date."""

    start: date
    end: date

    @property
    def label(self) -> str:
        """``2020-21``."""
        return year_label(self.start.year)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def year_label(start_year: int) -> str:
    """The year starting in ``start_year`` written as people write it: ``2020-21``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def _year_from(day: date, month: int, first_day: int) -> Year:
    start_year = day.year if (day.month, day.day) >= (month, first_day) else day.year - 1
    return _year_starting(start_year, month, first_day)


@lru_cache(maxsize=1024)
def _year_starting(start_year: int, month: int, first_day: int) -> Year:
    """One ``Year`` per start (pages ask for the same few years thousands of times)."""
    start = date(start_year, month, first_day)
    if start_year >= date.max.year:  # an odd stored date in 9999: the year ends with the calendar
        return Year(start, date.max)
    return Year(start, date(start_year + 1, month, first_day) - timedelta(days=1))


def tax_year(day: date) -> Year:
    """6 April to 5 April."""
    return _year_from(day, 4, 6)


def financial_year(day: date) -> Year:
    """1 April to 31 March."""
    return _year_from(day, 4, 1)


def academic_year(day: date) -> Year:
    """1 August to 31 July."""
    return _year_from(day, 8, 1)


def financial_year_starting(year: int) -> Year:
    return financial_year(date(year, 4, 1))


def parse_year_label(text: str) -> int:
    """``2020-21`` to 2020 (the calendar year the year starts in)."""
    match = re.match(r"^(\d{4})-(\d{2})$", str(text or "").strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"'{text}' is not a year like 2020-21")
    return int(match.group(1))


def tax_month_number(day: date) -> int:
    """Tax month 1 runs 6 April to 5 May; 12 runs 6 March to 5 April."""
    start = tax_year(day).start
    shifted = day - relativedelta(days=5)
    return months_between(start, shifted) + 1


def age_on(born: date, day: date) -> int:
    """Whole years from ``born`` to ``day``, as ``relativedelta(day, born).years`` counts
    them (a 29 February birthday falls on 28 February in other years), without building
    a ``relativedelta``: the incentive and census rules ask it for every apprentice."""
    if day < born:
        return relativedelta(day, born).years
    birthday = min(born.day, monthrange(day.year, born.month)[1])
    return day.year - born.year - ((day.month, day.day) < (born.month, birthday))


# --- financial-year quarters (issue 15 §3): 2020-Q4 is January to March 2021 ----------
_QUARTER_TEXT = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Quarter:
    """Quarter ``number`` (1-4) of the financial year starting 1 April ``year``."""

    year: int
    number: int

    @property
    def first_month(self) -> date:
        return add_months(date(self.year, 4, 1), 3 * (self.number - 1))

    @property
    def last_month(self) -> date:
        return add_months(self.first_month, 2)

    @property
    def start(self) -> date:
        return self.first_month

    @property
    def end(self) -> date:
        return month_end(self.last_month)

    @property
    def months(self) -> list[date]:
        return [add_months(self.first_month, i) for i in range(3)]

    @property
    def key(self) -> str:
        """``2020-Q4``: how commands and URLs name it."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """``2020-21 Q4``: how people write it."""
        return f"{year_label(self.year)} Q{self.number}"

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_quarter(text: object) -> Quarter:
    """``2020-Q4`` (January to March 2021); raises ``MonthError`` naming the form."""
    match = _QUARTER_TEXT.match(str(text or "").strip())
    if not match:
        raise MonthError(
            f"'{text}' is not a quarter: write it as YYYY-QN, like 2020-Q4 "
            "(the financial year's start year; Q4 is January to March)"
        )
    return Quarter(int(match.group(1)), int(match.group(2)))


def quarter_of(day: date) -> Quarter:
    year = financial_year(day).start.year
    return Quarter(year, months_between(date(year, 4, 1), month_of(day)) // 3 + 1)
