"""A current stored projection, read without SQLAlchemy (issue 13: the ledger, forecast
and what-if on the command line).

A ``flask levy`` command that touches data spends about a second importing SQLAlchemy's
ORM and mapping the models before its own work starts. The ledger, forecast and what-if
commands first ask this module (the ledger is the actual part of a projection of no
forecast months): it opens the database with its own driver (``sqlite3`` read-only, or
psycopg for PostgreSQL), runs the one query the service runs (the stored projection for
these arguments, joined to the current version of its inputs) and decodes it with
:mod:`levy.domain.projection`. A hit is current by construction, exactly as in
``levy.services.projection.projection``.

Anything else (nothing stored for these arguments, the inputs changed since, a database
URL this reader does not know, no tables yet, a failure of any kind) answers ``None``;
the command then wires the database and goes the whole way, which computes, stores and
reports errors as every other command does. So this is only ever a shortcut to the same
figures, never a second source of them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import quote

from flask import Flask

from levy.domain.ledger import Ledger
from levy.domain.months import add_months, month_of
from levy.domain.projection import ACCOUNT, Projection, decode, projection_key
from levy.rules_config import configured_rules

T = TypeVar("T")

_QUERY = (
    "SELECT p.summary{detail} FROM forecast_projection p "
    "JOIN projection_inputs i ON i.version = p.inputs_version "
    "WHERE i.id = {mark} AND p.key = {mark}"
)


def _connect(url: str, instance_path: str) -> tuple[Any, str] | None:
    """A read-only DB-API connection and its parameter mark, for the URLs the app
    makes (``levy.config.database_url``); ``None`` for any other."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if not path or path == ":memory:" or path.startswith("file:") or "?" in path or "%" in path:
            return None  # in memory, or written in a form this reader does not take apart
        if not os.path.isabs(path):  # as Flask-SQLAlchemy does: relative to instance/
            path = os.path.join(instance_path, path)
        uri = f"file:{quote(path)}?mode=ro"  # never creates the file
        return sqlite3.connect(uri, uri=True, timeout=5), "?"
    if url.startswith("postgresql+psycopg://"):
        import psycopg

        conninfo = "postgresql://" + url[len("postgresql+psycopg://") :]
        return psycopg.connect(conninfo, connect_timeout=5), "%s"
    return None


Fetch = Callable[[str, tuple[Any, ...]], Any]
"""``fetch(sql, params)``: the first row of ``sql`` (``{mark}`` for each parameter)."""


def _read(url: str, instance_path: str, read: Callable[[Fetch], T]) -> T | None:
    """``read(fetch)`` on one read-only connection, or ``None`` on any miss or failure."""
    try:
        opened = _connect(url, instance_path)
        if opened is None:
            return None
        connection, mark = opened
        try:
            return read(
                lambda sql, params: connection.execute(sql.format(mark=mark), params).fetchone()
            )
        finally:
            connection.close()
    except Exception:  # any failure: the command goes the whole way, which reports it
        return None


def _texts(fetch: Fetch, key: str, detail: bool) -> tuple[str, ...] | None:
    row = fetch(_QUERY.replace("{detail}", ", p.detail" if detail else ""), (ACCOUNT, key))
    return None if row is None else tuple(row)


def _last_month(fetch: Fetch) -> date | None:
    row = fetch("SELECT max(month) FROM levy_transaction", ())
    if row is None or row[0] is None:
        return None
    value = row[0]  # a date from PostgreSQL, SQLAlchemy's ISO text from SQLite
    return month_of(value if isinstance(value, date) else date.fromisoformat(value))


def stored_texts(url: str, instance_path: str, key: str, detail: bool) -> tuple[str, ...] | None:
    """(summary[, detail]) of the current stored projection under ``key``, or ``None``."""
    return _read(url, instance_path, lambda fetch: _texts(fetch, key, detail))


def last_levy_month(url: str, instance_path: str) -> date | None:
    """The last month with a levy row (``ledger_inputs.last_month``), or ``None``."""
    return _read(url, instance_path, _last_month)


def stored_projection(
    app: Flask,
    start: date,
    months: int,
    funds_in_per_month: Decimal | None,
    from_pay_bill: bool,
    *,
    detail: bool = False,
) -> Projection | None:
    """The command line's stored projection (``today`` is ``None`` there, as in
    ``levy.services.ledger.get_forecast``) if it is current, else ``None``."""
    rules = configured_rules(app.config)  # the command has not wired the app's rule table
    key = projection_key(start, months, funds_in_per_month, from_pay_bill, None, rules.change_date)
    texts = stored_texts(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path, key, detail)
    if texts is None:
        return None
    return decode(texts[0], texts[1] if detail else None, rules)


def stored_ledger(app: Flask, to: date | None) -> Ledger | None:
    """The command line's stored ledger to ``to`` (``None``: the last month with money), as
    ``levy.services.ledger.get_ledger`` stores it (the actual part of a projection of no
    forecast months from the month after), if it is current; else ``None``. The last
    month and the stored row are read on one connection."""
    rules = configured_rules(app.config)

    def read(fetch: Fetch) -> tuple[str, ...] | None:
        last = to or _last_month(fetch)
        if last is None:
            return None
        start = add_months(month_of(last), 1)
        return _texts(fetch, projection_key(start, 0, None, False, None, rules.change_date), False)

    texts = _read(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path, read)
    return None if texts is None else decode(texts[0], None, rules).actual
