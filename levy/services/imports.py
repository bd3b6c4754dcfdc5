"""What an import did, for the command's one-line summary and the preview page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportLine:
    """One new or changed record, for the preview: ``changes`` is (column, old, new)."""

    reference: str
    name: str
    kind: str  # "new" or "changed"
    changes: tuple[tuple[str, str, str], ...] = ()


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    lines: list[ImportLine] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        """One more row ``created``, ``changed`` or ``unchanged`` (``upsert_audited``'s answer)."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def new_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.kind == "new"]

    @property
    def changed_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.kind == "changed"]

    def __str__(self) -> str:
        return (
            f"{self.rows} rows: {self.created} new, {self.changed} changed, "
            f"{self.unchanged} unchanged"
        )
