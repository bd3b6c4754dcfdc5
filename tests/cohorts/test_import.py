"""Standards, providers and apprentices imports: all or nothing, idempotent, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from levy.domain.errors import ImportFailed
from levy.extensions import db as _db
from levy.importers.cohorts import (
    PROVIDERS_HEADER,
    STANDARDS_HEADER,
    read_apprentices,
)
from levy.models import Apprentice, AuditEvent, Provider, Standard
from tests.factories import apprentices_book, person, setup_reference, sheet_book


def count(model: Any) -> int:
    return _db.session.execute(_db.select(_db.func.count()).select_from(model)).scalar_one()


def run(runner: Any, kind: str, path: Path) -> Any:
    return runner.invoke(args=["levy", "import", kind, str(path)])


def test_standards_import_with_band_history_is_idempotent(runner: Any, tmp_path: Path) -> None:
    rows = [
        ["ST0070", "Business administrator", 3, "Business", 18, 5000, date(2018, 8, 1)],
        ["st0070", "Business administrator", 3, "Business", 18, 4500, "01/08/2020"],
        ["ST0480", "Senior leader", 7, "Business", 24, "14,000", date(2018, 8, 1)],
    ]
    path = sheet_book(tmp_path / "s.xlsx", "Standards", STANDARDS_HEADER, rows)
    result = run(runner, "standards", path)
    assert result.exit_code == 0, result.output
    assert "3 rows: 2 new, 0 changed, 0 unchanged" in result.output
    st = _db.session.execute(_db.select(Standard).filter_by(reference="ST0070")).scalar_one()
    assert st.band_on(date(2020, 7, 31)) == Decimal(5000)
    assert st.band_on(date(2020, 8, 1)) == Decimal(4500)
    events = count(AuditEvent)
    again = run(runner, "standards", path)
    assert "0 new, 0 changed, 3 unchanged" in again.output
    assert count(AuditEvent) == events
    rows[2][5] = 15000  # a changed band is updated and audited
    run(runner, "standards", sheet_book(tmp_path / "s2.xlsx", "Standards", STANDARDS_HEADER, rows))
    event = _db.session.execute(
        _db.select(AuditEvent).filter_by(action="funding_band.updated")
    ).scalar_one()
    assert event.before == {"maximum": "14000.00"}
    assert event.after == {"maximum": "15000.00"}


def test_standards_off_the_job_minimums_from_the_optional_sheet(
    runner: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    rows = [
        ["ST0070", "Business administrator", 3, "Business", 18, 5000, date(2018, 8, 1)],
        ["ST0480", "Senior leader", 7, "Business", 24, 14000, date(2018, 8, 1)],
    ]
    path = sheet_book(tmp_path / "s.xlsx", "Standards", STANDARDS_HEADER, rows)
    book = load_workbook(path)
    otj = book.create_sheet("Off-the-job")
    otj.append(["Reference", "Off-the-job minimum hours"])
    otj.append(["st0070", 278])
    book.save(path)
    result = run(runner, "standards", path)
    assert result.exit_code == 0, result.output
    admin = _db.session.execute(_db.select(Standard).filter_by(reference="ST0070")).scalar_one()
    leader = _db.session.execute(_db.select(Standard).filter_by(reference="ST0480")).scalar_one()
    assert (admin.otj_minimum_hours, leader.otj_minimum_hours) == (278, None)
    # the Standards sheet alone again: the published minimum is kept, nothing changes
    again = run(runner, "standards", sheet_book(tmp_path / "s2.xlsx", "Standards",
                                                 STANDARDS_HEADER, rows))  # fmt: skip
    assert "0 new, 0 changed, 2 unchanged" in again.output
    assert admin.otj_minimum_hours == 278
    # a reference not on the Standards sheet, and one listed twice, are refused
    otj.append(["ST9999", 100])
    otj.append(["ST0070", 300])
    book.save(path)
    bad = run(runner, "standards", path)
    assert bad.exit_code == 1
    assert "Off-the-job, row 3, Reference: ST9999 is not on the Standards sheet" in bad.output
    assert "Off-the-job, row 4, Reference: ST0070 is listed twice" in bad.output
    assert admin.otj_minimum_hours == 278


def test_standards_errors(runner: Any, tmp_path: Path) -> None:
    rows = [["ST1", "X", 8, "", 0, 0, "soon"]]
    result = run(
        runner, "standards", sheet_book(tmp_path / "s.xlsx", "Standards", STANDARDS_HEADER, rows)
    )
    assert result.exit_code == 1
    for text in (
        "Standards, row 2, Level: 8 is more than 7",
        "Standards, row 2, Duration months: 0 is less than 1",
        "Standards, row 2, Funding band max: is zero",
        "Standards, row 2, Valid from: 'soon' is not a date",
    ):
        assert text in result.output


def test_providers_import(runner: Any, tmp_path: Path) -> None:
    rows = [
        ["Heart of Worcestershire College", "10099902", "yes", "no"],
        ["Worcestershire County Council", "10099901", "yes", "yes"],
    ]
    path = sheet_book(tmp_path / "p.xlsx", "Providers", PROVIDERS_HEADER, rows)
    assert run(runner, "providers", path).exit_code == 0
    council = _db.session.execute(_db.select(Provider).filter_by(ukprn="10099901")).scalar_one()
    assert council.employer_provider
    assert council.route == "employer-provider"
    assert "2 unchanged" in run(runner, "providers", path).output
    bad = [["A", "1234", "maybe", "no"], ["B", "10099902", "no", "no"]]
    result = run(
        runner, "providers", sheet_book(tmp_path / "b.xlsx", "Providers", PROVIDERS_HEADER, bad)
    )
    assert result.exit_code == 1
    assert "Providers, row 2, UKPRN: '1234' is not a UKPRN" in result.output
    assert "Providers, row 2, In county: 'maybe' is not yes or no" in result.output


def test_apprentices_import_creates_reimports_and_audits_changes(
    runner: Any, tmp_path: Path
) -> None:
    setup_reference()
    rows = [
        person("APP-0001"),
        person("APP-0002", Status="future", **{"Start date": date(2021, 6, 1)}),
        person(
            "APP-0003",
            Status="completed",
            **{"Status date": date(2022, 2, 28), "Start date": date(2020, 3, 2)},
        ),
        person("APP-0004", Status="break"),
    ]
    breaks = [["APP-0004", date(2021, 1, 4), None], ["APP-0001", "1/11/2020", "31/12/2020"]]
    path = apprentices_book(tmp_path / "a.xlsx", rows, breaks)
    result = run(runner, "apprentices", path)
    assert result.exit_code == 0, result.output
    assert "4 rows: 4 new, 0 changed, 0 unchanged" in result.output
    future = _db.session.execute(
        _db.select(Apprentice).filter_by(reference="APP-0002")
    ).scalar_one()
    assert future.actual_start is None
    assert future.planned_start == date(2021, 6, 1)
    first = _db.session.execute(_db.select(Apprentice).filter_by(reference="APP-0001")).scalar_one()
    assert [(b.start, b.end) for b in first.breaks] == [(date(2020, 11, 1), date(2020, 12, 31))]

    events = count(AuditEvent)
    assert "0 new, 0 changed, 4 unchanged" in run(runner, "apprentices", path).output
    assert count(AuditEvent) == events

    rows[0] = person("APP-0001", **{"Agreed price": "5,250.00"})
    rows[1] = person("APP-0002", **{"Start date": date(2021, 6, 1)})  # future -> on programme
    result = run(runner, "apprentices", apprentices_book(tmp_path / "b.xlsx", rows, breaks))
    assert "0 new, 2 changed, 2 unchanged" in result.output, result.output
    event = _db.session.execute(
        _db.select(AuditEvent).filter_by(action="apprentice.updated", object_id=str(first.id))
    ).scalar_one()
    assert event.before == {"agreed_price": "5000.00"}
    assert event.after == {"agreed_price": "5250.00"}
    _db.session.refresh(future)
    assert future.status == "on programme"
    assert future.actual_start == date(2021, 6, 1)
    assert [c.to_status for c in future.status_history] == ["future", "on programme"]


def test_a_status_that_cannot_follow_is_refused(runner: Any, tmp_path: Path) -> None:
    setup_reference()
    done = person("APP-0001", Status="completed", **{"Status date": date(2022, 2, 28)})
    run(runner, "apprentices", apprentices_book(tmp_path / "a.xlsx", [done]))
    result = run(runner, "apprentices", apprentices_book(tmp_path / "b.xlsx", [person("APP-0001")]))
    assert result.exit_code == 1
    assert (
        "Apprentices, row 2, Status: APP-0001 is completed: it cannot become on programme"
        in result.output
    )


@pytest.mark.parametrize(
    ("rows", "breaks", "expected"),
    [
        (
            [person(Standard="ST9999")],
            None,
            "Apprentices, row 2, Standard: 'ST9999' is not a standard that is set up",
        ),
        (
            [person(Organisation="Worcester City Council")],
            None,
            "Apprentices, row 2, Organisation: 'Worcester City Council' is not an organisation",
        ),
        (
            [person(Directorate="Highways")],
            None,
            "Apprentices, row 2, Directorate: 'Highways' is not a directorate of Worcestershire",
        ),
        (
            [person(Provider="Nobody Ltd")],
            None,
            "Apprentices, row 2, Provider: 'Nobody Ltd' is not a provider that is set up",
        ),
        (
            [person(**{"Planned end date": date(2020, 8, 31)})],
            None,
            "Apprentices, row 2, Planned end date: 31 Aug 2020 is not after the start date",
        ),
        (
            [person(Status="completed")],
            None,
            "Apprentices, row 2, Status date: is blank: give the date the apprentice completed",
        ),
        ([person(), person()], None, "Apprentices, row 3, Reference: APP-0001 is already on row 2"),
        (
            [person()],
            [
                ["APP-0001", date(2020, 10, 1), date(2020, 12, 1)],
                ["APP-0001", date(2020, 11, 1), date(2021, 1, 1)],
            ],
            "Breaks, row 2, Break start: APP-0001: The breaks starting 01 Oct 2020 and 01 Nov 2020",
        ),
        (
            [person()],
            [["APP-0009", date(2020, 10, 1), None]],
            "Breaks, row 2, Reference: APP-0009 is not on the Apprentices sheet",
        ),
        (
            [person(**{"Start date": "March 31st 2021"})],
            None,
            "Apprentices, row 2, Start date: 'March 31st 2021' is not a date",
        ),
        (
            [person(**{"Date of birth": "2010-01-01"})],
            None,
            "Apprentices, row 2, Date of birth: the apprentice would be 10 at the start",
        ),
        ([person(Status="started")], None, "Apprentices, row 2, Status: 'started' is not one of"),
        ([person(**{"New hire": "y e s"})], None, "Apprentices, row 2, New hire: 'y e s'"),
    ],
)
def test_broken_workbooks_import_nothing(
    runner: Any, tmp_path: Path, rows: list[Any], breaks: Any, expected: str
) -> None:
    setup_reference()
    good = person("APP-0100")
    result = run(
        runner, "apprentices", apprentices_book(tmp_path / "a.xlsx", [*rows, good], breaks)
    )
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert "Nothing was imported" in result.output
    assert count(Apprentice) == 0


@pytest.mark.parametrize(
    "text", ["2020-09-01", "01/09/2020", "1-9-2020", "1 September 2020", "01.09.2020", "1 Sep 2020"]
)
def test_dates_as_text_in_the_usual_formats(tmp_path: Path, text: str, app: Any) -> None:
    path = apprentices_book(tmp_path / "a.xlsx", [person(**{"Start date": text})])
    [row] = read_apprentices(path)
    assert row.start == date(2020, 9, 1)


def test_wrong_header_and_missing_sheet(tmp_path: Path, app: Any) -> None:
    header = ("Ref", *person()[1:])
    path = apprentices_book(tmp_path / "a.xlsx", [person()], header=tuple(str(h) for h in header))
    with pytest.raises(ImportFailed) as err:
        read_apprentices(path)
    assert "the header row must be exactly: Reference | First name" in str(err.value.errors[0])


def test_the_template_has_the_exact_headers_and_instructions(app: Any) -> None:
    from openpyxl import load_workbook

    from levy.importers.cohorts import APPRENTICES_HEADER, BREAKS_HEADER

    path = Path(__file__).resolve().parents[2] / "imports/templates/apprentices.xlsx"
    book = load_workbook(path)
    assert [c.value for c in book["Apprentices"][1]] == list(APPRENTICES_HEADER)
    assert [c.value for c in book["Breaks"][1]] == list(BREAKS_HEADER)
    explained = {row[0].value for row in book["Instructions"].iter_rows(min_row=2)}
    assert set(APPRENTICES_HEADER) <= explained
