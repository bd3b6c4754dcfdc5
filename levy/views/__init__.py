"""Blueprints, navigation and home-page cards, wired by discovery.

Every module in this package that defines ``bp`` (a Blueprint) is registered.
A module adds its navigation entries with ``nav(...)`` and its home-page cards
with ``@home_card(...)``, so a new area needs no edit here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Flask, url_for
from flask_login import current_user

from levy.auth import user_can


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    order: int = 50


@dataclass
class Card:
    """A figure on a home page: a title, the figure, a line of text and a link."""

    title: str
    figure: str
    text: str = ""
    href: str | None = None
    link_text: str = ""
    warning: bool = False
    button: bool = False  # the link shown as a button (a call to action)


@dataclass
class _Registry:
    nav: list[NavItem] = field(default_factory=list)
    cards: list[tuple[int, tuple[str, ...], Callable[[Any], list[Card]]]] = field(
        default_factory=list
    )


REGISTRY = _Registry()


def nav(label: str, endpoint: str, order: int = 50) -> None:
    """Show ``endpoint`` in the navigation of every user allowed to open it."""
    if not any(item.endpoint == endpoint for item in REGISTRY.nav):
        REGISTRY.nav.append(NavItem(label, endpoint, order))


def home_card(order: int, *roles: str) -> Callable[[Callable[[Any], list[Card]]], Any]:
    """Register a function ``(user) -> [Card]`` shown on the home page of ``roles``."""

    def decorate(fn: Callable[[Any], list[Card]]) -> Callable[[Any], list[Card]]:
        if all(existing is not fn for _, _, existing in REGISTRY.cards):
            REGISTRY.cards.append((order, roles, fn))
        return fn

    return decorate


def cards_for(user: Any) -> list[Card]:
    """The user's cards, each worked out from the data as the page is read."""
    fns = [fn for _, roles, fn in sorted(REGISTRY.cards, key=lambda c: c[0]) if user.role in roles]
    return [card for fn in fns for card in fn(user)]


def navigation() -> list[dict[str, Any]]:
    from flask import request

    items: list[dict[str, object]] = []
    if not current_user.is_authenticated:
        return items
    for item in sorted(REGISTRY.nav, key=lambda i: (i.order, i.label)):
        if user_can(item.endpoint):
            href = url_for(item.endpoint)
            active = request.path == href or (href != "/" and request.path.startswith(href))
            items.append({"text": item.label, "href": href, "active": active})
    return items


def as_of_date() -> date:
    """The date a page works its statuses out on: ``?as_of=`` (a date, like 2021-03-31),
    else the service's today (``levy.clock``). Text that is not a date is named in a
    message and today is used instead."""
    from flask import flash, request

    from levy import clock
    from levy.domain.fields import EVERY_DATE, FieldError, parse_day
    from levy.views.args import check_date

    text = request.args.get("as_of") or request.form.get("as_of")
    if text:
        try:
            day = parse_day(text, within=EVERY_DATE)
        except FieldError:
            flash(f"'{text}' is not a date: write it like 2021-03-31. Showing today instead.")
        else:
            return check_date("as_of", day)  # 9999-12-31: a 400 naming the range
    return clock.today()


def init_app(app: Flask) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        blueprint = getattr(module, "bp", None)
        if blueprint is not None:
            app.register_blueprint(blueprint)
    app.context_processor(lambda: {"navigation": navigation})
