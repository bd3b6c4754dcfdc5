"""Levy transfers pages (one blueprint, ``transfers``): public pages and registration, the
business's applications, the officers' queue and decisions, settings, reports, home cards."""

from __future__ import annotations

from levy.views.transfers import business, cards, officers, public, reports, settings
from levy.views.transfers.common import OFFICERS, bp, get_application

__all__ = [
    "OFFICERS",
    "bp",
    "business",
    "cards",
    "get_application",
    "officers",
    "public",
    "reports",
    "settings",
]
