"""Incentive payments and the care leavers' bursary (docs/rules.md §5, issue 7).

Schemes (ids are part of the CLI contract):

* ``new-hire-1``, ``new-hire-2``, ``new-hire-3``: the new-hire incentive, paid to the
  organisation. The phase is chosen by the **employment start**; the apprenticeship
  start must fall in the phase's start window; the amount depends on the age at the
  apprenticeship start (phase 1: £2,000 aged 16-24, £1,500 aged 25 or over). The
  apprentice must not have been employed by the organisation in the 6 months before
  the employment start, and only one new-hire incentive is paid per apprentice. The
  organisation applies once, inside the phase's application window.
* ``16-18-employer``: £500 + £500 to the employer (via the provider) for apprentices
  aged 16-18 at the start, or 19-24 with an EHC plan or who are care leavers and
  consent to the employer being told.
* ``care-leaver-bursary``: to the apprentice (via the provider): £1,000 at day 60 for
  starts 1 Aug 2018 - 31 Jul 2023; £1,000 at days 60, 120 and 300 from 1 Aug 2023.

Every amount, window and day count comes from the ``incentive.*`` rows of
``levy.domain.rules``; nothing here is a dated ``if``.

Due dates (issue 7 rule 2): an instalment due "after N days" falls due on the day the
apprentice completes N days in learning. Day 1 is the start date and days on a break
do not count, so with no break the due date is start + N - 1 days, and each break that
begins before that day pushes it back by the break's length (first and last days both
count as days on break).

Statuses (issue 7 rule 3), each a small state machine:

* application: ``not applied`` -> ``applied`` (date, reference), or ``missed`` once the
  application window closed first (provider-claimed schemes have no window);
* instalment: ``not yet due`` -> ``due`` -> ``paid`` (date, amount), or ``forfeited``
  when the apprentice completed, withdrew or left employment before the due date.
"""

from levy.domain.incentives.applications import (
    Application,
    application_status,
    apply,
    days_left_to_apply,
)
from levy.domain.incentives.base import (
    APPLICATION_MOVES,
    APPLICATION_STATUSES,
    APPLIED,
    DUE,
    FORFEITED,
    INSTALMENT_MOVES,
    INSTALMENT_STATUSES,
    MISSED,
    NOT_APPLIED,
    NOT_YET_DUE,
    PAID,
    ApplicationRefused,
    IncentiveApprentice,
    IncentiveError,
    IncentiveMoveRefused,
    PaymentRefused,
    UnknownScheme,
    check_move,
    check_scheme,
    day_text,
)
from levy.domain.incentives.eligibility import (
    Eligibility,
    all_schemes,
    eligibility,
    eligible_schemes,
    equal_split,
)
from levy.domain.incentives.records import (
    SchemeRecord,
    SchemeTotals,
    falling_due,
    scheme_records,
    totals_by_scheme,
)
from levy.domain.incentives.schedule import (
    Instalment,
    Payment,
    due_date,
    instalments,
    mark_paid,
)
from levy.domain.schemes import NEW_HIRE_SCHEMES, SCHEME_NAMES, SCHEMES

__all__ = [
    "APPLICATION_MOVES",
    "APPLICATION_STATUSES",
    "APPLIED",
    "DUE",
    "FORFEITED",
    "INSTALMENT_MOVES",
    "INSTALMENT_STATUSES",
    "MISSED",
    "NEW_HIRE_SCHEMES",
    "NOT_APPLIED",
    "NOT_YET_DUE",
    "PAID",
    "SCHEMES",
    "SCHEME_NAMES",
    "Application",
    "ApplicationRefused",
    "Eligibility",
    "IncentiveApprentice",
    "IncentiveError",
    "IncentiveMoveRefused",
    "Instalment",
    "Payment",
    "PaymentRefused",
    "SchemeRecord",
    "SchemeTotals",
    "UnknownScheme",
    "all_schemes",
    "application_status",
    "apply",
    "check_move",
    "check_scheme",
    "day_text",
    "days_left_to_apply",
    "due_date",
    "eligibility",
    "eligible_schemes",
    "equal_split",
    "falling_due",
    "instalments",
    "mark_paid",
    "scheme_records",
    "totals_by_scheme",
]
