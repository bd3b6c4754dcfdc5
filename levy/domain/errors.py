"""Named exceptions the web layer turns into messages, never into a 500."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class DomainError(ValueError):
    """A rule said no; ``str(error)`` is a sentence fit to show to the user.

    ``field`` names the form field the sentence belongs to, when there is one;
    ``problems`` is every (field, message) pair, so one submit reports them all.
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        return [(self.field, str(self))]


class Problems(DomainError):
    """Several things wrong at once, as (field, message) pairs."""

    def __init__(self, problems: Sequence[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self._problems = list(problems)

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        return list(self._problems)


class TransitionNotAllowed(DomainError):
    """A workflow move that the transition table does not allow."""


# --- imports: every problem in a file, each naming its sheet, row and column ---------


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: ``sheet, row N, column: message``."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = f"row {self.row}" if self.row else "-"
        return f"{self.sheet}, {row}, {self.column or '-'}: {self.message}"


class ImportFailed(Exception):
    """Nothing was imported: ``errors`` lists every problem (raised by importers, and by
    services that check rows against what is stored)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the workbook")
        self.errors = list(errors)
