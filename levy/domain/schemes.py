"""The incentive schemes' ids (part of the command-line contract) and names.

Kept apart from ``levy.domain.incentives`` (which imports them) so that listing the
``flask levy`` commands, whose ``--scheme`` options offer these ids, does not load the
schemes' rules (issue 13: command start-up).
"""

from __future__ import annotations

NEW_HIRE_SCHEMES = ("new-hire-1", "new-hire-2", "new-hire-3")
SCHEMES = (*NEW_HIRE_SCHEMES, "16-18-employer", "care-leaver-bursary")
SCHEME_NAMES = {
    "new-hire-1": "New-hire incentive, phase 1",
    "new-hire-2": "New-hire incentive, phase 2",
    "new-hire-3": "New-hire incentive, phase 3",
    "16-18-employer": "16-18 employer payment",
    "care-leaver-bursary": "Care leavers' bursary",
}
