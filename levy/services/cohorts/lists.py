"""The apprentices list: its filters, its page of rows (loaded in bulk), its choices and
its export in the import template's columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager

from levy.domain.cohorts import LEVELS, ApprenticeRecord, Status
from levy.domain.commitments import Break
from levy.domain.months import academic_year
from levy.domain.programme_checks import ProgrammeWarning, programme_warnings
from levy.extensions import db
from levy.models import (
    Apprentice,
    ApprenticeBreak,
    Directorate,
    FundingBand,
    Organisation,
    Provider,
    Standard,
)
from levy.services.cohorts.records import plan_for
from levy.services.cohorts.reference_data import provider_choices, standard_choices
from levy.services.organisations import directorates_for
from levy.services.paging import paginate_list, paginate_rows

FILTERS = ("q", "status", "directorate", "standard", "level", "provider", "intake", "warnings")


def funding_bands(
    standard_ids: Iterable[int | None] | None = None,
) -> dict[int, list[tuple[date, Decimal]]]:
    """Funding band maxima by standard, oldest first, read as plain columns: every
    standard's, or only those of ``standard_ids``."""
    bands: dict[int, list[tuple[date, Decimal]]] = {}
    query = db.select(FundingBand.standard_id, FundingBand.valid_from, FundingBand.maximum)
    if standard_ids is not None:
        wanted = sorted({i for i in standard_ids if i is not None})
        if not wanted:
            return bands
        query = query.where(FundingBand.standard_id.in_(wanted))
    for standard_id, valid_from, maximum in db.session.execute(
        query.order_by(FundingBand.valid_from)
    ):
        bands.setdefault(standard_id, []).append((valid_from, maximum))
    return bands


def band_on(bands: Sequence[tuple[date, Decimal]], day: date) -> Decimal | None:
    current = None
    for valid_from, maximum in bands:
        if valid_from <= day:
            current = maximum
    return current


def breaks_by_apprentice(ids: Iterable[int] | None = None) -> dict[int, list[Break]]:
    query = db.select(ApprenticeBreak).order_by(ApprenticeBreak.start)
    if ids is not None:
        query = query.where(ApprenticeBreak.apprentice_id.in_(list(ids)))
    result: dict[int, list[Break]] = {}
    for brk in db.session.execute(query).scalars():
        result.setdefault(brk.apprentice_id, []).append(Break(brk.start, brk.end))
    return result


@dataclass
class Row:
    """One apprentice with what lists need, loaded in bulk (no query per row)."""

    apprentice: Apprentice
    organisation: str
    directorate: str
    standard_reference: str
    standard_title: str
    level: int | None
    provider: str
    route: str
    breaks: list[Break] = field(default_factory=list)
    warnings: list[ProgrammeWarning] = field(default_factory=list)

    def record(self) -> ApprenticeRecord:
        a = self.apprentice
        status = Status(a.status)
        return ApprenticeRecord(
            reference=a.reference,
            organisation=self.organisation,
            directorate=self.directorate,
            level=self.level or "",
            date_of_birth=a.date_of_birth,
            planned_start=a.planned_start,
            actual_start=a.actual_start,
            completed_on=a.status_date if status is Status.COMPLETED else None,
            withdrawn_on=a.status_date if status is Status.WITHDRAWN else None,
            cancelled_on=a.status_date if status is Status.CANCELLED else None,
            breaks=tuple(self.breaks),
            standard=self.standard_reference,
            route=self.route,
        )


def _joined(select: Any) -> Any:
    """``select`` from apprenticeships joined to their organisation, directorate, standard
    and provider."""
    return (
        select.select_from(Apprentice)
        .join(Organisation, Apprentice.organisation_id == Organisation.id)
        .join(Directorate, Apprentice.directorate_id == Directorate.id)
        .outerjoin(Standard, Apprentice.standard_id == Standard.id)
        .outerjoin(Provider, Apprentice.provider_id == Provider.id)
        .where(Apprentice.programme_type == "apprenticeship")
    )


def apprentice_query() -> Any:
    """Every apprenticeship with its organisation, directorate, standard and provider
    loaded in the same query: the select lists, pages and exports are built on."""
    return _joined(db.select(Apprentice)).options(
        contains_eager(Apprentice.organisation),
        contains_eager(Apprentice.directorate),
        contains_eager(Apprentice.standard),
        contains_eager(Apprentice.provider),
    )


# the columns the list page shows and its warnings need: plain rows, no ORM objects
LIST_COLUMNS = (
    Apprentice.id,
    Apprentice.reference,
    Apprentice.first_name,
    Apprentice.last_name,
    Apprentice.status,
    Apprentice.date_of_birth,
    Apprentice.planned_start,
    Apprentice.actual_start,
    Apprentice.planned_end,
    Apprentice.agreed_price,
    Apprentice.weekly_hours,
    Apprentice.otj_hours_planned,
    Apprentice.care_leaver,
    Apprentice.ehc_plan,
    Apprentice.standard_id,
    Organisation.name.label("organisation"),
    Directorate.name.label("directorate"),
    Standard.reference.label("standard_reference"),
    Standard.level.label("level"),
    Standard.otj_minimum_hours.label("otj_minimum_hours"),
)


@dataclass
class ListRow:
    """One line of the apprentices list."""

    id: int
    reference: str
    first_name: str
    last_name: str
    organisation: str
    directorate: str
    standard_reference: str
    level: int | None
    start: date
    status: str
    warnings: list[ProgrammeWarning] = field(default_factory=list)


def list_rows(rows: Sequence[Any]) -> list[ListRow]:
    """``ListRow``s, with their warnings, for rows of ``LIST_COLUMNS``: one more query
    (the funding bands of their standards)."""
    bands = funding_bands(r.standard_id for r in rows)
    out = []
    for r in rows:
        start = r.actual_start or r.planned_start
        warnings = (
            []
            if r.standard_id is None
            else programme_warnings(
                plan_for(r, band_on(bands.get(r.standard_id, []), start), r.level,
                         r.otj_minimum_hours)
            )
        )  # fmt: skip
        out.append(
            ListRow(
                r.id, r.reference, r.first_name, r.last_name, r.organisation, r.directorate,
                r.standard_reference or "", r.level, start, r.status, warnings,
            )
        )  # fmt: skip
    return out


def rows_of(
    apprentices: Sequence[Apprentice],
    *,
    with_warnings: bool = True,
    bands: dict[int, list[tuple[date, Decimal]]] | None = None,
) -> list[Row]:
    """Rows for apprentices loaded by ``apprentice_query()``: two more queries in all."""
    ids = [a.id for a in apprentices]
    breaks = breaks_by_apprentice(ids if len(ids) < 900 else None)
    if with_warnings and bands is None:
        bands = funding_bands()
    rows = []
    for a in apprentices:
        standard, provider = a.standard, a.provider
        row = Row(
            a,
            a.organisation.name,
            a.directorate.name,
            standard.reference if standard else "",
            standard.title if standard else "",
            standard.level if standard else None,
            provider.name if provider else "",
            ""
            if provider is None
            else ("employer-provider" if provider.employer_provider else "external provider"),
            breaks.get(a.id, []),
        )
        if with_warnings and standard is not None:
            start = a.actual_start or a.planned_start
            row.warnings = programme_warnings(
                plan_for(
                    a,
                    band_on(bands.get(a.standard_id, []), start),  # type: ignore[arg-type, union-attr]  # bands loaded; has a standard
                    standard.level,
                    standard.otj_minimum_hours,
                )
            )
        rows.append(row)
    return rows


def load_rows(query: Any, **options: Any) -> list[Row]:
    """Rows for a select built on ``apprentice_query()``: three queries, whatever the size."""
    return rows_of(db.session.execute(query).unique().scalars().all(), **options)


def apprentice_select(
    filters: dict[str, str],
    directorate_ids: Iterable[int] | None = None,
    columns: Sequence[Any] | None = None,
) -> tuple[Any, list[str]]:
    """The list's select for ``filters`` (the ``FILTERS`` query parameters) within
    ``directorate_ids`` (None: all), by reference; and a message for each filter that
    is not understood. With ``columns``, a select of those columns instead of
    ``Apprentice`` objects."""
    args = {key: (filters.get(key) or "").strip() for key in FILTERS}
    problems: list[str] = []
    query = apprentice_query() if columns is None else _joined(db.select(*columns))
    if directorate_ids is not None:
        query = query.where(Apprentice.directorate_id.in_(list(directorate_ids)))
    if args["q"]:
        like = f"%{args['q']}%"
        query = query.where(
            Apprentice.reference.ilike(like)
            | Apprentice.first_name.ilike(like)
            | Apprentice.last_name.ilike(like)
            | (Apprentice.first_name + " " + Apprentice.last_name).ilike(like)
        )
    if args["status"]:
        query = query.where(Apprentice.status == args["status"])
    for key, column in (
        ("directorate", Apprentice.directorate_id),
        ("standard", Apprentice.standard_id),
        ("provider", Apprentice.provider_id),
    ):
        if args[key]:
            if args[key].isdigit():
                query = query.where(column == int(args[key]))
            else:
                problems.append(f"Choose a {key} from the list")
    if args["level"]:
        query = query.where(
            Standard.level == int(args["level"])
            if args["level"].isdigit()
            else Standard.level == -1
        )
    if args["intake"]:
        try:
            year = academic_year(date(int(args["intake"][:4]), 8, 1))
        except ValueError:
            problems.append("Intake: choose an academic year like 2020-21")
        else:
            start = db.func.coalesce(Apprentice.actual_start, Apprentice.planned_start)
            query = query.where(start >= year.start, start <= year.end)
    return query.order_by(Apprentice.reference), problems


def apprentice_page(
    filters: dict[str, str], directorate_ids: Iterable[int] | None, page: int
) -> tuple[Pagination, list[str]]:
    """Page ``page`` of the list (its items are ``ListRow``s, loaded as columns), and the
    filters' problems. Only-with-warnings works the warnings out for every match, then
    pages those."""
    query, problems = apprentice_select(filters, directorate_ids, LIST_COLUMNS)
    if (filters.get("warnings") or "").strip():
        rows = list_rows(db.session.execute(query).all())
        return paginate_list([r for r in rows if r.warnings], page), problems
    return paginate_rows(query, page, load=list_rows), problems


def list_choices(user: Any, today: date) -> dict[str, Any]:
    """The list's and the form's choices; directorates only those ``user`` may see."""
    return {
        "directorates": [(d.id, d.label) for d in directorates_for(user)],
        "standards": standard_choices(),
        "providers": provider_choices(),
        "statuses": [s.value for s in Status],
        "levels": LEVELS,
        "intakes": [academic_year(date(y, 8, 1)).label for y in range(today.year + 1, 2016, -1)],
    }


def export_rows(query: Any | None = None) -> tuple[list[list[Any]], list[list[Any]]]:
    """(apprentice rows, break rows) with the import template's columns, in reference order."""
    query = query if query is not None else apprentice_query()
    rows = load_rows(query.order_by(None).order_by(Apprentice.reference), with_warnings=False)
    people: list[list[object]] = []
    breaks: list[list[object]] = []
    for row in rows:
        a = row.apprentice
        people.append(
            [
                a.reference,
                a.first_name,
                a.last_name,
                a.date_of_birth,
                row.organisation,
                row.directorate,
                row.standard_reference,
                row.provider,
                a.agreed_price,
                a.employment_start,
                a.actual_start or a.planned_start,
                a.planned_end,
                a.status,
                a.status_date,
                "yes" if a.new_hire else "no",
                "yes" if a.care_leaver else "no",
                "yes" if a.ehc_plan else "no",
                a.uln,
            ]
        )
        breaks.extend([a.reference, b.start, b.end] for b in row.breaks)
    return people, breaks
