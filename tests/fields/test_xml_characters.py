"""Characters XML 1.0 cannot hold (issue 26 §3): every text input refuses them naming the
field, and every download still writes a record stored with one before they were refused."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from levy.domain.fields import FieldError, check_characters, parse_text, xml_safe
from levy.exports import csv_cell, xlsx_text
from tests import factories

#: What a person can paste and a database can store (PostgreSQL refuses NUL; a lone
#: surrogate cannot be stored in UTF-8 at all, so it is only refused at input).
STORED = ("\ufffe", "\uffff", "\x01")
REFUSED = (*STORED, "\x00", "\x0b", "\x1f", "\ud800", "\udfff")


def _values(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]


def _clean(values: list[Any]) -> bool:
    return not any(isinstance(v, str) and any(ch in v for ch in STORED) for v in values)


# --- the one check ------------------------------------------------------------------------


@pytest.mark.parametrize("char", REFUSED)
def test_the_check_names_the_field_and_the_character(char: str) -> None:
    with pytest.raises(FieldError) as refused:
        parse_text(f"Sa{char}m", label="Name")
    assert str(refused.value).startswith(
        f"Name must not contain the control or hidden character U+{ord(char):04X}"
    )
    with pytest.raises(FieldError):  # multi-line text refuses them too
        check_characters(f"line one\n{char}", label="Commentary", multiline=True)


def test_tab_and_line_breaks_are_kept_in_multiline_text_only() -> None:
    assert check_characters("a\tb\r\nc", multiline=True) == "a\tb\r\nc"
    with pytest.raises(FieldError, match=r"^Name must not contain .* U\+000A"):
        check_characters("a\nb", label="Name")
    assert parse_text("Zoë Ünal – 😀 ﬁ") == "Zoë Ünal – 😀 ﬁ"


def test_writers_drop_what_xml_cannot_hold() -> None:
    text = "A\ufffeB\uffffC\x01D\ud800E\x00F"
    assert xml_safe(text) == "ABCDEF"
    assert xml_safe(text, "?") == "A?B?C?D?E?F"
    assert xlsx_text(text) == "ABCDEF"
    assert csv_cell("=\ufffe1") == "'=1"
    assert xml_safe("tab\tnew\nline\r") == "tab\tnew\nline\r"


# --- downloads of records stored before the check ------------------------------------------


def _stored_names(db: Any) -> None:
    directorate = factories.create_directorate(name="Peo\ufffeple\x01")
    factories.create_apprentice(
        directorate=directorate, reference="ODD1", first_name="Sa\ufffem", last_name="Jo\uffffnes"
    )
    db.session.commit()


def test_apprentices_and_quotas_download_with_odd_stored_names(
    client: Any, login_as: Any, db: Any
) -> None:
    _stored_names(db)
    login_as("ld_team")
    response = client.get("/apprentices/export.xlsx")
    assert response.status_code == 200
    values = _values(response.data)
    assert "ODD1" in values and "Sam" in values and "Jones" in values
    assert _clean(values)
    csv = client.get("/apprentices/export.csv")
    assert csv.status_code == 200
    assert "ODD1,Sam,Jones" in csv.get_data(as_text=True)
    login_as("finance")
    quotas = client.get("/quotas/export.xlsx?year=2020")
    assert quotas.status_code == 200
    values = _values(quotas.data)
    assert "People" in values and _clean(values)


def test_care_leavers_report_downloads_with_odd_stored_names(
    client: Any, login_as: Any, db: Any, runner: Any
) -> None:
    from levy.models.care_leavers import Placement

    demo = Path(__file__).resolve().parents[2] / "imports" / "demo"
    for kind, name in (("directorates", "directorates.xlsx"), ("placements", "placements.xlsx")):
        result = runner.invoke(args=["levy", "import", kind, str(demo / name)])
        assert result.exit_code == 0, result.output
    placement = db.session.execute(db.select(Placement).order_by(Placement.id)).scalars().first()
    placement.host_organisation = "Host\uffff Ltd\x01"
    placement.young_person.first_name = "Jo\ufffedan"
    db.session.commit()
    login_as("care_leavers")
    response = client.get("/care-leavers/reports.xlsx?as_of=2021-03-31")
    assert response.status_code == 200
    row = next(
        r
        for r in load_workbook(io.BytesIO(response.data))["Placements"].iter_rows(values_only=True)
        if r[0] == placement.reference
    )
    assert row[5] == "Host Ltd"
    assert row[2] == f"Jodan {placement.young_person.last_name}"
    assert _clean(_values(response.data))


def test_quarterly_report_downloads_with_odd_stored_commentary(
    client: Any, login_as: Any, db: Any
) -> None:
    from levy.models.insight import QuarterCommentary

    factories.create_directorate("Peo\ufffeple", headcount=100, pay_bill=100, year=2020)
    odd = "Starts\ufffe are\uffff behind\x01 target.\n\nSecond\x1f paragraph."
    db.session.add(QuarterCommentary(quarter="2020-Q4", text=odd, updated_by="x"))
    db.session.commit()
    login_as("ld_team")
    xlsx = client.get("/reports/quarterly.xlsx?quarter=2020-Q4")
    assert xlsx.status_code == 200
    commentary = load_workbook(io.BytesIO(xlsx.data))["Commentary"]
    assert commentary["B2"].value == "Starts are behind target.\n\nSecond paragraph."
    docx = client.get("/reports/quarterly.docx?quarter=2020-Q4")
    assert docx.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(docx.data)).paragraphs]
    assert "Starts are behind target." in paragraphs
    assert "Second paragraph." in paragraphs


# --- forms and commands refuse them, naming the field ---------------------------------------


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x01"])
def test_the_apprentice_form_names_the_field(
    client: Any, login_as: Any, db: Any, char: str
) -> None:
    ref = factories.setup_reference()
    db.session.commit()
    login_as("ld_team")
    response = client.post(
        "/apprentices/new", data=factories.apprentice_form(ref, first_name=f"Av{char}a")
    )
    assert response.status_code in (200, 400)
    page = response.get_data(as_text=True)
    assert f"First name must not contain the control or hidden character U+{ord(char):04X}" in (
        page
    )


def test_the_commentary_form_names_the_field(client: Any, login_as: Any, db: Any) -> None:
    from levy.models.insight import QuarterCommentary

    login_as("ld_team")
    response = client.post(
        "/reports/quarterly?quarter=2020-Q4", data={"text": "Behind\x01 target."}
    )
    assert response.status_code == 200
    assert "Commentary for the quarter must not contain the control or hidden character U+0001" in (
        response.get_data(as_text=True)
    )
    assert db.session.execute(db.select(QuarterCommentary)).first() is None
    long = client.post("/reports/quarterly?quarter=2020-Q4", data={"text": "x" * 15000})
    assert long.status_code == 302  # its own 20,000-character limit, not the usual 10,000


def test_the_business_registration_names_the_field(client: Any, db: Any) -> None:
    data = {
        "contact_name": "Sam Patel",
        "email": "sam@example.org",
        "password": "a-long-password",
        "password_again": "a-long-password",
        "legal_name": "Odd\uffff Ltd",
        "charity_number": "1190001",
        "address": "2 Load Street\ufffe, Bewdley",
        "postcode": "DY12 2AE",
        "employees": "4",
        "pays_levy": "no",
        "is_vcse": "yes",
        "sector": "Tourism and hospitality",
        "pays_rates_in_county": "yes",
        "serves_county_residents": "yes",
    }
    response = client.post("/transfers/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert "legal name must not contain the control or hidden character U+FFFF" in page
    assert "Address must not contain the control or hidden character U+FFFE" in page


def test_a_nested_row_of_a_form_is_checked_too(app: Any) -> None:
    from werkzeug.datastructures import MultiDict

    from levy.forms.transfers import StartsForm

    with app.test_request_context(method="POST"):
        form = StartsForm(
            formdata=MultiDict({"starts-0-name": "Sam\ufffe Jones"}), meta={"csrf": False}
        )
        assert not form.validate()
        assert form.starts[0].form.name.errors == [
            "Full name must not contain the control or hidden character U+FFFE: retype the "
            "text rather than pasting it from another program"
        ]
        clean = StartsForm(formdata=MultiDict({"starts-0-name": "Sam Jones"}), meta={"csrf": False})
        clean.validate()
        assert clean.starts[0].form.name.errors == []


def test_a_command_refuses_them_naming_the_option(runner: Any, db: Any) -> None:
    from levy.models import User

    result = runner.invoke(
        args=["levy", "create-user", "x@example.org", "--role", "admin", "--name", "A\ufffeB"],
        input="a-long-password-1\na-long-password-1\n",
    )
    assert result.exit_code == 2
    assert "--name" in result.output and "U+FFFE" in result.output
    assert db.session.execute(db.select(User).where(User.email == "x@example.org")).first() is None


def test_a_claim_reference_is_refused_by_the_domain_from_any_caller(runner: Any, db: Any) -> None:
    from levy.models.incentives import IncentiveApplication

    factories.create_apprentice(
        reference="APP-X",
        date_of_birth=date(1990, 5, 1),
        employment_start=date(2020, 9, 1),
        new_hire=True,
    )
    db.session.commit()
    args = ["levy", "incentives", "apply", "APP-X", "--scheme", "new-hire-1"]
    args += ["--date", "2021-01-11", "--claim-reference"]
    result = runner.invoke(args=[*args, "INC\uffff1"])
    assert result.exit_code == 1
    assert "The claim reference must not contain the control or hidden character U+FFFF" in (
        result.output
    )
    assert db.session.execute(db.select(IncentiveApplication)).first() is None
    assert runner.invoke(args=[*args, "INC-1"]).exit_code == 0
