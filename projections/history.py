"""System-versioned read models: every view as it stood at any log position, without a replay.

Beside each read-model table `T` of a projection stands `T_history`: the same columns and
`valid_from`, `valid_to`, the log positions between which that version of the row was the
view's (`valid_from <= p < valid_to`, an open `valid_to` for the current version). The database
keeps it, in the transaction of the projection's own write: statement-level triggers on `T`
read the position being applied from the transaction-local setting `xuncha.position`, which
the projection runner sets before each event (projections/tracking.py), so the history is made
by the same projection code, in the same transaction, and a rebuild makes it again with
everything else. Current reads never touch it.

To read as of position `p`, a transaction puts the schema `xuncha_asof` first on its
`search_path` and sets `xuncha.as_of` to `p` (`reading_as_of`): in that schema a view named
like each table selects the row versions valid at `p`, so the projections' read code runs
unchanged. The views read as the caller (`security_invoker`), and each history table carries
its table's row rule, made over the `xuncha_asof` views, so row security holds as of `p` under
the caller's present visible tenants. A table whose content is a function of others (a
projection's running totals) may be given as a view over them instead
(`Projection.as_of_views`); it then keeps no history.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from psycopg import Connection, Cursor, sql

from projections import row_security
from projections.base import Projection

SCHEMA = "xuncha_asof"
POSITION = "xuncha.position"
AS_OF = "xuncha.as_of"
# Part of every projection's DDL digest: a change here rebuilds the projections.
VERSION = 1
SUFFIX = "_history"
CURRENT = "_current"  # the name ending of each history table's index of current versions

_MARK = sql.SQL("SELECT set_config({}, %s, true)").format(sql.Literal(POSITION))


def mark(cur: Cursor[Any], position: int) -> None:
    """Name the log position whose changes the following writes of this transaction are."""
    cur.execute(_MARK, (str(position),))


def handles(projection: Projection) -> Callable[[type], bool]:
    """Whether the projection has a handler of its own for an event type: only before those
    does the runner name the position (most views pass most events over, and a write under
    a missing or stale position would be refused by the triggers, not go astray)."""
    kind = type(projection)
    if kind not in _HANDLES:
        method = inspect.getattr_static(kind, "apply")
        dispatcher = getattr(method, "dispatcher", None)
        if dispatcher is None:
            _HANDLES[kind] = lambda _event_type: True
        else:
            default = dispatcher.registry[object]
            _HANDLES[kind] = functools.cache(lambda t: dispatcher.dispatch(t) is not default)
    return _HANDLES[kind]


_HANDLES: dict[type, Callable[[type], bool]] = {}


def mark_reached(conn: Connection[Any], projection: str) -> None:
    """Name the position the projection reached (by the tracking table the `search_path`
    finds) for the writes that follow in this transaction."""
    conn.execute(
        "SELECT set_config(%s, coalesce(max(position), 0)::text, true) "
        "FROM projection_tracking WHERE projection = %s",
        (POSITION, projection),
    )


def history_of(table: str) -> str:
    return f"{table}{SUFFIX}"


def versioned(projection: Projection) -> tuple[str, ...]:
    """The projection's tables that keep a history (those not given as views of others)."""
    return tuple(t for t in projection.tables if t not in projection.as_of_views)


def all_tables(projection: Projection) -> tuple[str, ...]:
    """The projection's tables and their history tables: what a rebuild swaps."""
    return (*projection.tables, *(history_of(t) for t in versioned(projection)))


@dataclass(frozen=True)
class _Shape:
    table: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the primary key, or every column for a table without one
    nullable: frozenset[str]  # the columns that may hold null
    indexes: tuple[str, ...]  # the definitions of the table's other indexes


def install(conn: Connection[Any], projection: Projection) -> None:
    """The history tables of the projection's tables (made by its DDL in the first schema of
    the `search_path`), their triggers, row rules and `xuncha_asof` views (idempotent). The
    views are made only where missing: a rebuild points them at its new tables when it
    switches (`point_views`), so that until then they read the live history."""
    for table in versioned(projection):
        shape = _shape_of(conn, table)
        _create_history(conn, shape)
        _create_triggers(conn, shape)
    _make_views(conn, projection, replace=False)
    with _views_first(conn):
        for table in versioned(projection):
            row_security.protect_table(conn, history_of(table), projection.row_rules[table])


def point_views(conn: Connection[Any], projection: Projection) -> None:
    """Point the projection's `xuncha_asof` views at its tables as the `search_path` finds
    them now (after a rebuild's switch: the new live tables)."""
    _make_views(conn, projection, replace=True)


@contextmanager
def reading_as_of(conn: Connection[Any], position: int) -> Iterator[None]:
    """Within this block, the connection's transaction reads every view as of `position`."""
    row = conn.execute(
        "SELECT current_setting('search_path'), "
        "set_config('search_path', %s || ', ' || current_setting('search_path'), true), "
        "set_config(%s, %s, true)",
        (sql.Identifier(SCHEMA).as_string(conn), AS_OF, str(position)),
    ).fetchone()
    assert row is not None  # noqa: S101 - a SELECT without FROM returns one row
    try:
        yield
    finally:
        if conn.info.transaction_status.name != "INERROR":
            conn.execute(
                "SELECT set_config('search_path', %s, true), set_config(%s, '', true)",
                (row[0], AS_OF),
            )


def _shape_of(conn: Connection[Any], table: str) -> _Shape:
    columns = _column_names(
        conn,
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        table,
    )
    key = _column_names(
        conn,
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        table,
    )
    nullable = _column_names(
        conn,
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND NOT attnotnull",
        table,
    )
    rows = conn.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass "
        "AND NOT indisprimary ORDER BY indexrelid",
        (table,),
    ).fetchall()
    return _Shape(table, columns, key or columns, frozenset(nullable), tuple(r[0] for r in rows))


def _column_names(conn: Connection[Any], query: str, table: str) -> tuple[str, ...]:
    return tuple(r[0] for r in conn.execute(query, (table,)).fetchall())


def _create_history(conn: Connection[Any], shape: _Shape) -> None:
    history = sql.Identifier(history_of(shape.table))
    key = sql.SQL(", ").join(map(sql.Identifier, shape.key))
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (LIKE {}, valid_from bigint NOT NULL, valid_to bigint)"
        ).format(history, sql.Identifier(shape.table))
    )
    # Unique where the table has a key, so a rebuild keeps it while it fills (the triggers
    # find a row's current version through it).
    unique = sql.SQL("UNIQUE " if shape.key != shape.columns else "")
    conn.execute(
        sql.SQL("CREATE {}INDEX IF NOT EXISTS {} ON {} ({}) WHERE valid_to IS NULL").format(
            unique, sql.Identifier(f"{history_of(shape.table)}{CURRENT}"), history, key
        )
    )
    conn.execute(
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({}, valid_from)").format(
            sql.Identifier(f"{history_of(shape.table)}_key"), history, key
        )
    )
    for definition in shape.indexes:
        conn.execute(sql.SQL(_history_index(definition, shape.table)))


_INDEX = re.compile(r"^CREATE (?:UNIQUE )?INDEX (\S+) ON (?:ONLY )?(\S+) (.*)$", re.DOTALL)


def _history_index(definition: str, table: str) -> str:
    """The same index over the history table, without uniqueness (versions repeat keys)."""
    found = _INDEX.match(definition)
    if found is None:
        raise RuntimeError(f"Cannot read the index definition {definition!r}")
    name, _, rest = found.groups()
    target = sql.Identifier(history_of(table)).as_string(None)
    # NULLS NOT DISTINCT belongs to unique indexes only.
    rest = rest.replace(" NULLS NOT DISTINCT", "")
    return f"CREATE INDEX IF NOT EXISTS {name.strip(chr(34))}_h ON {target} {rest}"


def _create_triggers(conn: Connection[Any], shape: _Shape) -> None:
    """A row-level trigger calling one function per table and column list (a rebuild of a
    changed table makes its own). Measured against statement-level triggers with transition
    tables (docs/TIME_MACHINE.md): projections write a row or a few per statement, for which
    the transition tables and the joins over them cost more than they save."""
    made_of = (shape.columns, shape.key, sorted(shape.nullable))
    digest = hashlib.sha256(repr(made_of).encode()).hexdigest()[:8]
    function = sql.Identifier("public", f"xuncha_history_{shape.table}_{digest}")
    conn.execute(
        sql.SQL("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS {}").format(
            function, sql.Literal(_trigger_body(shape))
        )
    )
    table = sql.Identifier(shape.table)
    name = sql.Identifier("xuncha_history")
    conn.execute(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(name, table))
    conn.execute(
        sql.SQL(
            "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {} "
            "FOR EACH ROW EXECUTE FUNCTION {}()"
        ).format(name, table, function)
    )


_TRIGGER_BODY = """
DECLARE
    p bigint := nullif(current_setting('xuncha.position', true), '')::bigint;
BEGIN
    IF p IS NULL THEN
        RAISE EXCEPTION 'A write to % names no log position (xuncha.position)', TG_TABLE_NAME;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE {history} h SET valid_to = p
            WHERE {same} AND h.valid_to IS NULL AND h.valid_from < p;
        IF NOT FOUND THEN
            -- The version was made by this same event: it never was the view's, and goes.
            DELETE FROM {history} h WHERE {same} AND h.valid_to IS NULL;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {history} ({columns}, valid_from) VALUES ({values}, p);
    END IF;
    RETURN NULL;
END
"""


def _trigger_body(shape: _Shape) -> str:
    # `=` where a column holds no null, so the index of current versions finds the row.
    same = sql.SQL(" AND ").join(
        sql.SQL(
            "h.{} IS NOT DISTINCT FROM OLD.{}" if k in shape.nullable else "h.{} = OLD.{}"
        ).format(sql.Identifier(k), sql.Identifier(k))
        for k in shape.key
    )
    return (
        sql.SQL(_TRIGGER_BODY)
        .format(
            history=sql.Identifier(history_of(shape.table)),
            same=same,
            columns=sql.SQL(", ").join(map(sql.Identifier, shape.columns)),
            values=sql.SQL(", ").join(
                sql.SQL("NEW.{}").format(sql.Identifier(c)) for c in shape.columns
            ),
        )
        .as_string(None)
    )


def _make_views(conn: Connection[Any], projection: Projection, *, replace: bool) -> None:
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
    reader = sql.Identifier(row_security.READER)
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(SCHEMA), reader))
    wanted = [t for t in projection.tables if replace or not _exists(conn, f"{SCHEMA}.{t}")]
    # Read before the views come first on the path: a table's columns, not its view's.
    queries = {t: _view_query(conn, projection, t) for t in wanted}
    with _views_first(conn):
        for table, query in queries.items():
            view = sql.Identifier(SCHEMA, table)
            conn.execute(
                sql.SQL("CREATE OR REPLACE VIEW {} WITH (security_invoker = true) AS {}").format(
                    view, sql.SQL(query)
                )
            )
            conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(view, reader))


def _view_query(conn: Connection[Any], projection: Projection, table: str) -> str:
    derived = projection.as_of_views.get(table)
    if derived is not None:
        return derived
    columns = ", ".join(sql.Identifier(c).as_string(conn) for c in _shape_of(conn, table).columns)
    # No position set (a transaction not reading as of a moment): the views show nothing.
    at = f"(SELECT nullif(current_setting('{AS_OF}', true), '')::bigint)"
    history = sql.Identifier(history_of(table)).as_string(conn)
    return (
        f"SELECT {columns} FROM {history} "  # noqa: S608 - catalog names, quoted
        f"WHERE valid_from <= {at} AND (valid_to IS NULL OR valid_to > {at})"
    )


def _exists(conn: Connection[Any], name: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


@contextmanager
def _views_first(conn: Connection[Any]) -> Iterator[None]:
    """Names made within resolve to the `xuncha_asof` views first (a rule's or a derived
    view's sub-query over another table of the projection then reads it as of the moment)."""
    row = conn.execute(
        "SELECT current_setting('search_path'), "
        "set_config('search_path', %s || ', ' || current_setting('search_path'), true)",
        (sql.Identifier(SCHEMA).as_string(conn),),
    ).fetchone()
    assert row is not None  # noqa: S101 - a SELECT without FROM returns one row
    yield
    conn.execute("SELECT set_config('search_path', %s, true)", (row[0],))
