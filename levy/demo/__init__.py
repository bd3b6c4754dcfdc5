"""The demo data set: the council and its company as in March 2021 (docs/rules.md §1).

``seed_demo`` runs every registered step in order; each module in this
package registers its own with ``@demo_step``. Each step loads workbooks from
``imports/demo/`` through the same services as a real import, so running it
twice leaves the same data.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

from levy.extensions import db
from levy.services.audit import Actor

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "imports" / "demo"
DEMO_PASSWORD = "worcestershire-demo"

Step = Callable[[Actor], str]
_STEPS: list[tuple[int, str, Step]] = []


def demo_step(order: int, name: str) -> Callable[[Step], Step]:
    def decorate(fn: Step) -> Step:
        if all(existing != name for _, existing, _ in _STEPS):
            _STEPS.append((order, name, fn))
        return fn

    return decorate


def steps() -> list[tuple[int, str, Step]]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return sorted(_STEPS, key=lambda s: (s[0], s[1]))


def seed_demo(actor: Actor) -> Iterator[str]:
    """Run each step and commit it; a failing step rolls back and stops the seed."""
    for _order, name, step in steps():
        try:
            message = step(actor)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        yield f"{name}: {message}"
