"""Care-leaver entries in the audit trail: values for the care leavers team only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from levy.domain.accounts import SYSTEM
from levy.extensions import db as _db
from levy.models.user import ROLES
from levy.services.audit import care_leaver_types, record

SECRET_VALUES = ("Kayleigh Doe", "2004-02-29", "Looked after", "Pat Adviser", "dyslexia")


def _care_leaver_entries() -> None:
    record(
        SYSTEM,
        "young_person.created",
        "YoungPerson",
        41,
        None,
        {
            "name": "Kayleigh Doe",
            "date_of_birth": "2004-02-29",
            "care_status": "Looked after",
            "personal_adviser": "Pat Adviser",
            "support_needs": "dyslexia",
        },
    )
    record(
        SYSTEM, "placement.updated", "Placement", 7, {"notes": "dyslexia"}, {"notes": "Pat Adviser"}
    )
    record(SYSTEM, "placement.follow_up", "PlacementFollowUp", 9, None, {"outcome": "dyslexia"})
    record(SYSTEM, "levy.import", "LevyTransaction", 3, None, {"amount": "1234.50"})
    _db.session.commit()


def test_every_care_leaver_model_is_covered() -> None:
    assert {"YoungPerson", "Placement", "PlacementFollowUp"} <= care_leaver_types()
    assert "LevyTransaction" not in care_leaver_types()


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_reads_the_trail_as_allowed(role: str, client: Any, login_as: Any) -> None:
    _care_leaver_entries()
    login_as(role)
    page = client.get("/audit?object_type=YoungPerson")
    download = client.get("/audit.xlsx")
    everything = client.get("/audit")
    if role not in ("admin", "finance", "care_leavers"):
        assert page.status_code == download.status_code == 403
        return
    assert page.status_code == download.status_code == everything.status_code == 200
    for response in (page, download, everything):
        assert response.headers["Cache-Control"] == "no-store"
    text = everything.get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(download.data)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    # who changed which record and which fields: for every reader
    assert "young_person.created" in text and "YoungPerson 41" in text
    assert "date_of_birth" in text and "support_needs" in text and "date_of_birth" in cells
    if role == "care_leavers":
        for value in SECRET_VALUES:
            assert value in text and value in cells
        # and only the care-leaver records' trail
        assert "1234.50" not in text and "1234.50" not in cells
    else:
        for value in SECRET_VALUES:
            assert value not in text, value
            assert value not in cells, value
            assert value not in page.get_data(as_text=True)
        assert "withheld" in text and "withheld" in cells
        assert "1234.50" in text and "1234.50" in cells  # other entries keep their values
