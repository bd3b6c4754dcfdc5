"""Claims-due screen, bulk marking, the apprentice page, the export and the home card."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from levy.models import AuditEvent
from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from tests import factories


def _new_hire(reference: str, **kw: Any) -> Any:
    kw.setdefault("date_of_birth", date(1990, 5, 1))  # 30: £1,500 in phase 1
    return factories.create_apprentice(
        reference=reference, employment_start=date(2020, 9, 1), new_hire=True, **kw
    )


def test_claims_page_lists_what_to_do(client: Any, login_as: Any, db: Any) -> None:
    _new_hire("APP-A")
    factories.create_apprentice(
        reference="APP-B", date_of_birth=date(1990, 5, 1), employment_start=date(2020, 9, 1),
        new_hire=True, status="withdrawn", status_date=date(2020, 10, 1),
    )  # fmt: skip
    login_as("finance")
    page = client.get("/incentives/?as_of=2021-05-20").get_data(as_text=True)
    assert "Eligible, not yet applied for (2)" in page
    assert "window closes within 30 days" in page or "windows close within 30 days" in page
    assert "Instalments due, not yet received (1)" in page  # APP-A day 90 was 29 Nov 2020
    assert "Forfeited instalments (2)" in page
    assert "withdrew on 1 October 2020" not in page  # the domain's own wording is used
    assert "withdrew on 1 Oct 2020, before day 90" in page
    assert "Mark selected as applied" not in page  # finance reads only
    page = client.get("/incentives/?as_of=2021-06-01").get_data(as_text=True)
    assert "Missed applications (2)" in page


def test_bulk_apply_and_paid(client: Any, login_as: Any, db: Any) -> None:
    a = _new_hire("APP-A")
    b = _new_hire("APP-B")
    login_as("ld_team")
    response = client.post(
        "/incentives/apply",
        data={
            "claim": [f"{a.id}:new-hire-1", f"{b.id}:new-hire-1"],
            "applied_on": "2021-01-11",
            "claim_reference": "BATCH-1",
            "as_of": "2021-01-20",
        },
    )
    assert response.status_code == 302
    rows = db.session.execute(db.select(IncentiveApplication)).scalars().all()
    assert sorted(r.apprentice.reference for r in rows) == ["APP-A", "APP-B"]
    response = client.post(
        "/incentives/paid",
        data={
            "instalment": [f"{a.id}:new-hire-1:1"],
            "paid_on": "2021-01-20",
            "as_of": "2021-01-20",
        },
    )
    assert response.status_code == 302
    paid = db.session.execute(db.select(IncentiveInstalment)).scalar_one()
    assert paid.amount == Decimal("750.00")
    assert (
        db.session.execute(
            db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action.like("incentive.%"))
        ).scalar_one()
        == 3
    )


def test_bulk_apply_is_all_or_nothing(client: Any, login_as: Any, db: Any) -> None:
    a = _new_hire("APP-A")
    late = factories.create_apprentice(
        reference="APP-L",
        employment_start=date(2021, 4, 1),
        planned_start=date(2021, 4, 1),
        new_hire=True,
    )  # phase 2: applications open 1 Jun 2021
    login_as("ld_team")
    db.session.commit()  # the view's rollback undoes its own work only (the test still rolls back)
    response = client.post(
        "/incentives/apply",
        data={"claim": [f"{a.id}:new-hire-1", f"{late.id}:new-hire-2"],
              "applied_on": "2021-05-01", "claim_reference": "X"},
        follow_redirects=True,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "applications for the New-hire incentive, phase 2 open on 1 Jun 2021" in page
    assert "Nothing was marked as applied" in page
    assert db.session.execute(db.select(IncentiveApplication)).first() is None


def test_apprentice_page_shows_reasons_and_records_a_payment(
    client: Any, login_as: Any, db: Any
) -> None:
    _new_hire("APP-A")
    login_as("ld_team")
    page = client.get("/incentives/apprentices/APP-A?as_of=2021-01-01").get_data(as_text=True)
    assert "aged 25 or over at start: £1,500, not £2,000" in page
    assert "employment started 1 Sep 2020, outside this phase" in page  # phase 2
    assert "aged 30 at start: 19 to 24 only with an EHC plan or as a care leaver" not in page
    assert "aged 25 or over at start" in page
    client.post(
        "/incentives/apprentices/APP-A/apply",
        data={"scheme": "new-hire-1", "applied_on": "2021-01-11", "claim_reference": "R1"},
    )
    response = client.post(
        "/incentives/apprentices/APP-A/paid",
        data={"scheme": "new-hire-1", "instalment": "1", "paid_on": "2021-02-01", "amount": "750"},
        follow_redirects=True,
    )
    assert (
        "Instalment 1 of the New-hire incentive, phase 1 is recorded as paid: "
        "£750.00 on 1 February 2021" in response.get_data(as_text=True)
    )
    assert client.get("/incentives/apprentices/NOPE").status_code == 404


def test_export_has_the_columns_an_application_needs(client: Any, login_as: Any, db: Any) -> None:
    _new_hire("APP-A")
    login_as("ld_team")
    response = client.get("/incentives/claims.xlsx?as_of=2021-01-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Claims"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Apprentice reference", "First name", "Last name", "Date of birth")
    assert "Claim reference" in rows[0]
    assert "Days left to apply" in rows[0]
    assert len(rows) == 3  # header + two instalments
    assert rows[1][0] == "APP-A"


def test_roles(client: Any, login_as: Any, db: Any) -> None:
    login_as("care_leavers")
    assert client.get("/incentives/").status_code == 403
    assert client.post("/incentives/apply", data={}).status_code == 403


def test_home_card_counts_claims(client: Any, login_as: Any, db: Any) -> None:
    a = _new_hire("APP-A")
    db.session.add(IncentiveApplication(apprentice=a, scheme="new-hire-1",
                                        applied_on=date(2021, 1, 11), reference="R"))  # fmt: skip
    # two first halves received: £1,000 (aged 16-24) + £750 (aged 25+) = £1,750
    b = _new_hire("APP-B")
    for apprentice, amount in ((a, "1000"), (b, "750")):
        db.session.add(
            IncentiveInstalment(
                apprentice=apprentice, scheme="new-hire-1", number=1,
                paid_on=date(2021, 2, 1), amount=Decimal(amount),
            )
        )  # fmt: skip
    db.session.flush()
    login_as("ld_team")
    page = client.get("/").get_data(as_text=True)
    assert "Incentive payments claimed" in page
    assert "£1,750 received so far" in page


def test_unknown_apprentice_is_404(client: Any, login_as: Any, db: Any) -> None:
    login_as("ld_team")
    assert client.post("/incentives/apprentices/NOPE/apply", data={}).status_code == 404
    assert client.post("/incentives/apprentices/NOPE/paid", data={}).status_code == 404


def test_bulk_paid_is_all_or_nothing(client: Any, login_as: Any, db: Any) -> None:
    """APP-A's first instalment (£750) is payable; APP-B was never applied for, so its
    payment is refused: nothing is recorded, and both the refusal and the summary show."""
    a = _new_hire("APP-A")
    b = _new_hire("APP-B")
    login_as("ld_team")
    client.post(
        "/incentives/apply",
        data={"claim": [f"{a.id}:new-hire-1"], "applied_on": "2021-01-11",
              "claim_reference": "X", "as_of": "2021-01-20"},
    )  # fmt: skip
    db.session.commit()  # the view's rollback undoes its own work only (the test still rolls back)
    response = client.post(
        "/incentives/paid",
        data={"instalment": [f"{a.id}:new-hire-1:1", f"{b.id}:new-hire-1:1"],
              "paid_on": "2021-01-20", "as_of": "2021-01-20"},
        follow_redirects=True,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "APP-B new-hire-1 instalment 1:" in page
    assert "Nothing was marked as paid" in page
    assert "APP-A new-hire-1 instalment 1:" not in page
    assert db.session.execute(db.select(IncentiveInstalment)).first() is None


def test_bulk_apply_with_a_bad_key_names_it(client: Any, login_as: Any, db: Any) -> None:
    login_as("ld_team")
    response = client.post(
        "/incentives/apply",
        data={"claim": ["nonsense"], "applied_on": "2021-01-11", "claim_reference": "X"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "&#39;nonsense&#39; is not a claim" in response.get_data(as_text=True)
