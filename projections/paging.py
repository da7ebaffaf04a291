"""Relay-style pages over read models. A list in log-position order (stable and unique) pages
by key: `keyset` picks the rows after the cursor's position. A list in another order pages by
offset: `by_offset`. Both give the SQL that picks one page and the page made of its rows;
a `Listing` runs it over its table for a filter's `Where`, with the count of all matching rows."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from psycopg import Connection, sql
from psycopg.rows import BaseRowFactory

from domain.errors import LimitExceeded, ValidationFailed

T = TypeVar("T")
U = TypeVar("U")
R = TypeVar("R")

MAX_PAGE_SIZE = 500
POSITION = sql.Identifier("position")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]  # (cursor, item)
    total_count: int
    has_next_page: bool
    has_previous_page: bool

    def with_items(self, build: Callable[[list[T]], list[U]]) -> Page[U]:
        """The same page (cursors, counts) with its items rebuilt one for one by `build`."""
        cursors = [cursor for cursor, _ in self.items]
        built = build([item for _, item in self.items])
        return Page(
            list(zip(cursors, built, strict=True)),
            self.total_count,
            self.has_next_page,
            self.has_previous_page,
        )


@dataclass
class Where:
    """The conditions a list's filter sets, joined by AND, with their parameters in order."""

    conditions: list[sql.Composable] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str | sql.Composable, *params: Any) -> None:
        self.conditions.append(sql.SQL(condition) if isinstance(condition, str) else condition)
        self.params.extend(params)

    def given(self, value: Any, condition: str) -> None:
        """`condition` on `value`, when the filter gives a value."""
        if value is not None:
            self.add(condition, value)

    @property
    def clause(self) -> sql.Composable:
        return sql.SQL(" AND ").join(self.conditions) if self.conditions else sql.SQL("TRUE")


class Paging(Protocol):
    def query(self, select: sql.Composable, where: sql.Composable) -> sql.Composed:
        """`select` (up to its FROM) of the rows matching `where` on this page, and one more
        if there is one (so the page knows whether another follows)."""
        ...

    def params(self, params: Sequence[Any]) -> list[Any]:
        """The parameters of `query`: those of `select` and `where`, then the page's own."""
        ...

    def page(self, rows: list[R], total: int, position: Callable[[R], int]) -> Page[R]:
        """The page of `rows` (as `query` fetched them), with the cursor after each."""
        ...


@dataclass(frozen=True)
class Keyset:
    """A page of a list in the order of `key`, a unique ascending log position."""

    key: sql.Composable
    start: int  # the position after which the page starts; 0 for the first page
    size: int

    def query(self, select: sql.Composable, where: sql.Composable) -> sql.Composed:
        return sql.SQL("{} WHERE {} AND {} > %s ORDER BY {} LIMIT %s").format(
            select, where, self.key, self.key
        )

    def params(self, params: Sequence[Any]) -> list[Any]:
        return [*params, self.start, self.size + 1]

    def page(self, rows: list[R], total: int, position: Callable[[R], int]) -> Page[R]:
        return Page(
            items=[(encode_cursor(position(row)), row) for row in rows[: self.size]],
            total_count=total,
            has_next_page=len(rows) > self.size,
            has_previous_page=self.start > 0,
        )


@dataclass(frozen=True)
class Offset:
    """A page of a list in the order `order`, `start` rows into it."""

    order: sql.Composable
    start: int
    size: int

    def query(self, select: sql.Composable, where: sql.Composable) -> sql.Composed:
        return sql.SQL("{} WHERE {} ORDER BY {} LIMIT %s OFFSET %s").format(
            select, where, self.order
        )

    def params(self, params: Sequence[Any]) -> list[Any]:
        return [*params, self.size + 1, self.start]

    def page(self, rows: list[R], total: int, position: Callable[[R], int]) -> Page[R]:
        on_page = rows[: self.size]
        return Page(
            items=[(_encode("o", self.start + i + 1), row) for i, row in enumerate(on_page)],
            total_count=total,
            has_next_page=len(rows) > self.size,
            has_previous_page=self.start > 0,
        )


def keyset(after: str | None, first: int, key: sql.Composable = POSITION) -> Keyset:
    """The page of `first` rows after the cursor `after`, in the order of `key`."""
    return Keyset(key, decode_cursor(after), first)


def by_offset(order: sql.Composable, after: str | None, first: int) -> Offset:
    """The page of `first` rows after the cursor `after`, in the order `order`."""
    return Offset(order, _decode("o", after), first)


@dataclass(frozen=True)
class Listing(Generic[R]):
    """What a list reads: the rows of `table` as `columns`, made by `row_factory`, each with
    its log `position` (which a keyset cursor names)."""

    table: sql.Composable
    columns: sql.Composable
    row_factory: BaseRowFactory[R]
    position: Callable[[R], int]

    def page(
        self,
        conn: Connection[Any],
        chosen: Paging,
        where: Where,
        column_params: Sequence[Any] = (),
    ) -> Page[R]:
        """The page `chosen` of the rows matching `where` (`column_params` are the parameters
        of `columns`), with the count of all matching rows."""
        select = sql.SQL("SELECT {} FROM {}").format(self.columns, self.table)
        with conn.cursor(row_factory=self.row_factory) as cur:
            query = chosen.query(select, where.clause)
            rows = cur.execute(query, chosen.params([*column_params, *where.params])).fetchall()
        count = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(self.table, where.clause)
        found = conn.execute(count, where.params).fetchone()
        return chosen.page(rows, int(found[0]) if found else 0, self.position)


def encode_cursor(position: int) -> str:
    return _encode("p", position)


def decode_cursor(cursor: str | None) -> int:
    """The position after which a page starts; 0 for the first page."""
    return _decode("p", cursor)


def _encode(kind: str, value: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def _decode(kind: str, cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        found, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if found == kind:
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationFailed(f"after: {cursor!r} is not a cursor this list gave out", field="after")


def check_page_size(first: int | None, default: int = 50) -> int:
    size = default if first is None else first
    if size < 0:
        raise ValidationFailed("first must not be negative", field="first")
    if size > MAX_PAGE_SIZE:
        raise LimitExceeded(f"first is {size}; at most {MAX_PAGE_SIZE} items per page")
    return size
