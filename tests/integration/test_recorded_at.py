"""When an event was really recorded: the event table's `recorded_at`, filled by the PostgreSQL
server at the insert, in log order; a writer cannot set or change it; a database from before
the column gets it, for its old rows too, when the store is opened (as `xuncha migrate` and
`xuncha serve` do)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID, uuid4

import psycopg
from psycopg import sql

from domain.context import acting_as
from infrastructure.recorded_at import table_of
from infrastructure.store import open_event_store
from services.runtime import Runtime
from tests.support.notebook import Notebook


def _table(runtime: Runtime) -> sql.Identifier:
    return sql.Identifier(*table_of(runtime.store))


def _recorded(runtime: Runtime, stream: UUID) -> list[datetime]:
    with psycopg.connect(runtime.database.url) as conn:
        rows = conn.execute(
            sql.SQL(
                "SELECT recorded_at FROM {} WHERE originator_id = %s ORDER BY originator_version"
            ).format(_table(runtime)),
            (stream,),
        ).fetchall()
    return [row[0] for row in rows]


def _server_now(runtime: Runtime) -> datetime:
    with psycopg.connect(runtime.database.url) as conn:
        row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    moment: datetime = row[0]
    return moment


def _book(runtime: Runtime, notes: int = 2) -> Notebook:
    with acting_as("wang"):
        book = Notebook(tenant_id=uuid4(), title="甲村账册")
        runtime.store.record(book)
        for n in range(notes):
            book.note(f"note {n}")
            runtime.store.record(book)
    return book


def test_the_database_fills_recorded_at_at_the_insert_in_log_order(runtime: Runtime) -> None:
    before = _server_now(runtime)
    book = _book(runtime)
    after = _server_now(runtime)

    recorded = _recorded(runtime, book.id)

    assert len(recorded) == 3
    assert all(before <= moment <= after for moment in recorded)
    assert recorded == sorted(recorded)
    history = runtime.history.history(book.id)
    assert [e.recorded_at for e in history] == recorded


def test_a_writer_can_neither_set_nor_change_recorded_at(runtime: Runtime) -> None:
    book = _book(runtime, notes=0)
    (stored,) = _recorded(runtime, book.id)
    forged = datetime.fromisoformat("2000-01-01T00:00:00+00:00")
    stream = uuid4()
    insert = sql.SQL(
        "INSERT INTO {} (originator_id, originator_version, topic, state, recorded_at) "
        "VALUES (%s, 1, 'x', '{{}}'::bytea, %s)"
    ).format(_table(runtime))
    update = sql.SQL("UPDATE {} SET recorded_at = %s WHERE originator_id = %s").format(
        _table(runtime)
    )
    select = sql.SQL(
        "SELECT originator_id, recorded_at FROM {} WHERE originator_id = ANY(%s)"
    ).format(_table(runtime))
    with psycopg.connect(runtime.database.url) as conn:  # one transaction, rolled back
        conn.execute(insert, (stream, forged))
        conn.execute(update, (forged, book.id))
        rows = conn.execute(select, ([stream, book.id],)).fetchall()
        conn.rollback()

    found: dict[Any, datetime] = dict(rows)
    assert found[book.id] == stored  # the update kept the recorded time
    assert found[stream] > stored  # the insert got the server's time, not the forged one


def test_a_database_from_before_the_column_gets_it_for_its_old_rows_on_opening(
    runtime: Runtime,
) -> None:
    schema, table = table_of(runtime.store)
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP TRIGGER {} ON {}").format(
                sql.Identifier(f"{table}_recorded_at"), sql.Identifier(schema, table)
            )
        )
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP COLUMN recorded_at").format(sql.Identifier(schema, table))
        )
    old = _book(runtime, notes=1)  # written as before the column existed
    stamped = [cast(Any, e).timestamp for e in runtime.store.events.get(old.id)]

    reopened = open_event_store(runtime.database, pool_size=1)  # as migrate and serve do
    try:
        again = open_event_store(runtime.database, pool_size=1)  # idempotent
        again.close()
    finally:
        reopened.close()

    assert _recorded(runtime, old.id) == stamped  # old rows: their own timestamp
    with psycopg.connect(runtime.database.url) as conn:
        row = conn.execute(
            "SELECT is_nullable, column_default FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s AND column_name = 'recorded_at'",
            (schema, table),
        ).fetchone()
    assert row == ("NO", "clock_timestamp()")
    new = _book(runtime, notes=0)
    (recorded,) = _recorded(runtime, new.id)
    assert recorded - _server_now(runtime) < timedelta(seconds=5)
