"""The demo data set: the council and its company as in March 2021 (docs/rules.md §1).

``seed_demo`` runs every registered step in order; each module in this
package registers its own with ``@demo_step``. Each step loads workbooks from
``imports/demo/`` through the same services as a real import, so running it
twice leaves the same data. Each step holds the import locks of the kinds it loads
(``levy.services.locks``, as ``flask levy import KIND`` does) and of the seed itself, so
two seeds at once, or a seed beside an import, take turns and the later one sees what
the earlier stored.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

from levy.domain.accounts import Actor
from levy.services.locks import import_lock
from levy.transaction import transaction

DEMO_DIR = Path(__file__).resolve().parent.parent.parent / "imports" / "demo"
DEMO_PASSWORD = "worcestershire-demo"

Step = Callable[[Actor], str]
SEED_LOCK = "seed-demo"
_STEPS: list[tuple[int, str, Step, tuple[str, ...]]] = []


def demo_step(order: int, name: str, *kinds: str) -> Callable[[Step], Step]:
    """Register a step; ``kinds`` are the imports it does (``flask levy import KIND``)."""

    def decorate(fn: Step) -> Step:
        if all(existing != name for _, existing, _, _ in _STEPS):
            _STEPS.append((order, name, fn, kinds))
        return fn

    return decorate


def steps() -> list[tuple[int, str, Step, tuple[str, ...]]]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return sorted(_STEPS, key=lambda s: (s[0], s[1]))


def seed_demo(actor: Actor) -> Iterator[str]:
    """Run each step in its own transaction, holding its locks (always taken in the same
    order); a failing step rolls back and stops the seed."""
    for _order, name, step, kinds in steps():
        with transaction():
            for kind in sorted({SEED_LOCK, *kinds}):
                import_lock(kind)
            message = step(actor)
        yield f"{name}: {message}"
