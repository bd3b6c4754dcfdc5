"""All models, imported here so that Alembic and ``db.create_all`` see every table.

Each area keeps its models in its own module; every module in this package is
imported automatically, so a new area needs no edit here.
"""

import importlib
import pkgutil

from levy.models.base import Base, Money, UTCDateTime

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module != "base":
        importlib.import_module(f"{__name__}.{_module}")

from levy.models.audit import AuditEvent  # noqa: E402
from levy.models.ledger import LevyTransaction  # noqa: E402
from levy.models.organisation import Directorate, DirectorateYear, Organisation  # noqa: E402
from levy.models.programme import (  # noqa: E402
    Apprentice,
    ApprenticeBreak,
    ApprenticeStatusChange,
    FundingBand,
    Provider,
    Standard,
)
from levy.models.user import LoginAttempt, User  # noqa: E402

__all__ = [
    "Apprentice",
    "ApprenticeBreak",
    "ApprenticeStatusChange",
    "AuditEvent",
    "Base",
    "Directorate",
    "DirectorateYear",
    "FundingBand",
    "LevyTransaction",
    "LoginAttempt",
    "Money",
    "Organisation",
    "Provider",
    "Standard",
    "UTCDateTime",
    "User",
]
