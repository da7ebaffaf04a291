"""When an event was really recorded: the event table's `recorded_at`, filled by the PostgreSQL
server at the insert, in log order; the store's writer has no way to set it; a database from before
the column gets it, for its old rows too, when the store is opened (as `xuncha migrate` and
`xuncha serve` do)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID, uuid4

import psycopg
from eventsourcing.persistence import StoredEvent
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


def test_the_stores_writer_has_no_way_to_set_recorded_at(runtime: Runtime) -> None:
    recorder: Any = runtime.store.recorder
    statement = recorder.insert_events_statement.as_string(None)
    named = statement.split("(", 1)[1].split(")", 1)[0]
    assert [c.strip() for c in named.split(",")] == [
        "originator_id",
        "originator_version",
        "topic",
        "state",
    ]
    forged_state = b'{"recorded_at": "2000-01-01T00:00:00+00:00"}'
    stream = uuid4()
    before = _server_now(runtime)

    recorder.insert_events([StoredEvent(stream, 1, "x:Forged", forged_state)])

    (recorded,) = _recorded(runtime, stream)
    assert before <= recorded <= _server_now(runtime)  # the server's, not what the state says


def test_a_database_from_before_the_column_gets_it_for_its_old_rows_on_opening(
    runtime: Runtime,
) -> None:
    schema, table = table_of(runtime.store)
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
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
