"""Named exceptions the web layer turns into messages, never into a 500."""

from __future__ import annotations


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

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self._problems = list(problems)

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        return list(self._problems)


class TransitionNotAllowed(DomainError):
    """A workflow move that the transition table does not allow."""
