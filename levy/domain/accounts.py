"""Roles, and who made a change: plain values the web, the services and the commands share.

They live here, not beside the ``User`` model, so ``flask levy --help`` can list its
options (``--role``) without importing SQLAlchemy (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ROLES = {
    "admin": "Administrator",
    "ld_team": "L&D apprenticeships team",
    "finance": "HR and finance",
    "directorate_manager": "Directorate manager",
    "employer": "Local business (transfer applicant)",
    "care_leavers": "Care leavers team",
}


class Account(Protocol):
    @property
    def email(self) -> str: ...

    @property
    def id(self) -> int: ...


@dataclass(frozen=True)
class Actor:
    """Who did it: a signed-in user, or a command-line run (``cli:root``)."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: Account) -> Actor:
        return cls(label=user.email, user_id=user.id)

    @classmethod
    def cli(cls, name: str | None = None) -> Actor:
        import getpass

        return cls(label=f"cli:{name or getpass.getuser()}")


SYSTEM = Actor(label="system")
