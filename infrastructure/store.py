"""The event store: one eventsourcing `Application` over PostgreSQL, the single source of truth.
Every context's service saves through it, so one notification log orders all events."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, StoredEvent, Transcoding
from psycopg import sql
from psycopg_pool import ConnectionPool

from domain.audited import AuditedAggregate
from domain.errors import Conflict, NotFound
from infrastructure import recorded_at
from infrastructure.database import Database
from infrastructure.telemetry import EVENTS_APPENDED

A = TypeVar("A", bound=AuditedAggregate)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EventStore(Application[UUID]):
    name = "xuncha"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def load(self, aggregate_class: type[A], aggregate_id: UUID, *, what: str) -> A:
        """The aggregate, or a NOT_FOUND error that names `what` was looked for."""
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound.no(what, aggregate_id) from None
        if not isinstance(aggregate, aggregate_class):
            raise NotFound.no(what, aggregate_id)
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def record(self, *aggregates: AuditedAggregate) -> int:
        """Save atomically; return the notification-log position of the last event."""
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            raise Conflict("Another change was recorded first; reload and try again") from None
        EVENTS_APPENDED.inc(len(recordings))
        return recordings[-1].notification.id if recordings else self.max_position()

    def events_of(self, stream_ids: list[UUID]) -> list[StoredEvent]:
        """Every event of the streams, by stream then version, in one query."""
        recorder: Any = self.recorder
        table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
        query = sql.SQL(
            "SELECT originator_id, originator_version, topic, state FROM {} "
            "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
        ).format(table)
        with recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            rows = cur.execute(query, (stream_ids,)).fetchall()
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in rows
        ]

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0


def open_event_store(database: Database, *, pool_size: int) -> EventStore:
    params = database.connection_params()
    env: dict[str, Any] = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": params["dbname"],
        "POSTGRES_HOST": params["host"],
        "POSTGRES_PORT": params["port"],
        "POSTGRES_USER": params["user"],
        "POSTGRES_PASSWORD": params["password"],
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size),
        "CREATE_TABLE": "y",
    }
    # Processes starting together (API, relay, workers) would race on eventsourcing's
    # CREATE TABLE ("tuple concurrently updated"); one at a time creates what is missing.
    with psycopg.connect(database.url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext('xuncha.event_store'))")
        try:
            store = EventStore(env=env)
            recorded_at.install(conn, *recorded_at.table_of(store))
            return store
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext('xuncha.event_store'))")


def store_pool(store: EventStore) -> ConnectionPool[Any] | None:
    """The event store's connection pool (eventsourcing's, a psycopg_pool one), for metrics."""
    pool = getattr(getattr(store.recorder, "datastore", None), "pool", None)
    return pool if isinstance(pool, ConnectionPool) else None
