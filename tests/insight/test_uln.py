"""Part 2: the apprentice's optional ULN in the apprentices workbook, export and form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from levy.domain.accounts import Actor
from levy.domain.errors import ImportFailed
from levy.extensions import db as _db
from levy.importers.cohorts import APPRENTICES_REQUIRED_HEADER, read_apprentices
from levy.models import Apprentice
from levy.services.cohorts import export_rows, import_apprentices
from tests.factories import apprentices_book, person, setup_reference

ACTOR = Actor("test")


def _uln(reference: str) -> str | None:
    return _db.session.execute(
        _db.select(Apprentice.uln).where(Apprentice.reference == reference)
    ).scalar_one()


def test_the_uln_column_is_read_written_and_exported(db: Any, tmp_path: Path) -> None:
    setup_reference()
    path = apprentices_book(
        tmp_path / "a.xlsx", [person("A1", ULN="1234567890"), person("A2", ULN=None)]
    )
    import_apprentices(read_apprentices(path), ACTOR)
    assert (_uln("A1"), _uln("A2")) == ("1234567890", None)
    people, _ = export_rows()
    assert [row[-1] for row in people] == ["1234567890", None]


def test_a_file_without_the_column_imports_as_before_and_keeps_ulns(
    db: Any, tmp_path: Path
) -> None:
    setup_reference()
    import_apprentices(
        read_apprentices(apprentices_book(tmp_path / "a.xlsx", [person("A1", ULN="1234567890")])),
        ACTOR,
    )
    old = apprentices_book(
        tmp_path / "old.xlsx",
        [person("A1")[:-1], person("A2")[:-1]],
        header=APPRENTICES_REQUIRED_HEADER,
    )
    rows = read_apprentices(old)
    assert [r.uln_given for r in rows] == [False, False]
    summary = import_apprentices(rows, ACTOR)
    assert (summary.created, summary.unchanged) == (1, 1)
    assert _uln("A1") == "1234567890"


@pytest.mark.parametrize("bad", ["123456789", "12345678901", "12345abcde"])
def test_a_uln_that_is_not_ten_digits_is_named(db: Any, tmp_path: Path, bad: str) -> None:
    setup_reference()
    with pytest.raises(ImportFailed) as err:
        read_apprentices(apprentices_book(tmp_path / "a.xlsx", [person("A1", ULN=bad)]))
    assert "Apprentices, row 2, ULN" in str(err.value.errors[0])
    assert "10 digits" in str(err.value.errors[0])


def test_a_uln_twice_in_a_file_or_on_another_record_is_refused(db: Any, tmp_path: Path) -> None:
    setup_reference()
    with pytest.raises(ImportFailed) as err:
        read_apprentices(
            apprentices_book(
                tmp_path / "a.xlsx",
                [person("A1", ULN="1234567890"), person("A2", ULN="1234567890")],
            )
        )
    assert "row 3, ULN: ULN 1234567890 is already on row 2" in str(err.value.errors[0])
    import_apprentices(
        read_apprentices(apprentices_book(tmp_path / "b.xlsx", [person("A1", ULN="1234567890")])),
        ACTOR,
    )
    with pytest.raises(ImportFailed) as err:
        import_apprentices(
            read_apprentices(
                apprentices_book(tmp_path / "c.xlsx", [person("A9", ULN="1234567890")])
            ),
            ACTOR,
        )
    assert "ULN 1234567890 is already on the record of A1" in str(err.value.errors[0])
