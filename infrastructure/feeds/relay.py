"""The relay: follows the event store's notification log and publishes every event to Kafka,
keyed by tenant (the one its stream was created under), in log order, at least once. The last
notification id the broker acknowledged is recorded in Postgres, so a relay that crashed resumes
there (republishing at most one batch, which the workers' tracking ignores). Only the holder of
a Postgres session advisory lock publishes; a standby relay takes the lock within a second of
the holder's session ending."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Notification
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.partitioner.default import murmur2
from psycopg import Connection, sql

from domain.audited import event_hash
from infrastructure.store import EventStore

log = logging.getLogger(__name__)

DDL = """
CREATE TABLE IF NOT EXISTS relay_position (
    topic text PRIMARY KEY,
    position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Per partition: the highest notification id published to it and its offset. Read-your-writes
-- in Kafka mode waits until the workers' tracking of every partition reached these.
CREATE TABLE IF NOT EXISTS relay_partitions (
    topic text NOT NULL,
    partition integer NOT NULL,
    position bigint NOT NULL,
    "offset" bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);
"""

# Message headers; the value is the stored event's state bytes, exactly as the store holds them.
EVENT_TYPE, TENANT, STREAM_ID, VERSION, NOTIFICATION_ID, HASH = (
    "event-type",
    "tenant",
    "stream-id",
    "version",
    "notification-id",
    "hash",
)
# The notification id published just before on the same partition: a worker that sees an event
# whose predecessor it has not applied knows a delivery failed in between (see tracking).
PREVIOUS_ID = "previous-id"
HOMES_CACHED = 100_000
# A relay's PostgreSQL session names its role, so the API can count active and standby relays
# (pg_stat_activity) for its metrics.
ACTIVE, STANDBY = "xuncha-relay-active", "xuncha-relay-standby"


@dataclass(frozen=True)
class RelayOptions:
    bootstrap: str
    topic: str
    partitions: int = 6
    batch_size: int = 500
    idempotent: bool = False  # needs broker support for InitProducerId; off: max in flight 1
    lock_poll_seconds: float = 0.5
    max_backoff_seconds: float = 10.0
    standby_report_seconds: float = 60.0  # how often a standby relay logs that it is alive


def install(conn: Connection[Any]) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.install'))")
        conn.execute(DDL)


def ensure_topic(bootstrap: str, topic: str, partitions: int) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        if topic not in admin.list_topics():
            admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
            log.info("created topic %s with %d partitions", topic, partitions)
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


class Relay:
    def __init__(self, store: EventStore, database_url: str, options: RelayOptions) -> None:
        self.store = store
        self.database_url = database_url
        self.options = options
        self.stopping = threading.Event()
        self.leading = threading.Event()
        self._homes: dict[UUID | str, str] = {}  # stream id -> the tenant it was created under

    def run(self) -> None:
        """Until stopped: become the active relay, then publish; start over after a failure."""
        backoff = 0.5
        while not self.stopping.is_set():
            try:
                with psycopg.connect(
                    self.database_url, autocommit=True, application_name=STANDBY
                ) as conn:
                    install(conn)
                    if self._take_lock(conn):
                        backoff = 0.5
                        self._lead(conn)
            except Exception:
                log.exception("relay failed; starting over in %.1f s", backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, self.options.max_backoff_seconds)
            finally:
                self.leading.clear()

    def stop(self) -> None:
        self.stopping.set()

    def _take_lock(self, conn: Connection[Any]) -> bool:
        key = f"xuncha.relay:{self.options.topic}"
        said_alive = 0.0
        while not self.stopping.is_set():
            row = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (key,)).fetchone()
            if row and row[0]:
                conn.execute(sql.SQL("SET application_name = {}").format(sql.Literal(ACTIVE)))
                log.info("this relay is now the active one for %s", self.options.topic)
                self.leading.set()
                return True
            if time.monotonic() - said_alive >= self.options.standby_report_seconds:
                log.info("standby: waiting for the active relay of %s", self.options.topic)
                said_alive = time.monotonic()
            self.stopping.wait(self.options.lock_poll_seconds)
        return False

    def _lead(self, conn: Connection[Any]) -> None:
        channel = sql.Identifier(self.store.recorder.channel_name)  # type: ignore[attr-defined]
        conn.execute(sql.SQL("LISTEN {}").format(channel))
        producer: KafkaProducer | None = None
        backoff = 0.5
        try:
            while not self.stopping.is_set():
                try:
                    if producer is None:
                        producer = self._producer()
                    published = self.publish_batch(conn, producer)
                    backoff = 0.5
                except KafkaError as error:
                    # The broker is away: writes go on in Postgres; retry from the recorded
                    # position once it answers again.
                    log.warning("Kafka unavailable (%s); retrying in %.1f s", error, backoff)
                    if producer is not None:
                        producer.close(timeout=0)
                        producer = None
                    self.stopping.wait(backoff)
                    backoff = min(backoff * 2, self.options.max_backoff_seconds)
                    continue
                if published < self.options.batch_size:
                    for _ in conn.notifies(timeout=1.0, stop_after=1):
                        pass
        finally:
            if producer is not None:
                producer.close(timeout=5)

    def _producer(self) -> KafkaProducer:
        ensure_topic(self.options.bootstrap, self.options.topic, self.options.partitions)
        ordering: dict[str, Any] = (
            {"enable_idempotence": True}
            if self.options.idempotent
            else {"enable_idempotence": False, "max_in_flight_requests_per_connection": 1}
        )
        return KafkaProducer(
            bootstrap_servers=self.options.bootstrap,
            acks="all",
            retries=5,
            linger_ms=5,
            request_timeout_ms=3000,
            delivery_timeout_ms=6000,
            max_block_ms=3000,
            **ordering,
        )

    def publish_batch(self, conn: Connection[Any], producer: KafkaProducer) -> int:
        """Publish the next batch after the recorded position; record it once acknowledged."""
        start = recorded_position(conn, self.options.topic)
        notifications = self.store.recorder.select_notifications(
            start=start, limit=self.options.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        topic = self.options.topic
        partitions = sorted(producer.partitions_for(topic))
        previous = {p: position for p, (position, _) in published_partitions(conn, topic).items()}
        sent = []
        for notification in notifications:
            event: Any = self.store.mapper.to_domain_event(notification)
            tenant = str(getattr(event, "tenant_id", "") or "")
            headers = [
                (EVENT_TYPE, notification.topic.encode()),
                (TENANT, tenant.encode()),
                (STREAM_ID, str(notification.originator_id).encode()),
                (VERSION, str(notification.originator_version).encode()),
                (NOTIFICATION_ID, str(notification.id).encode()),
                (HASH, event_hash(event).encode()),
            ]
            key = self._home_tenant(notification, tenant).encode()
            # The default partitioner's choice, made here so the predecessor is known.
            partition = partitions[(murmur2(key) & 0x7FFFFFFF) % len(partitions)]
            headers.append((PREVIOUS_ID, str(previous.get(partition, 0)).encode()))
            previous[partition] = notification.id
            future = producer.send(
                topic, key=key, value=notification.state, headers=headers, partition=partition
            )
            sent.append((notification.id, future))
        producer.flush(timeout=30)
        reached: dict[int, tuple[int, int]] = {}
        for notification_id, future in sent:
            metadata = future.get(timeout=0)  # raises the delivery error, if any
            reached[metadata.partition] = (notification_id, metadata.offset)
        self._record(conn, notifications[-1].id, reached)
        return len(notifications)

    def _home_tenant(self, notification: Notification, tenant: str) -> str:
        """The tenant a stream was created under: the key of all its events. A unit reassigned
        to another county carries the new tenant in its later events; keying by the event's
        own tenant would split its stream over two partitions and lose its order."""
        stream = notification.originator_id
        if notification.originator_version == 1:
            home = tenant
        elif (cached := self._homes.get(stream)) is not None:
            return cached
        else:
            first = self.store.recorder.select_events(stream, limit=1)
            event: Any = self.store.mapper.to_domain_event(first[0]) if first else None
            home = str(getattr(event, "tenant_id", "") or tenant)
        if len(self._homes) >= HOMES_CACHED:
            self._homes.clear()
        self._homes[stream] = home
        return home

    def _record(
        self, conn: Connection[Any], position: int, partitions: dict[int, tuple[int, int]]
    ) -> None:
        topic = self.options.topic
        with conn.transaction():
            conn.execute(
                "INSERT INTO relay_position (topic, position) VALUES (%s, %s) "
                "ON CONFLICT (topic) DO UPDATE SET position = excluded.position, "
                "updated_at = now()",
                (topic, position),
            )
            for partition, (notification_id, offset) in partitions.items():
                conn.execute(
                    'INSERT INTO relay_partitions (topic, partition, position, "offset") '
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (topic, partition) DO UPDATE SET "
                    "position = greatest(relay_partitions.position, excluded.position), "
                    '"offset" = excluded."offset"',
                    (topic, partition, notification_id, offset),
                )


def recorded_position(conn: Connection[Any], topic: str) -> int:
    row = conn.execute("SELECT position FROM relay_position WHERE topic = %s", (topic,)).fetchone()
    return int(row[0]) if row else 0


def relays(conn: Connection[Any]) -> dict[str, int]:
    """How many relays are connected to this database, by role (`active`, `standby`)."""
    rows = conn.execute(
        "SELECT application_name, count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = ANY(%s) "
        "GROUP BY application_name",
        ([ACTIVE, STANDBY],),
    ).fetchall()
    counted = dict(rows)
    return {"active": counted.get(ACTIVE, 0), "standby": counted.get(STANDBY, 0)}


def published_partitions(conn: Connection[Any], topic: str) -> dict[int, tuple[int, int]]:
    """Per partition: (highest notification id published to it, its offset)."""
    rows = conn.execute(
        'SELECT partition, position, "offset" FROM relay_partitions WHERE topic = %s', (topic,)
    ).fetchall()
    return {partition: (position, offset) for partition, position, offset in rows}


def header(headers: Sequence[tuple[str, bytes]], name: str) -> str:
    for key, value in headers:
        if key == name:
            return value.decode()
    raise KeyError(name)
