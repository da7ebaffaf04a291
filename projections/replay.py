"""A projection's view as it stood at a moment: the events up to then are applied, by the
projection's own handlers, to empty temporary copies of its tables (which shadow the live ones
for this transaction only), the view is read, and everything is rolled back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from psycopg import Connection, sql

from projections.base import Projection

T = TypeVar("T")


def view_as_of(
    conn: Connection[Any],
    projection: Projection,
    events: Sequence[tuple[int, object]],
    read: Callable[[Connection[Any]], T],
) -> T:
    with conn.transaction(force_rollback=True):
        for table in projection.tables:
            conn.execute(
                sql.SQL("CREATE TEMP TABLE {} (LIKE {} INCLUDING ALL) ON COMMIT DROP").format(
                    sql.Identifier(table), sql.Identifier("public", table)
                )
            )
        with conn.cursor() as cur:
            for position, event in events:
                projection.apply(event, cur, position)
        return read(conn)
