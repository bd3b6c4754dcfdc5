"""Issue 14, the L&D team's journeys: every problem of a form on its field in one submit,
plain-English messages and warnings (no rule keys), imports that report everything at
once with suggestions, and a preview that lists the changes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from levy.domain.rules import RULES
from levy.extensions import db as _db
from levy.models import Apprentice, ApprenticeBreak
from tests import factories
from tests.factories import apprentices_book, person, setup_reference


@pytest.fixture
def ref(db: Any) -> dict[str, Any]:
    data = setup_reference()
    data["mine"] = factories.create_apprentice(
        data["people"],
        data["standard"],
        data["college"],
        reference="APP-MINE",
        first_name="Sam",
        last_name="Jones",
        planned_start=date(2020, 9, 1),
        agreed_price=5600,
    )
    return data


def summary_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link in the GOV.UK error summary."""
    assert 'data-module="govuk-error-summary"' in html
    body = html.split('data-module="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [
        (href, text.strip().replace("&#39;", "'"))
        for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', body)
    ]


def no_error_banner(html: str) -> bool:
    """No validation message shown as a notification banner (only success banners)."""
    return "govuk-notification-banner" not in html or all(
        "govuk-notification-banner--success" in part.split(">", 1)[0]
        for part in html.split('class="govuk-notification-banner')[1:]
    )


RULE_KEY = re.compile(r"\bbands\.|\bprogramme\.[a-z]|\bRule [a-z]")


def test_add_form_reports_every_problem_in_one_submit(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("ld_team")
    html = client.post(
        "/apprentices/new",
        data={
            "reference": "APP-MINE",  # already used
            "first_name": "Ava",
            "last_name": "Jones",
            "date_of_birth": ["30", "6", "2000"],
            "directorate_id": "0",
            "standard_id": "0",
            "provider_id": "0",
            "agreed_price": "lots",
            "start": ["1", "9", "2020"],
            "planned_end": ["31", "8", "2020"],  # before the start
            "left_employment_on": ["31", "13", "2020"],  # not a date
        },
    ).get_data(as_text=True)
    links = summary_links(html)
    assert links == [
        ("#reference", "That reference is already used"),
        ("#directorate_id", "Select the organisation and directorate"),
        ("#standard_id", "Select the standard"),
        ("#provider_id", "Select the provider"),
        ("#agreed_price", "'lots' is not an amount in pounds, like 1234.50"),
        (
            "#planned_end-day",
            "Planned end date: 31 Aug 2020 is not after the start date 01 Sep 2020",
        ),
        ("#left_employment_on-day", "Enter the left employment on as a real date, like 31 3 2021"),
    ]
    # each message also sits on its field, and the day box it links to exists
    assert 'id="planned_end-error"' in html
    assert 'id="planned_end-day"' in html
    assert 'id="left_employment_on-day"' in html
    assert no_error_banner(html)
    # a missing date links to its day box too
    html = client.post("/apprentices/new", data={"reference": "APP-NEW"}).get_data(as_text=True)
    assert ("#date_of_birth-day", "Enter the date of birth as a real date, like 31 3 2021") in (
        summary_links(html)
    )
    assert ("#start-day", "Enter the start date as a real date, like 31 3 2021") in summary_links(
        html
    )
    assert (
        _db.session.execute(_db.select(Apprentice).filter_by(reference="APP-NEW")).first() is None
    )


def test_add_then_success_reads_plainly(client: Any, login_as: Any, ref: dict[str, Any]) -> None:
    login_as("ld_team")
    good = factories.apprentice_form(ref)
    html = client.post("/apprentices/new", data=good, follow_redirects=True).get_data(as_text=True)
    assert "Ava Jones (APP-NEW) is added" in html


def test_status_change_errors_sit_on_the_fields(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("ld_team")
    a = ref["mine"]
    response = client.post(
        f"/apprentices/{a.id}/status",
        data={"status": "completed", "on": ["1", "1", "2019"], "reason": ""},
    )
    assert response.status_code == 200  # the record again, with the problems on the form
    html = response.get_data(as_text=True)
    assert summary_links(html) == [
        (
            "#on-day",
            "The move to completed on 1 January 2019 is before the start 1 September 2020: "
            "enter a date on or after the start",
        ),
        ("#reason", "Give a reason for the change"),
    ]
    assert 'id="on-error"' in html and 'id="reason-error"' in html
    assert no_error_banner(html)
    # a move the state machine refuses is on the status radios (the first has the field's id)
    html = client.post(
        f"/apprentices/{a.id}/status",
        data={"status": "future", "on": ["1", "3", "2021"], "reason": "x"},
    ).get_data(as_text=True)
    assert summary_links(html)[0][0] == "#status"
    assert 'id="status"' in html
    assert a.status == "on programme"


def test_break_and_completion_read_plainly(client: Any, login_as: Any, ref: dict[str, Any]) -> None:
    login_as("ld_team")
    a = ref["mine"]
    url = f"/apprentices/{a.id}/status"
    html = client.post(
        url,
        data={"status": "break", "on": ["3", "5", "2021"], "reason": "illness"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Sam Jones is now on a break in learning from 3 May 2021" in html
    assert "is now break" not in html
    assert (
        "Payments are paused during the break in learning that started on 3 May 2021. "
        "They resume after it" in html
    )
    assert "No payments are due" not in html
    html = client.post(
        url,
        data={"status": "on programme", "on": ["1", "7", "2021"], "reason": "back"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Sam Jones is back in learning from 1 July 2021" in html
    assert "Payments were paused during the break in learning (3 May 2021 to 1 July 2021)" in html
    html = client.post(
        url,
        data={"status": "completed", "on": ["28", "2", "2022"], "reason": "passed"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Sam Jones has completed" in html


def test_no_rule_key_reaches_a_cohorts_page(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("ld_team")
    a = ref["mine"]  # £5,600 against a £5,000 band: a programme-rule warning
    pages = [
        "/apprentices",
        "/apprentices?warnings=yes",
        f"/apprentices/{a.id}",
        f"/apprentices/{a.id}/edit",
        "/apprentices/new",
        "/apprentices/import",
        "/cohorts",
        f"/cohorts/{ref['people'].id}",
        "/quotas",
        "/screening",
    ]
    keys = RULES.keys()
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert not RULE_KEY.search(html), (url, RULE_KEY.search(html))
        assert not [key for key in keys if key in html], url
        assert "source: https://" not in html
    listing = client.get("/apprentices?warnings=yes").get_data(as_text=True)
    assert ">Funding band maximum</strong>" in listing
    record = client.get(f"/apprentices/{a.id}").get_data(as_text=True)
    assert "Funding band maximum: The agreed price £5,600.00 is above" in record
    assert ">Apprenticeship funding bands</a>" in record
    # the rules page names each rule plainly beside its key
    rules = client.get("/rules").get_data(as_text=True)
    assert "Funding band maximum<br><code" in rules
    assert ">Apprenticeship funding rules</a>" in rules


def _upload(client: Any, path: Path) -> str:
    return client.post(
        "/apprentices/import",
        data={"workbook": (path.open("rb"), path.name)},
        content_type="multipart/form-data",
    ).get_data(as_text=True)


def test_import_reports_every_problem_of_a_row_with_suggestions(
    client: Any, login_as: Any, ref: dict[str, Any], tmp_path: Path
) -> None:
    login_as("ld_team")
    book = apprentices_book(
        tmp_path / "bad.xlsx",
        [
            person("APP-9001", **{"Planned end date": "soon", "Standard": "ST9999"}),
            person("APP-9002", Directorate="Peoples", Provider="Heart of Worcs College"),
            person("APP-9003", **{"Planned end date": date(2020, 8, 1), "Standard": "ST0071"}),
        ],
    )
    html = _upload(client, book).replace("&#39;", "'")
    # row 2: an unreadable date and an unknown standard, both
    assert "Apprentices, row 2, Planned end date:" in html
    assert "Apprentices, row 2, Standard: 'ST9999' is not a standard that is set up" in html
    # row 3: near misses get a suggestion
    assert (
        "Apprentices, row 3, Directorate: 'Peoples' is not a directorate of "
        "Worcestershire County Council: did you mean 'People'?" in html
    )
    assert "did you mean 'Heart of Worcestershire College'?" in html
    # row 4: the end before the start and the standard (a near miss of ST0070), together
    assert "Apprentices, row 4, Planned end date:" in html
    assert (
        "Apprentices, row 4, Standard: 'ST0071' is not a standard that is set up: "
        "did you mean 'ST0070'?" in html
    )
    assert "fix 6 problems" in html, re.findall(r"<li>Apprentices[^<]*</li>", html)
    assert (
        _db.session.execute(_db.select(Apprentice).filter_by(reference="APP-9001")).first() is None
    )


def test_import_preview_lists_new_and_changed_rows(
    client: Any, login_as: Any, ref: dict[str, Any], tmp_path: Path
) -> None:
    login_as("ld_team")
    mine = ref["mine"]
    _db.session.add(ApprenticeBreak(apprentice=mine, start=date(2021, 1, 4), end=date(2021, 2, 1)))
    _db.session.flush()
    book = apprentices_book(
        tmp_path / "a.xlsx",
        [
            person(
                "APP-MINE",
                **{
                    "First name": "Sam",
                    "Last name": "Jones",
                    "Date of birth": mine.date_of_birth,
                    "Agreed price": 6000,
                    "Employment start": None,
                    "Planned end date": date(2022, 3, 31),
                },
            ),
            person("APP-9001", **{"First name": "Ava", "Last name": "Khan"}),
        ],
    )
    html = _upload(client, book).replace("&#39;", "'")
    assert "2 rows: 1 new, 1 changed, 0 unchanged" in html
    assert "<li>APP-9001 Ava Khan</li>" in html
    assert "APP-MINE Sam Jones" in html
    assert "Agreed price: £5,600.00 → £6,000.00" in html
    assert "Planned end date: 28 February 2022 → 31 March 2022" in html
    assert "Breaks: 4 January 2021 to 1 February 2021 → none" in html
    assert "First name:" not in html  # unchanged values are not listed
    assert mine.agreed_price == 5600  # a preview keeps nothing
