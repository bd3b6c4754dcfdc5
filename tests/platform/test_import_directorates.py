"""The directorates workbook: all or nothing, every error named by sheet, row and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from levy.extensions import db as _db
from levy.models import AuditEvent, Directorate, DirectorateYear, Organisation
from tests.factories import directorates_book

HEADER = ["Organisation", "Directorate", "Financial year", "Headcount", "Pay bill"]
GOOD = [
    ["Worcestershire County Council", "People", "2020-21", 1050, 31500000],
    ["Worcestershire County Council", "Schools", "2020-21", 5400, "118,000,000.00"],
    ["Worcestershire Children First", "Social Care", "2020-21", 780, 30600000.5],
]


def count(model: Any) -> int:
    return _db.session.execute(_db.select(_db.func.count()).select_from(model)).scalar_one()


def test_import_creates_organisations_directorates_and_figures(runner: Any, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["levy", "import", "directorates", str(directorates_book(tmp_path / "d.xlsx", GOOD))]
    )
    assert result.exit_code == 0, result.output
    assert "3 rows: 3 new, 0 changed, 0 unchanged" in result.output
    council = _db.session.execute(
        _db.select(Organisation).filter_by(name="Worcestershire County Council")
    ).scalar_one()
    assert council.kind == "council"
    schools = _db.session.execute(_db.select(Directorate).filter_by(name="Schools")).scalar_one()
    assert schools.is_schools
    assert schools.years[0].pay_bill == Decimal("118000000.00")
    care = _db.session.execute(_db.select(Directorate).filter_by(name="Social Care")).scalar_one()
    assert care.organisation.kind == "company"
    assert care.years[0].pay_bill == Decimal("30600000.50")
    assert care.years[0].year_label == "2020-21"


def test_importing_the_same_file_twice_changes_nothing(runner: Any, tmp_path: Path) -> None:
    path = str(directorates_book(tmp_path / "d.xlsx", GOOD))
    runner.invoke(args=["levy", "import", "directorates", path])
    events = count(AuditEvent)
    result = runner.invoke(args=["levy", "import", "directorates", path])
    assert result.exit_code == 0
    assert "0 new, 0 changed, 3 unchanged" in result.output
    assert count(AuditEvent) == events
    assert count(DirectorateYear) == 3


def test_a_changed_figure_is_updated_and_audited(runner: Any, tmp_path: Path) -> None:
    runner.invoke(
        args=["levy", "import", "directorates", str(directorates_book(tmp_path / "a.xlsx", GOOD))]
    )
    changed = [list(r) for r in GOOD]
    changed[0][3] = 1060
    result = runner.invoke(
        args=[
            "levy",
            "import",
            "directorates",
            str(directorates_book(tmp_path / "b.xlsx", changed)),
        ]
    )
    assert "1 changed" in result.output
    event = _db.session.execute(
        _db.select(AuditEvent).filter_by(action="directorate_year.updated")
    ).scalar_one()
    assert event.before == {"headcount": 1050}
    assert event.after == {"headcount": 1060}
    assert event.actor_label.startswith("cli:")


@pytest.mark.parametrize(
    ("rows", "header", "sheet", "expected"),
    [
        (
            GOOD,
            ["Organisation", "Directorate", "Year", "Headcount", "Pay bill"],
            "Directorates",
            "Directorates, row 1, -: the header row must be exactly: Organisation | Directorate | "
            "Financial year | Headcount | Pay bill",
        ),
        (
            GOOD,
            HEADER,
            "Sheet1",
            "Directorates, -, -: the workbook has no sheet called 'Directorates'",
        ),
        (
            [["Worcestershire County Council", "People", "2020-21", "lots", 100]],
            HEADER,
            "Directorates",
            "Directorates, row 2, Headcount: 'lots' is not a whole number",
        ),
        (
            [["Worcestershire County Council", "People", "2020-21", 10, "£12.345"]],
            HEADER,
            "Directorates",
            "Directorates, row 2, Pay bill: '£12.345' has more than 2 decimal places",
        ),
        (
            [["Worcestershire County Council", "People", "2020/21", 10, 100]],
            HEADER,
            "Directorates",
            "Directorates, row 2, Financial year: '2020/21' is not a financial year",
        ),
        (
            [GOOD[0], GOOD[1], GOOD[0]],
            HEADER,
            "Directorates",
            "Directorates, row 4, Directorate: People in Worcestershire County Council "
            "for that year is already on row 2",
        ),
        (
            [["", "People", "2020-21", 10, 100]],
            HEADER,
            "Directorates",
            "Directorates, row 2, Organisation: is blank: fill it in",
        ),
        ([], HEADER, "Directorates", "Directorates, -, -: has no data rows"),
    ],
)
def test_broken_workbooks_exit_1_name_the_cell_and_write_nothing(
    runner: Any,
    tmp_path: Path,
    rows: list[list[Any]],
    header: list[str],
    sheet: str,
    expected: str,
) -> None:
    path = directorates_book(tmp_path / "bad.xlsx", rows, header, sheet)
    result = runner.invoke(args=["levy", "import", "directorates", str(path)])
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Nothing was imported" in result.stderr
    assert count(Organisation) == 0
    assert count(DirectorateYear) == 0


def test_an_error_in_the_last_row_leaves_earlier_rows_unwritten(
    runner: Any, tmp_path: Path
) -> None:
    rows = [*GOOD, ["Worcestershire County Council", "Public Health", "2020-21", -5, 10]]
    result = runner.invoke(
        args=["levy", "import", "directorates", str(directorates_book(tmp_path / "bad.xlsx", rows))]
    )
    assert result.exit_code == 1
    assert "Directorates, row 5, Headcount: -5 is less than 0" in result.stderr
    assert count(Directorate) == 0


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.xlsx"),
        (b"Organisation,Directorate\nA,B\n", "really-a.csv.xlsx"),
        (b"PK\x03\x04 broken zip", "broken.xlsx"),
    ],
)
def test_not_a_workbook(runner: Any, tmp_path: Path, content: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["levy", "import", "directorates", str(path)])
    assert result.exit_code == 1
    assert "File, -, -: this is not an Excel workbook (.xlsx)" in result.stderr


def test_missing_file(runner: Any, tmp_path: Path) -> None:
    result = runner.invoke(args=["levy", "import", "directorates", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_blank_template_has_the_exact_header() -> None:
    from openpyxl import load_workbook

    book = load_workbook(
        Path(__file__).resolve().parents[2] / "imports/templates/directorates.xlsx"
    )
    assert [c.value for c in book["Directorates"][1]] == HEADER


def test_age_profile_rows_are_checked_against_the_directorates_sheet(
    runner: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    path = directorates_book(tmp_path / "ages.xlsx", [[*GOOD[0][:3], "many", 100], GOOD[1]])
    book = load_workbook(path)
    ages = book.create_sheet("Age profile")
    ages.append(["Organisation", "Directorate", "Financial year", "Aged under 30",
                 "Aged 50 and over", "Aged 55 and over"])  # fmt: skip
    ages.append(["Worcestershire County Council", "People", "2020-21", 74, 546, 430])
    ages.append(["Worcestershire County Council", "Public Health", "2020-21", 4, 36, 27])
    book.save(path)
    result = runner.invoke(args=["levy", "import", "directorates", str(path)])
    assert result.exit_code == 1
    # the People row's own error is reported once, not again from the age sheet
    assert "Directorates, row 2, Headcount: 'many' is not a whole number" in result.stderr
    assert "Age profile, row 2" not in result.stderr
    assert (
        "Age profile, row 3, Directorate: Public Health in Worcestershire County Council "
        "for 2020-21 is not on the Directorates sheet"
    ) in result.stderr
