"""Generated hostile values posted into the main forms and query parameters: never a 500.

Bounded (25 examples a form, no deadline) so it runs in the ordinary suite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

CONTROL = "\x00\x01\x08\x0b\x1b\x7f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

hostile_text = st.one_of(
    st.text(alphabet=st.sampled_from(CONTROL + "abc =+-@'\"£,.0123456789"), max_size=40),
    st.text(max_size=40),
    st.just("x" * 12000),
)
numberish = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "nan",
            "Infinity",
            "-Infinity",
            "inf",
            "1e309",
            "-1e309",
            "1e5",
            "0",
            "-0",
            "£1,2,3",
            "1,,000",
            "99999999999999999999",
            "2147483648",
            "-2147483649",
            "٣",
            "½",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    hostile_text,
)
date_parts = st.lists(
    st.one_of(
        st.integers(min_value=-99999, max_value=10**12).map(str),
        st.sampled_from(["", "31", "12", "9999", "0", "NaN", "1e309"]),
        hostile_text,
    ),
    min_size=0,
    max_size=4,
)
one_box_date = st.one_of(
    st.sampled_from(["9999-12-31", "0001-01-01", "31/12/9999", "31 12 9999", "2021-02-30"]),
    hostile_text,
)
value = st.one_of(hostile_text, numberish)

SETTINGS = settings(max_examples=25, deadline=None, database=None)


def _fuzz(
    client: Any,
    url: str,
    text_fields: list[str],
    number_fields: list[str] = (),  # type: ignore[assignment]
    date_fields: list[str] = (),  # type: ignore[assignment]
    day_fields: list[str] = (),  # type: ignore[assignment]
) -> Callable[[], None]:
    @SETTINGS
    @given(
        texts=st.fixed_dictionaries(dict.fromkeys(text_fields, value)),
        numbers=st.fixed_dictionaries(dict.fromkeys(number_fields, numberish)),
        dates=st.fixed_dictionaries(dict.fromkeys(date_fields, date_parts)),
        days=st.fixed_dictionaries(dict.fromkeys(day_fields, one_box_date)),
    )
    def run(
        texts: dict[str, str],
        numbers: dict[str, str],
        dates: dict[str, list[str]],
        days: dict[str, str],
    ) -> None:
        data: dict[str, Any] = {**texts, **numbers, **dates, **days}
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data)
        # still signed in and allowed: the form itself answered, not the sign-in page
        assert "/login" not in response.headers.get("Location", ""), url
        assert response.status_code != 403, url

    return run


def test_apprentice_form(client: Any, login_as: Any, db: Any) -> None:
    login_as("ld_team")
    _fuzz(
        client,
        "/apprentices/new",
        ["reference", "first_name", "last_name", "manager", "job_title"],
        ["agreed_price", "weekly_hours", "otj_hours_planned", "otj_hours_logged"],
        ["start", "planned_end", "employment_start", "left_employment_on"],
    )()


def test_what_if_and_scenario_forms(client: Any, login_as: Any, db: Any) -> None:
    login_as("finance")
    _fuzz(client, "/levy/what-if", ["start"], ["price", "duration", "funds_in", "months"])()
    _fuzz(
        client,
        "/levy/scenario",
        ["start", "starts"],
        ["price", "duration", "funds_in", "pledge", "pledge_months", "months"],
    )()


def test_care_leaver_forms(client: Any, login_as: Any, db: Any) -> None:
    login_as("care_leavers")
    _fuzz(
        client,
        "/care-leavers/young-people/new",
        ["reference", "first_name", "last_name", "care_status", "support_needs"],
        day_fields=["date_of_birth", "consent_hosts_on", "consent_employer_on"],
    )()
    _fuzz(
        client,
        "/care-leavers/vacancies/new",
        ["reference", "title", "minimum_criteria"],
        ["directorate_id"],
        day_fields=["shared_on", "closing_on"],
    )()


def test_transfer_forms(client: Any, login_as: Any, db: Any) -> None:
    _fuzz(
        client,
        "/transfers/register",
        ["contact_name", "email", "legal_name", "company_number", "address", "postcode"],
        ["employees"],
    )()
    login_as("finance")
    _fuzz(client, "/transfers/allowance", [], ["percent"])()
    _fuzz(
        client,
        "/transfers/policy",
        ["growth_sectors", "windows"],
        ["max_employees", "max_applications_per_year", "max_amount_per_year"],
    )()


def test_transfer_application_form(client: Any, db: Any) -> None:
    from tests.factories import create_business

    _, user = create_business()
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    _fuzz(
        client,
        "/transfers/applications/new",
        ["provider_name", "social_value", "contact_name", "contact_email", "contact_phone"],
        ["apprentices", "standard"],
        ["planned_start"],
    )()


@SETTINGS
@given(
    page=numberish,
    level=numberish,
    directorate=numberish,
    as_of=one_box_date,
    month=st.one_of(st.sampled_from(["9999-12", "0000-01", "2021-13"]), hostile_text),
)
def _query_run(
    client: Any, page: str, level: str, directorate: str, as_of: str, month: str
) -> None:
    for url, params in (
        ("/apprentices", {"page": page, "level": level, "directorate": directorate}),
        ("/apprentices/export.csv", {"provider": directorate, "standard": level}),
        ("/care-leavers/", {"as_of": as_of}),
        ("/levy/", {"as_of": month}),
        ("/levy/ledger", {"from": month, "to": month}),
        ("/audit", {"from": as_of, "to": as_of, "object_id": page}),
        ("/quotas", {"year": page}),
        ("/transfers/reports", {"year": page}),
    ):
        response = client.get(url, query_string=params)
        assert response.status_code < 500, (url, params)
        assert "/login" not in response.headers.get("Location", ""), url


def test_query_parameters(client: Any, login_as: Any, db: Any) -> None:
    login_as("admin")
    _query_run(client)


def test_ids_in_urls(client: Any, login_as: Any, db: Any) -> None:
    login_as("admin")

    @SETTINGS
    @given(st.one_of(st.integers(min_value=0, max_value=10**40), st.sampled_from([2**31, 2**63])))
    def run(number: int) -> None:
        for url in (
            f"/apprentices/{number}",
            f"/admin/users/{number}",
            f"/transfers/applications/{number}",
            f"/care-leavers/placements/{number}",
        ):
            assert client.get(url).status_code < 500, url

    run()
