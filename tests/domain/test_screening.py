"""Request-to-recruit screening (issue 5 item 7)."""

from datetime import date

import pytest

from levy.domain.screening import (
    RecruitRequest,
    ScreeningError,
    ScreeningOutcome,
    count_by_directorate,
    validate_request,
)

O = ScreeningOutcome


def req(directorate, outcome, **kw):
    return RecruitRequest(directorate, "Clerk", date(2021, 3, 1), outcome, **kw)


def test_counts_per_directorate_leave_out_social_workers():
    requests = [
        req("People", O.APPRENTICESHIP),
        req("People", O.NEITHER, reason="specialist"),
        req("People", O.APPRENTICESHIP, social_worker=True),
        req("Economy", O.CARE_LEAVER),
    ]
    assert count_by_directorate(requests) == {
        "Economy": {"apprenticeship": 0, "care-leaver opportunity": 1, "neither": 0, "total": 1},
        "People": {"apprenticeship": 1, "care-leaver opportunity": 0, "neither": 1, "total": 2},
    }


def test_validation():
    validate_request(req("People", O.NEITHER, reason="needs a registered nurse"))
    with pytest.raises(ScreeningError, match="reason"):
        validate_request(req("People", O.NEITHER))
    with pytest.raises(ScreeningError, match="social workers"):
        validate_request(req("People", O.APPRENTICESHIP, social_worker=True))
