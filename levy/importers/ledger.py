"""Levy account imports: the transactions template, the apprenticeship service's own
download (v1/v2, CSV or xlsx), and pay bill by organisation per month.

All or nothing: every problem is collected as ``sheet, row, column: message`` and
nothing is returned unless there are none (issue 4 rules 5-7; DAS_DOWNLOAD.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from levy.domain.errors import ImportFailed, RowError
from levy.domain.import_rows import (
    DasDownload,
    PayBillRow,
    TransactionRow,
)
from levy.domain.money import ZERO, round_pence
from levy.domain.months import format_month, month_of
from levy.importers.workbook import (
    FILE,
    check_declared_rows,
    import_limits,
    limited_rows,
    open_workbook,
    read_sheet,
    size_text,
    template_workbook,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook as WorkbookType

Source = str | Path | bytes | IO[bytes]
"""A file to read: its path, its bytes or an open binary file."""

# --- the levy_transactions.xlsx template (rule 5) -------------------------------------
SHEET = "Transactions"
HEADER = ("Month", "Type", "Amount", "Reference")
TYPES = ("levy", "top-up", "payment", "transfer", "adjustment")
INSTRUCTIONS = (
    ("Month", "The calendar month the money entered or left the account: a date or 2021-03."),
    ("Type", "levy, top-up, payment, transfer or adjustment."),
    (
        "Amount",
        "Pounds, at most 2 decimal places. Positive, except adjustment: signed "
        "(positive adds funds, negative is a downward levy correction).",
    ),
    ("Reference", "Optional: what the money was (provider, payroll month, pledge...)."),
)


def _key(prefix: str, parts: tuple[Any, ...], seen: dict[str, int]) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:20]
    count = seen.get(digest, 0)
    seen[digest] = count + 1
    return f"{prefix}:{digest}#{count}"


_TYPES = frozenset(TYPES)
_PENNY_PLACES = 2


def _fast_month(value: Any) -> date | None:
    """The common cases without the general parser: ``2021-03`` text or a date cell."""
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        year, month = value[:4], value[5:]
        if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
            return date(int(year), int(month), 1)
    return None


def _fast_amount(value: Any, kind: str) -> Decimal | None:
    """A number cell with at most 2 decimal places, of the right sign; else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or -exponent > _PENNY_PLACES:
        return None
    if amount == 0 or (amount < 0 and kind != "adjustment"):
        return None
    return amount.quantize(Decimal("0.01"))


def read_transactions(
    source: Source | WorkbookType, progress: Callable[[int], None] | None = None
) -> list[TransactionRow]:
    """Every row of the ``Transactions`` sheet, checked; raises ``ImportFailed``.

    Well-formed rows take a fast path; any row it does not accept goes through the
    general cell readers, which name the problem.
    """
    book = open_workbook(source)
    errors: list[RowError] = []
    rows: list[TransactionRow] = []
    seen: dict[str, int] = {}
    for row in read_sheet(book, SHEET, HEADER, errors=errors):
        values = row.values
        raw_kind = values.get("Type")
        kind = raw_kind.strip().lower() if isinstance(raw_kind, str) else None
        month = _fast_month(values.get("Month"))
        amount = _fast_amount(values.get("Amount"), kind) if kind in _TYPES else None
        reference = values.get("Reference")
        if month is None or amount is None or kind not in _TYPES or row.errors:
            month = row.month("Month")
            kind = row.choice("Type", TYPES)
            amount = row.money("Amount", allow_negative=kind == "adjustment", allow_zero=False)
            reference = row.text("Reference", required=False) or ""
        elif reference is None:
            reference = ""
        else:
            reference = row.text("Reference", required=False) or ""
        errors.extend(row.errors)
        if progress is not None and row.number % 1000 == 0:
            progress(row.number)
        if row.errors or month is None or kind is None or amount is None:
            continue
        key = _key("xlsx", (format_month(month), kind, amount, reference), seen)
        rows.append(TransactionRow(row.number, month, kind, amount, reference, key))
    book.close()
    if not rows and not errors:
        errors.append(RowError(SHEET, None, None, "has no data rows: nothing to import"))
    if errors:
        raise ImportFailed(errors)
    return rows


def template() -> Any:
    return template_workbook({SHEET: HEADER}, INSTRUCTIONS)


# --- pay bill by organisation per month (rule 7) --------------------------------------
PAY_BILL_SHEET = "Pay bill"
PAY_BILL_HEADER = ("Organisation", "Payroll month", "Pay bill")
PAY_BILL_INSTRUCTIONS = (
    ("Organisation", "The employer, exactly as named in the app (the council or its company)."),
    ("Payroll month", "The payroll month as 2021-04 (April is tax month 1)."),
    ("Pay bill", "Earnings liable to Class 1 secondary NICs that month, in pounds."),
)


def read_pay_bill(source: Source) -> list[PayBillRow]:
    book = open_workbook(source)
    errors: list[RowError] = []
    rows: list[PayBillRow] = []
    seen: dict[tuple[str, date], int] = {}
    for row in read_sheet(book, PAY_BILL_SHEET, PAY_BILL_HEADER, errors=errors):
        org = row.text("Organisation")
        month = row.month("Payroll month")
        amount = row.money("Pay bill")
        errors.extend(row.errors)
        if row.errors or org is None or month is None or amount is None:
            continue
        key = (org.lower(), month)
        if key in seen:
            errors.append(
                RowError(
                    PAY_BILL_SHEET,
                    row.number,
                    "Payroll month",
                    f"{org} {format_month(month)} is already on row {seen[key]}",
                )
            )
            continue
        seen[key] = row.number
        rows.append(PayBillRow(row.number, org, month, amount))
    book.close()
    if not rows and not errors:
        errors.append(RowError(PAY_BILL_SHEET, None, None, "has no data rows: nothing to import"))
    if errors:
        raise ImportFailed(errors)
    return rows


def pay_bill_template() -> Any:
    return template_workbook({PAY_BILL_SHEET: PAY_BILL_HEADER}, PAY_BILL_INSTRUCTIONS)


# --- the apprenticeship service's transaction download (rule 6) -----------------------
DAS_TYPES_PAYMENT = (
    "monthly payment",
    "completion payment",
    "balance payment",
    "milestone payment",
)

_LAYOUTS: dict[str, tuple[str, ...]] = {
    "v2 levy account": (
        "transaction date",
        "transaction type",
        "description",
        "paye scheme",
        "payroll month",
        "levy declared",
        "english %",
        "10% top up",
        "cohort reference",
        "training provider",
        "unique learner number",
        "learner",
        "course name",
        "course level",
        "course type",
        "paid from levy",
        "paid from transfer",
        "your contribution",
        "government contribution",
        "total",
    ),
    "v2 non-levy account": (
        "transaction date",
        "transaction type",
        "description",
        "cohort reference",
        "training provider",
        "unique learner number",
        "learner",
        "course name",
        "course level",
        "course type",
        "paid from levy",
        "paid from transfer",
        "your contribution",
        "government contribution",
        "total",
    ),
    "v1 levy account": (
        "transaction date",
        "transaction type",
        "description",
        "paye scheme",
        "payroll month",
        "levy declared",
        "english %",
        "10% top up",
        "training provider",
        "unique learner number",
        "apprentice",
        "apprenticeship training course",
        "course level",
        "paid from levy",
        "your contribution",
        "government contribution",
        "total",
    ),
    "v1 non-levy account": (
        "transaction date",
        "transaction type",
        "description",
        "training provider",
        "unique learner number",
        "apprentice",
        "apprenticeship training course",
        "course level",
        "paid from transfer",
        "your contribution",
        "government contribution",
        "total",
    ),
}
# columns older v1 files lack (Description before Dec 2019, Course level before Nov 2018)
_OPTIONAL = {"description", "course level"}
_NEEDED = ("transaction date", "transaction type", "total")


def recognise(header: list[str]) -> str | None:
    """The layout whose columns the header holds (by name, any order, any case)."""
    names = {h.strip().lower() for h in header if h and h.strip()}
    for layout, columns in _LAYOUTS.items():
        if set(columns) - _OPTIONAL <= names <= set(columns):
            return layout
    return None


def _number(text: Any) -> Decimal:
    value = str(text if text is not None else "").strip().lstrip("'")
    if value == "":
        return ZERO
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"'{value}' is not a number") from exc
    if not number.is_finite():
        raise ValueError(f"'{value}' is not a number")
    return number


def _das_date(text: Any) -> date:
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    value = str(text or "").strip().lstrip("'")
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a date written dd/mm/yyyy") from exc


def _sheet_of(book: WorkbookType) -> str:
    """The sheet a levy file's rows are on: ``Transactions`` if there is one, else the first."""
    return "Transactions" if "Transactions" in book.sheetnames else book.sheetnames[0]


def _table(source: Source | WorkbookType, filename: str) -> tuple[str, str, list[list[Any]]]:
    """(sheet label, file type, rows including the header)."""
    from openpyxl.workbook.workbook import Workbook

    if isinstance(source, Workbook):  # opened by ``read_levy_file``
        sheet = _sheet_of(source)
        check_declared_rows(source[sheet], sheet)
        cells = limited_rows(source[sheet].iter_rows(values_only=True), sheet)
        return sheet, "xlsx", [list(r) for r in cells]
    data = _bytes(source)
    if data[:2] == b"PK":
        with closing(open_workbook(data)) as book:
            return _table(book, filename)
    limit = import_limits().unzipped_bytes
    if len(data) > limit:  # as a workbook's unzipped parts
        raise ImportFailed(
            [
                RowError(
                    filename,
                    None,
                    None,
                    f"the file is {size_text(len(data))}, more than the {size_text(limit)} "
                    "an import takes: split it into smaller files",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [RowError(filename, None, None, "this is not a CSV file in UTF-8 or an xlsx workbook")]
        ) from exc
    try:
        rows = [list(r) for r in limited_rows(csv.reader(io.StringIO(text)), filename)]
    except csv.Error as exc:  # a field longer than the csv module takes, a NUL byte
        raise ImportFailed(
            [RowError(filename, None, None, f"this is not a CSV file that can be read: {exc}")]
        ) from exc
    return filename, "CSV", rows


def _bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        try:
            size = Path(source).stat().st_size
            limit = import_limits().unzipped_bytes
            if size > limit:  # larger than it may unzip to: not read at all
                raise ImportFailed(
                    [
                        RowError(
                            FILE,
                            None,
                            None,
                            f"the file is {size_text(size)}, more than the "
                            f"{size_text(limit)} an import takes: split it into smaller files",
                        )
                    ]
                )
            return Path(source).read_bytes()
        except OSError as exc:  # as ``open_workbook`` says it
            problem = "no such file" if isinstance(exc, FileNotFoundError) else "cannot read"
            raise ImportFailed([RowError(FILE, None, None, f"{problem}: {source}")]) from exc
    return source.read()


def _first_row(book: WorkbookType) -> list[str]:
    """The header row of the sheet ``_table`` would read."""
    first = next(book[_sheet_of(book)].iter_rows(max_row=1, values_only=True), ())
    return [str(c or "") for c in first]


def _is_das(header: list[str]) -> bool:
    return bool(header) and recognise(header) is not None


def _csv_header(data: bytes) -> list[str]:
    """A CSV's first line (the rest of the file is not decoded)."""
    text = data[:65536].decode("utf-8-sig", errors="replace")
    return next(csv.reader(io.StringIO(text)), [])


def looks_like_das(source: Source, filename: str = "download.csv") -> bool:
    """The service's download, by its header row (the rest of the file is not read)."""
    data = _bytes(source)
    if data[:2] != b"PK":
        return _is_das(_csv_header(data))
    try:
        book = open_workbook(data)
    except ImportFailed:
        return False
    with closing(book):
        return _is_das(_first_row(book))


def read_levy_file(source: Source, filename: str) -> DasDownload | list[TransactionRow]:
    """The levy transactions file an officer gives us: the service's own download (CSV or
    xlsx, recognised by its header row) or the ``levy_transactions`` template.

    A workbook is opened once for both the header and the rows: opening one whose file
    carries no size record (as openpyxl's write-only mode writes them) parses the whole
    sheet, so a second opening cost as much again (issue 13)."""
    data = _bytes(source)
    if data[:2] != b"PK":  # a CSV download; anything else is named as not a workbook
        return (
            read_das_download(data, filename)
            if _is_das(_csv_header(data))
            else read_transactions(data)
        )
    with closing(open_workbook(data)) as book:
        if _is_das(_first_row(book)):
            return read_das_download(book, filename)
        return read_transactions(book)


def read_das_download(source: Source | WorkbookType, filename: str = "download.csv") -> DasDownload:
    """Recognise and map the service's download (DAS_DOWNLOAD.md).

    Rows are grouped into calendar months by Transaction date and summed per
    month and type before rounding to pence. Levy rows split into levy and top-up
    using the 10% top up column; payments take only Paid from levy (the
    co-investment contributions never touch the pot); a transfer with a negative
    Total is a transfer out; ``Expired Levy…`` rows are the service's recorded
    expiry. A received transfer (positive Total) is counted as ignored.
    """
    sheet, file_type, table = _table(source, filename)
    if not table:
        raise ImportFailed([RowError(sheet, None, None, "the file is empty")])
    header = [str(c or "").strip().lower() for c in table[0]]
    while header and not header[-1]:
        header.pop()
    layout = recognise(header)
    if layout is None:
        raise ImportFailed(
            [
                RowError(
                    sheet,
                    1,
                    None,
                    "this is not a transactions download from the apprenticeship service nor the "
                    f"levy_transactions template (its header is: {' | '.join(header) or 'empty'})",
                )
            ]
        )
    index = {name: i for i, name in enumerate(header)}
    errors: list[RowError] = []
    sums: dict[tuple[date, str], Decimal] = {}
    expiries: dict[date, Decimal] = {}
    ignored: dict[str, int] = {}
    count = 0

    def cell(values: list[Any], name: str) -> Any:
        i = index.get(name)
        return values[i] if i is not None and i < len(values) else None

    def add(month: date, kind: str, amount: Decimal) -> None:
        sums[(month, kind)] = sums.get((month, kind), ZERO) + amount

    width = len(table[0])  # with the empty column after the trailing comma
    learner = index.get("learner", index.get("apprentice"))
    for number, values in enumerate(table[1:], start=2):
        if all(v is None or not str(v).strip() for v in values):
            continue
        if len(values) > width and learner is not None:
            # the service does not strip commas from the learner's name nor quote it
            extra = len(values) - width
            name = ",".join(str(v) for v in values[learner : learner + extra + 1])
            values = [*values[:learner], name, *values[learner + extra + 1 :]]
        count += 1
        problems = len(errors)

        def err(column: str, message: str, number: int = number) -> None:
            errors.append(RowError(sheet, number, column, message))

        try:
            day = _das_date(cell(values, "transaction date"))
        except ValueError as exc:
            err("Transaction date", str(exc))
            continue
        kind = str(cell(values, "transaction type") or "").strip()
        amounts: dict[str, Decimal] = {}
        for name in ("total", "paid from levy", "paid from transfer", "10% top up"):
            if name in index:
                try:
                    amounts[name] = _number(cell(values, name))
                except ValueError as exc:
                    err(name.capitalize() if name != "10% top up" else "10% top up", str(exc))
        if len(errors) > problems:
            continue
        month = month_of(day)
        total = amounts["total"]
        lower = kind.lower()
        if lower == "levy":
            top_up = amounts.get("10% top up", ZERO)
            add(month, "levy", total - top_up)
            add(month, "top-up", top_up)
        elif lower == "levy adjustment":
            add(month, "adjustment", total)
        elif lower in DAS_TYPES_PAYMENT:
            paid = amounts.get("paid from levy", amounts.get("paid from transfer", ZERO))
            add(month, "payment", -paid)
        elif lower.startswith("expired levy"):
            expiries[month] = expiries.get(month, ZERO) - total
        elif lower == "transfer":
            if total < 0:
                add(month, "transfer", -total)
            else:
                ignored["received transfer"] = ignored.get("received transfer", 0) + 1
        else:
            err("Transaction type", f"'{kind}' is not a transaction type this app knows")
    if errors:
        raise ImportFailed(errors)
    transactions = []
    for (month, kind), amount in sorted(sums.items()):
        amount = round_pence(amount)
        if amount == 0:
            continue
        key = f"das:{format_month(month)}:{kind}"
        transactions.append(
            TransactionRow(
                0, month, kind, amount, f"Apprenticeship service download ({layout})", key
            )
        )
    return DasDownload(
        layout,
        file_type,
        count,
        transactions,
        {m: round_pence(v) for m, v in sorted(expiries.items())},
        ignored,
    )
