"""Today's date for the service: the ``LEVY_AS_OF`` setting if there is one, else the clock.

The demo runs as of 31 March 2021, the date of the scrutiny report its figures come from
(``make run`` sets ``FLASK_LEVY_AS_OF``); a real deployment leaves it unset. Domain code
never calls this: it takes ``today``/``as_of`` as a parameter from the view or command.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app, has_app_context


def today() -> date:
    configured = current_app.config.get("LEVY_AS_OF") if has_app_context() else None
    if configured:
        return configured if isinstance(configured, date) else date.fromisoformat(str(configured))
    return date.today()


def now() -> datetime:
    """The time now (UTC), for what runs on the real clock such as sign-in sessions (never
    ``LEVY_AS_OF``); tests replace it to move time on."""
    return datetime.now(UTC)
