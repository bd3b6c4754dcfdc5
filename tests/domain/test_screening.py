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

OUT = ScreeningOutcome


def req(directorate, outcome, **kw):
    return RecruitRequest(directorate, "Clerk", date(2021, 3, 1), outcome, **kw)


def test_counts_per_directorate_leave_out_social_workers():
    requests = [
        req("People", OUT.APPRENTICESHIP),
        req("People", OUT.NEITHER, reason="specialist"),
        req("People", OUT.APPRENTICESHIP, social_worker=True),
        req("Economy", OUT.CARE_LEAVER),
    ]
    assert count_by_directorate(requests) == {
        "Economy": {"apprenticeship": 0, "care-leaver opportunity": 1, "neither": 0, "total": 1},
        "People": {"apprenticeship": 1, "care-leaver opportunity": 0, "neither": 1, "total": 2},
    }


def test_validation():
    validate_request(req("People", OUT.NEITHER, reason="needs a registered nurse"))
    with pytest.raises(ScreeningError, match="reason"):
        validate_request(req("People", OUT.NEITHER))
    with pytest.raises(ScreeningError, match="social workers"):
        validate_request(req("People", OUT.APPRENTICESHIP, social_worker=True))
