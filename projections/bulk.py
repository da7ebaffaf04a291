"""A cursor for a sole writer (a rebuild's shadow) that sends rows in bulk: a plain
`INSERT INTO table (columns) VALUES (%s, ...)` is held back, and a table's held rows go out in
one statement before the first other statement that may name the table, and at `release`.
What any statement reads is therefore what it would have read had each INSERT gone out at
once; an INSERT that would fail fails at the release instead, which ends a rebuild all the
same."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any, Self
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.abc import Params, Query
from psycopg.types.json import Json, Jsonb

# Only `%s` placeholders, so that rows can be put side by side; DO NOTHING keeps its meaning
# for rows of one statement (a later duplicate is passed over as it would have been).
_PLAIN_INSERT = re.compile(
    r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \((?:%s, )*%s\)( ON CONFLICT DO NOTHING)?"
)


class HeldInserts(Cursor[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per table: the held INSERT, its columns and conflict clause, and its rows.
        self._held: dict[str, tuple[str, str, str, list[Sequence[Any]]]] = {}

    def execute(
        self,
        query: Query,
        params: Params | None = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Self:
        if not self._hold(query, [params]):
            self._release_for(query)
            statement: Any = query  # a template or not: the overloads are the base class's
            super().execute(statement, params, prepare=prepare, binary=binary)
        return self

    def executemany(
        self, query: Query, params_seq: Iterable[Params], *, returning: bool = False
    ) -> None:
        rows = list(params_seq)
        if returning or not self._hold(query, rows):
            self._release_for(query)
            super().executemany(query, rows, returning=returning)

    def release(self) -> None:
        """Send every held row."""
        for table in list(self._held):
            self._release(table)

    def _hold(self, query: Query, rows: Sequence[Params | None]) -> bool:
        match = _PLAIN_INSERT.fullmatch(query) if isinstance(query, str) else None
        if match is None or not all(isinstance(row, Sequence) for row in rows):
            return False
        table = match[1]
        if table in self._held and self._held[table][0] != query:
            self._release(table)
        held = self._held.setdefault(table, (match[0], match[2], match[3] or "", []))
        held[3].extend(rows)  # type: ignore[arg-type]
        return True

    def _release_for(self, query: Query) -> None:
        """Send the held rows of every table the statement may name (of all of them when its
        text is not at hand)."""
        text = query if isinstance(query, str) else ""
        for table in list(self._held):
            if table in text or not text:
                self._release(table)

    def _release(self, table: str) -> None:
        """One statement for the table's held rows: they travel as one JSON array of objects
        (one parameter, which costs the client far less than a parameter per value) that the
        server turns into rows of the table's type. Values JSON cannot carry go one by one."""
        query, columns, conflict, rows = self._held.pop(table)
        if len(rows) == 1:
            super().execute(query, rows[0])
            return
        names = [name.strip() for name in columns.split(",")]
        try:
            payload = json.dumps(
                [dict(zip(names, row, strict=True)) for row in rows], default=_json
            )
        except TypeError:
            super().executemany(query, rows)
            return
        super().execute(_from_json(table, columns, conflict), [payload])


def _json(value: Any) -> Any:
    """A value psycopg would send, as the JSON the server reads back into the column's type."""
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Json | Jsonb):
        return value.obj
    raise TypeError(f"{type(value).__name__} is sent as it is")


@cache
def _from_json(table: str, columns: str, conflict: str) -> str:
    query = sql.SQL(
        "INSERT INTO {table} ({columns}) SELECT {columns} "
        "FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb){conflict}"
    )
    return query.format(
        table=sql.Identifier(table), columns=sql.SQL(columns), conflict=sql.SQL(conflict)
    ).as_string()
