"""The one seam between configuration and the rule table (docs/architecture.md).

The 2026 levy change date (``LEVY_CHANGE_DATE``) is configuration, because the
public sources differ. ``create_app`` builds the rule table for it once, with
``levy.domain.rules.rulebook(change_date)``, and keeps it on the app as
``app.extensions["levy_rules"]``. Nothing rewrites ``levy.domain.rules.RULES``:
that stays the table for the default date, which the pure domain functions use
when a caller passes no ``rules``.

Services ask ``current_rules()`` and pass the table to the domain functions whose
result depends on the change date (the ledger's expiry, the top-up, the
co-investment split). Outside an app (pure domain tests, scripts) it is ``RULES``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, has_app_context

from levy.domain.rules import RULES, RuleBook, rulebook

EXTENSION = "levy_rules"


def change_date_of(value: object) -> date:
    """``LEVY_CHANGE_DATE`` as a date (a ``date`` or ISO text such as ``2026-04-01``)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(
            f"LEVY_CHANGE_DATE '{value}' is not a date: write it like 2026-08-01"
        ) from exc


@lru_cache(maxsize=8)
def rules_for(change_date: date) -> RuleBook:
    """The rule table for a change date (built once per date; a ``RuleBook`` is read-only)."""
    return RULES if change_date == RULES.change_date else rulebook(change_date)


def configured_rules(config: Mapping[str, Any]) -> RuleBook:
    """The rule table for ``config``'s ``LEVY_CHANGE_DATE``."""
    return rules_for(change_date_of(config["LEVY_CHANGE_DATE"]))


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = configured_rules(app.config)


def current_rules() -> RuleBook:
    """The running app's rule table; the default ``RULES`` outside an app."""
    if has_app_context():
        return current_app.extensions.get(EXTENSION, RULES)
    return RULES
