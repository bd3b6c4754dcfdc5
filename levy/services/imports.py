"""What an import did, for the command's one-line summary and the preview page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.rows} rows: {self.created} new, {self.changed} changed, "
            f"{self.unchanged} unchanged"
        )
