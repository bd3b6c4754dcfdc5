"""One way to page a list: ``paginate(select, page)`` (``db.paginate``) for a select of
one entity, ``paginate_rows(select, page)`` for a select of columns (its items are the
rows), or ``paginate_list(items, page)`` for rows filtered in Python. Both give a Flask-SQLAlchemy
``Pagination`` (``items``, ``page``, ``pages``, ``total``, ``has_prev``, ``prev_num``...);
a page past the end is empty, never a 404."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_sqlalchemy.pagination import Pagination, SelectPagination

from levy.extensions import db

PAGE_SIZE = 50


def paginate(
    select: Any,
    page: int | None = 1,
    *,
    per_page: int = PAGE_SIZE,
    load: Callable[[list[Any]], Sequence[Any]] | None = None,
) -> Pagination:
    """Page ``page`` (from 1) of ``select``'s first entity; ``load`` turns those items into
    what the page shows (say rows loaded in bulk)."""
    result = db.paginate(
        select, page=max(1, page or 1), per_page=per_page, max_per_page=None, error_out=False
    )
    if load is not None:
        result.items = list(load(result.items))
    return result


class _RowPagination(SelectPagination):
    """``db.paginate`` for a select of columns: its items are the rows, not scalars."""

    def _query_items(self) -> list[Any]:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(
    select: Any,
    page: int | None = 1,
    *,
    per_page: int = PAGE_SIZE,
    load: Callable[[list[Any]], Sequence[Any]] | None = None,
) -> Pagination:
    """Page ``page`` (from 1) of a select of columns, its rows as the items; ``load`` turns
    them into what the page shows."""
    result = _RowPagination(
        select=select,
        session=db.session,
        page=max(1, page or 1),
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        count=True,
    )
    if load is not None:
        result.items = list(load(result.items))
    return result


class _ListPagination(Pagination):
    def _query_items(self) -> list[Any]:
        items = self._query_args["items"]
        return list(items[self._query_offset : self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def paginate_list(
    items: Sequence[Any], page: int | None = 1, *, per_page: int = PAGE_SIZE
) -> Pagination:
    """Page ``page`` (from 1) of ``items``, already loaded."""
    return _ListPagination(
        page=max(1, page or 1), per_page=per_page, max_per_page=None, error_out=False, items=items
    )
