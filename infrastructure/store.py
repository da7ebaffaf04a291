"""The event store: one eventsourcing `Application` over PostgreSQL, the single source of truth.
Every context's service saves through it, so one notification log orders all events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
    StoredEvent,
    Transcoding,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic, retry
from psycopg import Cursor, sql
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from domain.audited import AuditedAggregate
from domain.errors import Conflict, NotFound
from infrastructure import held_writes, recorded_at
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


@dataclass(frozen=True)
class Alongside:
    """Rows written in the same transaction as a save's events (`EventStore.save_with`): the
    save's events and these rows commit together or not at all."""

    statement: sql.Composable | str
    rows: Sequence[Sequence[Any]]


class AlongsideRecorder(PostgresApplicationRecorder):
    """eventsourcing's recorder, with two changes. A save's `alongside` statements run inside
    its transaction, before the events are inserted (the hook its tracking recorder uses).
    And the statements go in one ordinary transaction, not in pipeline mode: with psycopg
    3.2.11 and later, `Pipeline.sync()` can leave the end of a large query (a save of about
    1 MB of events) in libpq's output buffer and then wait for an answer forever, holding the
    table lock that every other writer waits for (psycopg's `pipeline_communicate` stops
    flushing once its queue is empty). The statements and the lock are the library's own."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn, conn.transaction():
            with conn.cursor() as curs:
                self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            with conn.cursor() as curs:
                self._insert_stored_events(curs, stored_events, **kwargs)
                return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        for also in kwargs.get("alongside", ()):
            if also.rows:
                curs.executemany(also.statement, also.rows)
        super()._insert_events(curs, stored_events, **kwargs)


class EventStore(Application[UUID]):
    """The event store. Inside `held_writes.holding(store)` it serves a batch: what it loads
    is kept for the batch, what it records is held and saved by the batch in chunks."""

    name = "xuncha"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def load(self, aggregate_class: type[A], aggregate_id: UUID, *, what: str) -> A:
        """The aggregate, or a NOT_FOUND error that names `what` was looked for."""
        held = held_writes.current(self)
        aggregate: Any = (
            held.load(aggregate_id, self._get) if held is not None else self._get(aggregate_id)
        )
        if aggregate is None or not isinstance(aggregate, aggregate_class):
            raise NotFound.no(what, aggregate_id)
        return aggregate

    def _get(self, aggregate_id: UUID) -> AuditedAggregate | None:
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        held = held_writes.current(self)
        if held is not None:
            return held.exists(aggregate_id, self._get)
        return aggregate_id in self.repository

    def record(self, *aggregates: AuditedAggregate) -> int:
        """Save atomically; return the notification-log position of the last event. While a
        batch holds the writes, they are held instead, and the batch learns their positions
        when it saves them (`held_writes.HeldWrites.flush`)."""
        held = held_writes.current(self)
        if held is not None:
            held.hold(aggregates)
            return held_writes.UNSAVED
        return self._position_of(self._saved(*aggregates))

    def save_with(
        self, events: Sequence[DomainEventProtocol[UUID]], alongside: Sequence[Alongside]
    ) -> dict[tuple[UUID, int], int]:
        """Save `events` and write `alongside` in one transaction; each event's position,
        by (stream, version)."""
        recordings = self._saved(*events, alongside=alongside)
        return {
            (r.domain_event.originator_id, r.domain_event.originator_version): r.notification.id
            for r in recordings
        }

    def _saved(self, *objs: Any, **kwargs: Any) -> list[Any]:
        try:
            recordings = self.save(*objs, **kwargs)
        except IntegrityError:
            raise Conflict("Another change was recorded first; reload and try again") from None
        EVENTS_APPENDED.inc(len(recordings))
        return recordings

    def _position_of(self, recordings: list[Any]) -> int:
        return recordings[-1].notification.id if recordings else self.max_position()

    @property
    def events_table(self) -> sql.Identifier:
        recorder: Any = self.recorder
        return sql.Identifier(recorder.datastore.schema, recorder.events_table_name)

    def events_of(self, stream_ids: list[UUID]) -> list[StoredEvent]:
        """Every event of the streams, by stream then version, in one query."""
        recorder: Any = self.recorder
        query = sql.SQL(
            "SELECT originator_id, originator_version, topic, state FROM {} "
            "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
        ).format(self.events_table)
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

    def streams_opened_by(self, created: type[Any]) -> list[list[Any]]:
        """The events, as domain events, of every stream whose first event is a `created`:
        every aggregate of one class, read from the log itself (a full scan, for audits)."""
        recorder: Any = self.recorder
        query = sql.SQL(
            "SELECT originator_id FROM {} WHERE topic = %s AND originator_version = 1"
        ).format(self.events_table)
        with recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            rows = cur.execute(query, (get_topic(created),)).fetchall()
        return list(self._domain_streams([row["originator_id"] for row in rows]).values())

    def _domain_streams(self, stream_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
        """The domain events of each stream that has any, in version order."""
        events: dict[UUID, list[Any]] = {}
        for stored in self.events_of(list(stream_ids)):
            event = self.mapper.to_domain_event(stored)
            events.setdefault(event.originator_id, []).append(event)
        return events

    def load_many(self, stream_ids: Sequence[UUID]) -> dict[UUID, AuditedAggregate]:
        """The aggregates of `stream_ids` that exist, their events read in one query."""
        events = self._domain_streams(stream_ids)
        found = {stream_id: _projected(stream) for stream_id, stream in events.items()}
        return {stream_id: a for stream_id, a in found.items() if a is not None}

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0


def _projected(stream: list[Any]) -> AuditedAggregate | None:
    """The aggregate of a stream's events, as eventsourcing's `project_aggregate` makes it,
    without its check of each event against a runtime protocol (a fifth of a batch's loading
    time went to that check)."""
    aggregate: Any = None
    for event in stream:
        aggregate = event.mutate(aggregate)
    return cast(AuditedAggregate | None, aggregate)


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
        "APPLICATION_RECORDER_TOPIC": get_topic(AlongsideRecorder),
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
