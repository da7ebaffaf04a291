"""Relay-style pages over read models, always by key. A list in log-position order (stable and
unique) pages with `keyset`, which picks the rows after the cursor's position; a `Listing`
runs it over its table for a filter's `Where`, with the count of all matching rows. A list in
another order pages with `sorted_keyset` (a `SortKey`: a column, nulls last, the log position
breaking ties), whose versioned cursors carry the sort value and the position, and
`Listing.sorted_page`, given the total its list counts its own way."""

from __future__ import annotations

import base64
import binascii
import json
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


def keyset(after: str | None, first: int, key: sql.Composable = POSITION) -> Keyset:
    """The page of `first` rows after the cursor `after`, in the order of `key`."""
    return Keyset(key, decode_cursor(after), first)


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

    def sorted_page(
        self,
        conn: Connection[Any],
        chosen: SortedKeyset,
        where: Where,
        total: int,
        column_params: Sequence[Any] = (),
    ) -> Page[R]:
        """The page `chosen` of the rows matching `where`, of `total` matching rows in all."""
        select = sql.SQL("SELECT {} FROM {}").format(self.columns, self.table)
        rows: list[R] = []
        with conn.cursor(row_factory=self.row_factory) as cur:
            for query, own in chosen.queries(select, where.clause):
                wanted = chosen.size + 1 - len(rows)
                if wanted <= 0:
                    break
                params = [*column_params, *where.params, *own, wanted]
                rows.extend(cur.execute(query, params).fetchall())
        column = chosen.key.column
        return Page(
            items=[
                (chosen.cursor(getattr(row, column) if column else None, self.position(row)), row)
                for row in rows[: chosen.size]
            ],
            total_count=total,
            has_next_page=len(rows) > chosen.size,
            has_previous_page=chosen.position > 0,
        )


@dataclass(frozen=True)
class SortKey:
    """An order a list pages by key: `column` (None: the log position alone), nulls last,
    the log position breaking ties in the same direction. `name` is the order as the client
    names it: a cursor is good for that order only. `parse` reads a value back from a cursor."""

    name: str
    column: str | None
    descending: bool = False
    parse: Callable[[str], Any] = str


# The version of sorted cursors: a cursor of another version is refused, never misread.
SORTED_CURSOR_VERSION = 2


@dataclass(frozen=True)
class SortedKeyset:
    """A page of `size` rows in the order `key`, after the row a cursor named (`value`,
    `position`; position 0: the first page). Non-null values come first, then nulls, each
    read by its own index range, so no page sorts more than itself."""

    key: SortKey
    value: Any
    position: int
    size: int

    def queries(
        self, select: sql.Composable, where: sql.Composable
    ) -> list[tuple[sql.Composed, list[Any]]]:
        """(query, its own parameters before the LIMIT) for each part of the order the page
        may take rows from, in order: the non-null values (unless the cursor is past them),
        then the nulls."""
        way = "DESC" if self.key.descending else "ASC"
        beyond = "<" if self.key.descending else ">"  # fixed text, never the client's
        if self.key.column is None:
            return [_by_position(select, where, way, beyond, self.position)]
        column = sql.Identifier(self.key.column)
        parts = []
        if self.value is not None or not self.position:
            valued = sql.SQL("{} AND {} IS NOT NULL").format(where, column)
            params: list[Any] = []
            if self.position:
                valued = sql.SQL("{} AND ({}, {}) " + beyond + " (%s, %s)").format(
                    valued, column, POSITION
                )
                params = [self.value, self.position]
            order = sql.SQL("{} " + way + ", {} " + way).format(column, POSITION)
            parts.append((_limited(select, valued, order), params))
        nulls = sql.SQL("{} AND {} IS NULL").format(where, column)
        after = self.position if self.value is None else 0
        parts.append(_by_position(select, nulls, way, beyond, after))
        return parts

    def cursor(self, value: Any, position: int) -> str:
        payload = [SORTED_CURSOR_VERSION, self.key.name, self.key.descending, position]
        if self.key.column is not None:
            payload.append(None if value is None else str(value))
        return "k" + base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


def _by_position(
    select: sql.Composable, where: sql.Composable, way: str, beyond: str, after: int
) -> tuple[sql.Composed, list[Any]]:
    """The rows matching `where` in log order (`way`), after position `after` (0: from the
    start)."""
    if not after:
        return _limited(select, where, sql.SQL("{} " + way).format(POSITION)), []
    where = sql.SQL("{} AND {} " + beyond + " %s").format(where, POSITION)
    return _limited(select, where, sql.SQL("{} " + way).format(POSITION)), [after]


def _limited(select: sql.Composable, where: sql.Composable, order: sql.Composable) -> sql.Composed:
    return sql.SQL("{} WHERE {} ORDER BY {} LIMIT %s").format(select, where, order)


def sorted_keyset(key: SortKey, after: str | None, first: int) -> SortedKeyset:
    """The page of `first` rows after the cursor `after`, in the order `key`."""
    if not after:
        return SortedKeyset(key, None, 0, first)
    try:
        if not after.startswith("k"):
            raise ValueError("not a sorted cursor")
        version, name, descending, position, *value = json.loads(
            base64.urlsafe_b64decode(after[1:].encode())
        )
        if version != SORTED_CURSOR_VERSION:
            raise ValueError("another version")
        if (name, descending) != (key.name, key.descending):
            raise ValueError("another order")
        parsed = None if not value or value[0] is None else key.parse(value[0])
        return SortedKeyset(key, parsed, int(position), first)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, ArithmeticError):
        raise ValidationFailed(
            f"after: {after!r} is not a cursor this list gave out for this order (or is from "
            "an older version); start again from the first page",
            field="after",
        ) from None


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
