"""The apprentice record: its incentive schemes and one dated timeline (issue 5 item 11,
issue 7 item 5)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape
from typing import Any

import pytest

from levy.models.incentives import IncentiveApplication, IncentiveInstalment
from tests import factories
from tests.factories import setup_reference

TODAY = date(2021, 9, 30)


@pytest.fixture(autouse=True)
def end_of_september_2021(app: Any, monkeypatch: Any) -> None:
    """The pages' today: 30 Sep 2021, after both new-hire instalments fell due."""
    monkeypatch.setitem(app.config, "LEVY_AS_OF", TODAY)


@pytest.fixture
def ref(db: Any) -> dict[str, Any]:
    data = setup_reference()  # standard ST0070, band £5,000
    # aged 21 at a 1 Sep 2020 start, a new hire employed from 1 Sep 2020: phase 1 pays
    # £2,000 (under 25) as £1,000 on day 90 and £1,000 on day 365
    data["new_hire"] = factories.create_apprentice(
        data["people"],
        data["standard"],
        data["college"],
        reference="APP-NEW",
        first_name="Amelia",
        last_name="Smith",
        date_of_birth=date(1999, 6, 30),
        employment_start=date(2020, 9, 1),
        new_hire=True,
        planned_start=date(2020, 9, 1),
        planned_end=date(2022, 2, 28),
        agreed_price=Decimal(5000),
    )
    data["theirs"] = factories.create_apprentice(
        data["schools"], data["standard"], data["college"], reference="APP-THEIRS"
    )
    return data


def _text(page: str) -> str:
    """The page as a person reads it: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def _timeline(page: str) -> list[tuple[str, str, str]]:
    """(ISO date, kind, text) of each timeline line, in page order."""
    block = page.split("data-timeline>", 1)[1].split("</ol>", 1)[0]
    return [
        (on, kind, _text(body).strip())
        for kind, on, body in re.findall(
            r'<li data-kind="([^"]+)" data-date="([^"]+)">(.*?)</li>', block, re.S
        )
    ]


def test_record_shows_each_scheme_with_amounts_due_dates_and_reasons(
    client: Any, login_as: Any, ref: dict[str, Any], db: Any
) -> None:
    a = ref["new_hire"]
    db.session.add(
        IncentiveApplication(
            apprentice=a, scheme="new-hire-1", applied_on=date(2020, 12, 1), reference="NH-1"
        )
    )
    db.session.add(
        IncentiveInstalment(
            apprentice=a,
            scheme="new-hire-1",
            number=1,
            paid_on=date(2021, 1, 15),
            amount=Decimal(1000),
        )
    )
    db.session.flush()
    login_as("ld_team")
    page = client.get(f"/apprentices/{a.id}").get_data(as_text=True)
    text = _text(page)
    assert "Incentive payments" in text
    schemes = ("new-hire-1", "new-hire-2", "new-hire-3", "16-18-employer", "care-leaver-bursary")
    assert [page.count(f'id="scheme-{s}"') for s in schemes] == [1, 1, 1, 1, 1]
    assert re.search(r"<title>\s*APP-NEW Amelia Smith\s+–", page)  # once, in the body only
    # new-hire phase 1: £2,000 in two instalments of £1,000
    # day 90 = 1 Sep 2020 + 89 days = 29 Nov 2020; day 365 = 1 Sep 2020 + 364 = 31 Aug 2021
    assert "New-hire incentive, phase 1 new-hire-1 Eligible £2,000.00" in text
    assert "Application: applied on 1 December 2020 (reference NH-1)" in text
    assert "1 (after 90 days) £1,000.00 29 November 2020 paid £1,000.00 on 15 January 2021" in text
    assert "2 (after 365 days) £1,000.00 31 August 2021 due" in text
    # the schemes that do not pay say why, in the incentives area's own words
    assert "16-18 employer payment 16-18-employer Not eligible" in text
    assert "Care leavers' bursary care-leaver-bursary Not eligible" in text
    assert "New-hire incentive, phase 2 new-hire-2 Not eligible" in text
    assert "employment started 1 Sep 2020, outside this phase" in text
    # the timeline: due on day 90, paid on 15 Jan 2021, second instalment due on day 365
    incentives = [(on, t) for on, kind, t in _timeline(page) if kind == "incentive"]
    assert incentives == [
        (
            "2020-11-29",
            "29 November 2020 : Incentive due: New-hire incentive, phase 1, instalment 1 "
            "(£1,000.00 after 90 days in learning)",
        ),
        (
            "2021-01-15",
            "15 January 2021 : Incentive paid: New-hire incentive, phase 1, instalment 1 "
            "(£1,000.00 received)",
        ),
        (
            "2021-08-31",
            "31 August 2021 : Incentive due: New-hire incentive, phase 1, instalment 2 "
            "(£1,000.00 after 365 days in learning)",
        ),
    ]
    # actions stay on the incentives page, which the record links to
    assert f'href="/incentives/apprentices/{a.reference}"' in page
    assert "Record the application" not in page
    assert "Record the payment" not in page


def test_incentives_page_uses_the_same_scheme_markup(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    a = ref["new_hire"]
    login_as("ld_team")
    record = _text(client.get(f"/apprentices/{a.id}").get_data(as_text=True))
    page = client.get(f"/incentives/apprentices/{a.reference}?as_of=2021-09-30")
    incentives = _text(page.get_data(as_text=True))
    line = "1 (after 90 days) £1,000.00 29 November 2020 due"
    assert line in record
    assert line in incentives
    assert "Record the payment" in incentives  # the page's own forms still come after
    assert f'href="/apprentices/{a.id}"' in page.get_data(as_text=True)


def test_timeline_is_one_dated_list_in_date_order(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    a = ref["new_hire"]
    login_as("ld_team")
    url = f"/apprentices/{a.id}/status"
    for status, on, reason in (
        ("break", ["4", "1", "2021"], "long illness"),
        ("on programme", ["1", "3", "2021"], "back at work"),
        ("withdrawn", ["1", "6", "2021"], "left the council"),
    ):
        response = client.post(url, data={"status": status, "on": on, "reason": reason})
        assert response.status_code == 302
    assert a.status == "withdrawn"
    lines = _timeline(client.get(f"/apprentices/{a.id}").get_data(as_text=True))
    dates = [on for on, _, _ in lines]
    assert dates == sorted(dates)
    assert {kind for _, kind, _ in lines} == {"status", "break", "levy payment", "incentive"}
    assert ("2021-01-04", "break", "4 January 2021 : Break in learning started") in lines
    assert ("2021-03-01", "break", "1 March 2021 : Break in learning ended") in lines
    assert any(
        on == "2021-06-01"
        and kind == "status"
        and t.startswith("1 June 2021 : Status: on programme → withdrawn (left the council) by ")
        for on, kind, t in lines
    )
    # £5,000 capped at the £5,000 band: 20% (£1,000) at completion, £4,000 over the 18
    # month-ends Sep 2020 - Feb 2022 = £222.22 each. Month-ends on the break (31 Jan,
    # 28 Feb) pay nothing; the withdrawal on 1 Jun stops them after 31 May: 7 payments.
    levy = [(on, t) for on, kind, t in lines if kind == "levy payment"]
    assert [on for on, _ in levy] == [
        "2020-09-30", "2020-10-31", "2020-11-30", "2020-12-31",
        "2021-03-31", "2021-04-30", "2021-05-31",
    ]  # fmt: skip
    assert levy[0][1] == (
        "30 September 2020 : Levy payment: monthly instalment (£222.22 for September 2020)"
    )
    # new-hire phase 1: day 90 was 29 Nov 2020 (before the break); the withdrawal on
    # 1 Jun 2021 came before day 365, so the second £1,000 is forfeited on that date
    incentives = [(on, t) for on, kind, t in lines if kind == "incentive"]
    assert incentives == [
        (
            "2020-11-29",
            "29 November 2020 : Incentive due: New-hire incentive, phase 1, instalment 1 "
            "(£1,000.00 after 90 days in learning)",
        ),
        (
            "2021-06-01",
            "1 June 2021 : Incentive forfeited: New-hire incentive, phase 1, instalment 2 "
            "(£1,000.00: withdrew on 1 Jun 2021, before day 365)",
        ),
    ]
    # on the same day the status change comes before the incentive it causes
    kinds_on_1_june = [kind for on, kind, _ in lines if on == "2021-06-01"]
    assert kinds_on_1_june == ["status", "incentive"]


def test_timeline_stops_at_today(
    client: Any, login_as: Any, ref: dict[str, Any], app: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "LEVY_AS_OF", date(2020, 11, 30))
    login_as("finance")
    lines = _timeline(client.get(f"/apprentices/{ref['new_hire'].id}").get_data(as_text=True))
    # payments at 30 Sep and 31 Oct 2020 (30 Nov 2020 is today: included); day 90 on 29 Nov
    assert [(on, kind) for on, kind, _ in lines] == [
        ("2020-09-30", "levy payment"),
        ("2020-10-31", "levy payment"),
        ("2020-11-29", "incentive"),
        ("2020-11-30", "levy payment"),
    ]


@pytest.mark.parametrize(
    ("role", "sees_incentives"),
    [("ld_team", True), ("finance", True), ("admin", True), ("directorate_manager", False)],
)
def test_incentives_section_follows_the_incentives_readers(
    client: Any, login_as: Any, ref: dict[str, Any], role: str, sees_incentives: bool
) -> None:
    kw = {"directorates": [ref["people"]]} if role == "directorate_manager" else {}
    login_as(role, **kw)
    page = client.get(f"/apprentices/{ref['new_hire'].id}").get_data(as_text=True)
    assert ("Incentive payments" in page) is sees_incentives
    assert ("New-hire incentive, phase 1" in page) is sees_incentives
    assert ('data-kind="incentive"' in page) is sees_incentives
    assert ("/incentives/apprentices/" in page) is sees_incentives
    assert 'data-kind="levy payment"' in page  # the rest of the timeline is theirs to read


def test_manager_gets_404_for_another_directorates_record(
    client: Any, login_as: Any, ref: dict[str, Any]
) -> None:
    login_as("directorate_manager", directorates=[ref["people"]])
    assert client.get(f"/apprentices/{ref['new_hire'].id}").status_code == 200
    assert client.get(f"/apprentices/{ref['theirs'].id}").status_code == 404
    assert client.get(f"/incentives/apprentices/{ref['new_hire'].reference}").status_code == 403
