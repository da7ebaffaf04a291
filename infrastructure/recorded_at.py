"""When each event was really recorded: a column of the event table that PostgreSQL fills.

`recorded_at` is `clock_timestamp()` at the insert, taken by the database server, never by a
client or the application's clock, and kept outside the event's state and hash. No writer sets
it: eventsourcing's INSERT names only its own four columns, so the column's default fills it.
(A trigger overwriting any given value would also stop someone writing SQL by hand with rights
on the table, but the documented backup dumps the event table alone, and its trigger would not
restore without its function; such a person can rewrite the events too, which the hash chains
and the seal catch.)

Why `clock_timestamp()` and not `now()`: eventsourcing inserts under an EXCLUSIVE lock on the
table, taken inside the writing transaction, to keep the notification log gapless. `now()` is
the start of the transaction, before it waited for that lock, so two writers could get times
in the opposite order to their positions; `clock_timestamp()` is read at the insert itself,
after the lock is held, so recorded times follow the notification order (while the server's
clock does not step back). The commit follows within the same lock, microseconds later.

Events stored before the column existed get their own timestamp (the application's clock at
the time, the best evidence left) when the column is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

COLUMN = "recorded_at"


def table_of(store: Any) -> tuple[str, str]:
    """The schema and name of the store's event table."""
    recorder = store.recorder
    return recorder.datastore.schema, recorder.events_table_name


def install(conn: psycopg.Connection[Any], schema: str, table: str) -> None:
    """Add the column and (for older rows) its values, once, and its index; idempotent."""
    if not _installed(conn, schema, table):
        _add_column(conn, schema, table)
    # Finds the last event recorded by a moment (`moment_positions`) without a scan.
    conn.execute(
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (recorded_at, notification_id)").format(
            sql.Identifier(f"{table}_recorded_at_idx"), sql.Identifier(schema, table)
        )
    )


def _add_column(conn: psycopg.Connection[Any], schema: str, table: str) -> None:
    target = sql.Identifier(schema, table)
    statements: list[sql.SQL | sql.Composed] = [
        sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS recorded_at timestamptz").format(target),
        sql.SQL("ALTER TABLE {} ALTER COLUMN recorded_at SET DEFAULT clock_timestamp()").format(
            target
        ),
        # Older rows: the event's own timestamp, read from its stored state; a state that no
        # longer decodes (which `audit verify` reports) gets the time of this migration.
        sql.SQL(
            "CREATE FUNCTION pg_temp.stored_timestamp(state bytea) RETURNS timestamptz "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RETURN (convert_from(state, 'UTF8')::jsonb #>> '{timestamp,_data_}')::timestamptz; "
            "EXCEPTION WHEN others THEN RETURN NULL; END $$"
        ),
        sql.SQL(
            "UPDATE {} SET recorded_at = "
            "coalesce(pg_temp.stored_timestamp(state), clock_timestamp()) "
            "WHERE recorded_at IS NULL"
        ).format(target),
        sql.SQL("DROP FUNCTION pg_temp.stored_timestamp(bytea)"),
        sql.SQL("ALTER TABLE {} ALTER COLUMN recorded_at SET NOT NULL").format(target),
    ]
    with conn.transaction():
        for statement in statements:
            conn.execute(statement)


def _installed(conn: psycopg.Connection[Any], schema: str, table: str) -> bool:
    row = conn.execute(
        "SELECT is_nullable FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
        (schema, table, COLUMN),
    ).fetchone()
    return row is not None and row[0] == "NO"


def recorded_times(store: Any, stream_ids: list[UUID]) -> dict[tuple[UUID, int], datetime]:
    """When each event of the streams was recorded, by (stream, version), in one query."""
    schema, table = table_of(store)
    query = sql.SQL(
        "SELECT originator_id, originator_version, recorded_at FROM {} "
        "WHERE originator_id = ANY(%s)"
    ).format(sql.Identifier(schema, table))
    with store.recorder.datastore.get_connection() as conn, conn.cursor() as cur:
        rows = cur.execute(query, (stream_ids,)).fetchall()
    return {(row["originator_id"], row["originator_version"]): row["recorded_at"] for row in rows}


@dataclass(frozen=True)
class MomentPosition:
    """Where a moment falls in the log: the last position recorded at or before it (None
    before the first event), and the database's present time and first recorded time."""

    position: int | None
    now: datetime
    first: datetime | None


def moment_position(store: Any, moment: datetime) -> MomentPosition:
    """The log position of the last event recorded at or before `moment`."""
    schema, table = table_of(store)
    events = sql.Identifier(schema, table)
    query = sql.SQL(
        "SELECT (SELECT notification_id FROM {} WHERE recorded_at <= %s "
        "ORDER BY recorded_at DESC, notification_id DESC LIMIT 1) AS position, "
        "clock_timestamp() AS now, "
        "(SELECT recorded_at FROM {} ORDER BY recorded_at LIMIT 1) AS first"
    ).format(events, events)
    with store.recorder.datastore.get_connection() as conn, conn.cursor() as cur:
        row = cur.execute(query, (moment,)).fetchone()
    return MomentPosition(row["position"], row["now"], row["first"])
