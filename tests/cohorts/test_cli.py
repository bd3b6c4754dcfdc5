"""`flask levy cohorts`, `quotas` and `export apprentices`: the command-line contract."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from levy.importers.cohorts import APPRENTICES_HEADER, STANDARDS_HEADER
from tests.factories import COUNCIL, apprentices_book, person, sheet_book

DIRECTORATES = ["Organisation", "Directorate", "Financial year", "Headcount", "Pay bill"]


def load_everything(runner: Any, tmp_path: Path) -> None:
    """An empty database, then directorates, standards, providers and apprentices imported."""
    steps = [
        (
            "directorates",
            sheet_book(
                tmp_path / "d.xlsx",
                "Directorates",
                tuple(DIRECTORATES),
                [
                    [COUNCIL, "People", "2020-21", 1000, 30000000],
                    [COUNCIL, "Schools", "2020-21", 500, 20000000],
                ],
            ),
        ),
        (
            "standards",
            sheet_book(
                tmp_path / "s.xlsx",
                "Standards",
                STANDARDS_HEADER,
                [
                    ["ST0070", "Business administrator", 3, "Business", 18, 5000, date(2018, 8, 1)],
                    ["ST0480", "Senior leader", 7, "Business", 24, 14000, date(2018, 8, 1)],
                ],
            ),
        ),
        (
            "providers",
            sheet_book(
                tmp_path / "p.xlsx",
                "Providers",
                ("Name", "UKPRN", "In county", "Employer-provider"),
                [["Heart of Worcestershire College", "10099902", "yes", "no"]],
            ),
        ),
        (
            "apprentices",
            apprentices_book(
                tmp_path / "a.xlsx",
                [
                    # on programme on 31 Mar 2021, 21 at start (19-24), People, level 3
                    person(
                        "A1", **{"Start date": date(2020, 9, 1), "Date of birth": date(1999, 6, 30)}
                    ),
                    # on a break on the census date, Schools, 50 at start
                    person(
                        "A2",
                        Directorate="Schools",
                        Status="break",
                        **{"Start date": date(2019, 9, 2), "Date of birth": date(1969, 1, 1)},
                    ),
                    # completed on the census date: not on programme
                    person(
                        "A3",
                        Status="completed",
                        **{"Status date": date(2021, 3, 31), "Start date": date(2019, 9, 2)},
                    ),
                    # withdrew the day after: still on programme on the date; level 7, 17 at start
                    person(
                        "A4",
                        Standard="ST0480",
                        Status="withdrawn",
                        **{
                            "Status date": date(2021, 4, 1),
                            "Start date": date(2021, 3, 31),
                            "Date of birth": date(2003, 6, 1),
                            "Planned end date": date(2023, 3, 30),
                        },
                    ),
                    # future: planned start 1 April 2021
                    person("A5", Status="future", **{"Start date": date(2021, 4, 1)}),
                ],
                [["A2", date(2021, 3, 1), None]],
            ),
        ),
    ]
    for kind, path in steps:
        result = runner.invoke(args=["levy", "import", kind, str(path)])
        assert result.exit_code == 0, result.output


def test_cohorts_json(runner: Any, tmp_path: Path) -> None:
    load_everything(runner, tmp_path)
    result = runner.invoke(args=["levy", "cohorts", "--as-of", "2021-03-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["on_programme"], data["on_break"], data["future"]) == (3, 1, 1)
    assert data["by_organisation"] == {COUNCIL: 3}
    assert data["by_directorate"] == {"People": 2, "Schools": 1}
    assert data["by_level"] == {"2": 0, "3": 2, "4": 0, "5": 0, "6": 0, "7": 1}
    assert data["by_age_band"] == {"16-18": 1, "19-24": 1, "25-49": 0, "50+": 1}
    # a day later A4 has withdrawn and A5 has not started (no actual start recorded)
    later = json.loads(
        runner.invoke(args=["levy", "cohorts", "--as-of", "2021-04-01", "--format", "json"]).output
    )
    assert (later["on_programme"], later["future"]) == (2, 0)


def test_quotas_json(runner: Any, tmp_path: Path) -> None:
    load_everything(runner, tmp_path)
    result = runner.invoke(args=["levy", "quotas", "--year", "2020", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    people = next(d for d in data if d["directorate"] == "People")
    # 2.3% × 1,000 = 23.00; starts dated 1 Apr 2020 - 31 Mar 2021: A1 and A4;
    # on programme at 31 Mar 2021: A1 and A4 (A3 completed that day)
    assert people == {
        **people,
        "organisation": COUNCIL,
        "headcount": 1000,
        "target_starts": "23.00",
        "starts": 2,
        "on_programme": 2,
    }
    schools = next(d for d in data if d["directorate"] == "Schools")
    assert (schools["target_starts"], schools["starts"], schools["on_programme"]) == ("11.50", 0, 1)
    by_pay = json.loads(
        runner.invoke(
            args=["levy", "quotas", "--year", "2020", "--format", "json", "--method", "pay bill"]
        ).output
    )
    # council target 2.3% × 1,500 = 34.5; People has 30m of 50m pay bill: 20.70
    assert next(d for d in by_pay if d["directorate"] == "People")["target_starts"] == "20.70"


def test_export_reimports_unchanged(runner: Any, tmp_path: Path) -> None:
    load_everything(runner, tmp_path)
    out = tmp_path / "export.xlsx"
    result = runner.invoke(
        args=["levy", "export", "apprentices", "--format", "xlsx", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert [c.value for c in book["Apprentices"][1]] == list(APPRENTICES_HEADER)
    assert book["Apprentices"].max_row == 6
    again = runner.invoke(args=["levy", "import", "apprentices", str(out)])
    assert "5 rows: 0 new, 0 changed, 5 unchanged" in again.output, again.output
    csv_out = tmp_path / "export.csv"
    runner.invoke(
        args=["levy", "export", "apprentices", "--format", "csv", "--output", str(csv_out)]
    )
    rows = list(csv.reader(csv_out.open(encoding="utf-8")))
    assert rows[0] == list(APPRENTICES_HEADER)
    assert rows[1][:3] == ["A1", "Amelia", "Smith"]
    assert rows[1][8] == "5000.00"


def test_cohorts_on_an_empty_database(runner: Any) -> None:
    data = json.loads(
        runner.invoke(args=["levy", "cohorts", "--as-of", "2021-03-31", "--format", "json"]).output
    )
    assert data["on_programme"] == 0
    assert data["by_age_band"] == {"16-18": 0, "19-24": 0, "25-49": 0, "50+": 0}
    assert (
        json.loads(
            runner.invoke(args=["levy", "quotas", "--year", "2020", "--format", "json"]).output
        )
        == []
    )
