"""The apprenticeship service's transaction download read learner by learner, for the
reconciliation (issue 15 §2). The file is recognised and its month totals are read by
the ledger importer (:func:`levy.importers.ledger.read_das_download`); this adds the
payment rows with their ULN and the three money columns that make their total."""

from __future__ import annotations

from typing import Any

from levy.domain.errors import ImportFailed, RowError
from levy.domain.insight.reconcile import LearnerPayment, ServiceDownload
from levy.importers.ledger import (
    DAS_TYPES_PAYMENT,
    Source,
    _bytes,
    _das_date,
    _number,
    _table,
    read_das_download,
)


def _uln(value: Any) -> str | None:
    text = str(value if value is not None else "").strip().lstrip("'")
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell read as float
        text = text[:-2]
    return text or None


def read_service_download(source: Source, filename: str = "download.csv") -> ServiceDownload:
    """Both readings of one file; raises ``ImportFailed`` naming row and column."""
    data = _bytes(source)  # a file over the import's size limit is not read at all
    download = read_das_download(data, filename)
    sheet, _, table = _table(data, filename)
    header = [str(c or "").strip().lower() for c in table[0]]
    index = {name: i for i, name in enumerate(header)}
    width = len(table[0])
    learner = index.get("learner", index.get("apprentice"))
    errors: list[RowError] = []
    payments: list[LearnerPayment] = []
    levy_column = "paid from levy" if "paid from levy" in index else "paid from transfer"

    def cell(values: list[Any], name: str) -> Any:
        i = index.get(name)
        return values[i] if i is not None and i < len(values) else None

    for number, values in enumerate(table[1:], start=2):
        if all(v is None or not str(v).strip() for v in values):
            continue
        if len(values) > width and learner is not None:  # commas in the learner's name
            extra = len(values) - width
            name = ",".join(str(v) for v in values[learner : learner + extra + 1])
            values = [*values[:learner], name, *values[learner + extra + 1 :]]
        kind = str(cell(values, "transaction type") or "").strip()
        if kind.lower() not in DAS_TYPES_PAYMENT:
            continue
        try:
            day = _das_date(cell(values, "transaction date"))
            amounts = [
                _number(cell(values, column))
                for column in (levy_column, "your contribution", "government contribution")
            ]
        except ValueError as exc:  # the ledger reader has already refused these
            errors.append(RowError(sheet, number, None, str(exc)))
            continue
        payments.append(
            LearnerPayment(
                number,
                _uln(cell(values, "unique learner number")),
                day,
                kind,
                amounts[0],
                amounts[1],
                amounts[2],
            )
        )
    if errors:
        raise ImportFailed(errors)
    return ServiceDownload(download, payments)
