"""Projection workers: members of a Kafka consumer group that apply the relay's messages with the
same projection classes as the embedded feed, through `tracking.apply_batch`, so each read-model
change and its tracking position commit in one Postgres transaction.

Tracking is per partition (feed `kafka:<topic>:<partition>`, position = notification id). The
relay publishes in log order and keys by tenant, so within a partition notification ids only
grow, except for a batch the relay republished after a crash, which the tracking skips. A worker
that is assigned a partition seeks to the offset tracked with the position and checks that the
message there carries no later notification id (a recreated topic may); otherwise it reads the
partition from the beginning, which the tracking makes harmless.

An event a projection cannot apply is parked (projections/tracking.py) and the projection
stopped on every partition; the other projections go on. When it is retried, each worker seeks
its partitions back to the earliest tracked offset, and the tracking passes over what the other
projections already applied."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from kafka.structs import OffsetAndMetadata
from psycopg import Connection

from infrastructure.feeds.relay import (
    EVENT_TYPE,
    NOTIFICATION_ID,
    PREVIOUS_ID,
    STREAM_ID,
    VERSION,
    header,
    published_partitions,
    recorded_position,
)
from projections import tracking

if TYPE_CHECKING:
    from infrastructure.feeds.plant import Plant

log = logging.getLogger(__name__)

# Consumer groups against Tansu join in ~3 s with these (kafka-python's defaults take ~20 s).
GROUP_TIMING = {
    "session_timeout_ms": 6000,
    "heartbeat_interval_ms": 1000,
    "max_poll_interval_ms": 6000,
}
DEFAULT_GROUP = "xuncha-projections"


def feed_name(topic: str, partition: int) -> str:
    return f"kafka:{topic}:{partition}"


class _Resume(ConsumerRebalanceListener):
    def __init__(self, worker: Worker, consumer: KafkaConsumer) -> None:
        self.worker = worker
        self.consumer = consumer

    def on_partitions_revoked(self, revoked: Any) -> None:
        self.worker.verify.clear()
        self.worker.gapped.clear()

    def on_partitions_assigned(self, assigned: Any) -> None:
        for partition in assigned:
            self.worker.resume(self.consumer, partition)


class Worker:
    def __init__(self, runtime: Plant, *, bootstrap: str, topic: str, group: str) -> None:
        self.runtime = runtime
        self.bootstrap = bootstrap
        self.topic = topic
        self.group = group
        self.stopping = threading.Event()
        # Partitions just sought to a tracked offset: the notification id expected there.
        self.verify: dict[TopicPartition, int] = {}
        # Partitions that delivered an event before its predecessor and were checked since.
        self.gapped: set[TopicPartition] = set()
        # Projections stopped at a parked event, as last seen.
        self.stopped: set[str] = set()

    def run(self) -> None:
        """Until stopped: consume and apply; after a failure, start over with a new consumer
        (its partitions resume from the tracking)."""
        backoff = 0.5
        while not self.stopping.is_set():
            try:
                self._consume()
                backoff = 0.5
            except Exception:
                log.exception("projection worker failed; starting over in %.1f s", backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 10.0)

    def _consume(self) -> None:
        self.verify.clear()
        self.gapped.clear()
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap,
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.runtime.settings.projection_batch_size,
            fetch_max_wait_ms=100,  # read-your-writes waits on this when the topic is quiet
            **GROUP_TIMING,
        )
        try:
            consumer.subscribe([self.topic], listener=_Resume(self, consumer))
            while not self.stopping.is_set():
                self.follow_retries(consumer)
                polled = consumer.poll(timeout_ms=1000)
                for partition, records in polled.items():
                    self.handle(consumer, partition, records)
        finally:
            consumer.close()

    def stop(self) -> None:
        self.stopping.set()

    def follow_retries(self, consumer: KafkaConsumer) -> None:
        """A stopped projection that was retried has its parked event and everything after it
        to apply: read the partitions again from the earliest tracked offset."""
        with self.runtime.reads.connection() as conn:
            now = tracking.stopped(conn)
        retried = self.stopped - now
        self.stopped = now
        if retried:
            log.info("%s retried: re-reading the assigned partitions", ", ".join(sorted(retried)))
            for partition in consumer.assignment():
                self.resume(consumer, partition)

    def resume(self, consumer: KafkaConsumer, partition: TopicPartition) -> None:
        """Seek a newly assigned partition to where the tracking says, not to Kafka's offset
        (the least offset of the projections that are not stopped)."""
        feed = feed_name(partition.topic, partition.partition)
        with self.runtime.reads.connection() as conn:
            stopped = tracking.stopped(conn)
            names = [p.name for p in self.runtime.projections if p.name not in stopped] or [
                p.name for p in self.runtime.projections
            ]
            rows = conn.execute(
                "SELECT projection, position, source_offset FROM projection_tracking "
                "WHERE feed = %s",
                (feed,),
            ).fetchall()
        tracked = {name: (position, offset) for name, position, offset in rows}
        if any(name not in tracked or tracked[name][1] is None for name in names):
            self.verify.pop(partition, None)
            consumer.seek_to_beginning(partition)
            log.info("partition %s: no tracked offset; reading from the beginning", feed)
            return
        position, offset = min(tracked[name] for name in names)
        self.verify[partition] = position
        consumer.seek(partition, offset)
        log.info("partition %s: resuming at offset %d (position %d)", feed, offset, position)

    def handle(
        self, consumer: KafkaConsumer, partition: TopicPartition, records: Sequence[ConsumerRecord]
    ) -> None:
        expected = self.verify.pop(partition, None)
        if expected is not None and records:
            first = records[0]
            # Within a partition the tracked offset holds the highest id applied so far, so
            # every message before it holds a smaller one. A message there with a greater id
            # means the topic was recreated: read it from the start (the tracking dedupes).
            if int(header(first.headers, NOTIFICATION_ID)) > expected:
                log.warning("partition %s changed under its offsets; re-reading it", partition)
                consumer.seek_to_beginning(partition)
                return
        batch = [(int(header(r.headers, NOTIFICATION_ID)), self.to_event(r)) for r in records]
        offsets = [r.offset for r in records]
        previous = [int(header(r.headers, PREVIOUS_ID)) for r in records]
        feed = feed_name(partition.topic, partition.partition)
        gaps: list[int] = []
        with self.runtime.reads.connection() as conn:
            stopped = tracking.stopped(conn)
            self.stopped |= stopped  # forgotten only by `follow_retries`, which re-reads then
            for projection in self.runtime.projections:
                if projection.name in stopped:
                    continue
                tracking.apply_or_park(
                    conn,
                    projection,
                    batch,
                    feed=feed,
                    offsets=offsets,
                    previous=previous,
                    gaps=gaps,
                )
        if not gaps:
            self.gapped.discard(partition)
        elif partition not in self.gapped:
            # First time: check the partition still holds what the tracking says (a recreated
            # topic does not) by reading it again from the tracked offset. After that, pass
            # over: the relay republishes the missing event and what follows it.
            log.warning("%s: events %s came before their predecessors", feed, sorted(set(gaps)))
            self.gapped.add(partition)
            self.resume(consumer, partition)
            return
        # Kafka's committed offset serves lag tools only; resuming relies on the tracking.
        consumer.commit_async({partition: OffsetAndMetadata(offsets[-1] + 1, "", -1)})

    def to_event(self, record: ConsumerRecord) -> object:
        """The domain event, through the store's mapper, from the stored state in the value."""
        stored = StoredEvent(
            originator_id=UUID(header(record.headers, STREAM_ID)),
            originator_version=int(header(record.headers, VERSION)),
            topic=header(record.headers, EVENT_TYPE),
            state=record.value,
        )
        return self.runtime.store.mapper.to_domain_event(stored)


def wait_until_applied(
    conn: Connection[Any],
    names: Sequence[str],
    position: int,
    *,
    topic: str,
    timeout: float,
    interval: float = 0.02,
) -> bool:
    """Whether the projections `names` applied every event up to `position` within `timeout`.

    First the relay must have published through `position`; then, for every partition, the
    workers' tracking must reach the highest notification id the relay had published to it
    by then. That target may include a few events after `position` (the rest of the relay's
    batch): conservative, and still bounded. False at once when one of `names` is stopped
    short of `position` (`tracking.blocking`)."""
    deadline = time.monotonic() + timeout
    target: dict[int, int] | None = None
    while True:
        if target is None and recorded_position(conn, topic) >= position:
            target = {p: pos for p, (pos, _) in published_partitions(conn, topic).items()}
        if target is not None:
            reached = _tracked(conn, topic)
            if all(
                reached.get((name, partition), 0) >= wanted
                for name in names
                for partition, wanted in target.items()
            ):
                return True
        if tracking.blocking(conn, names, position) or time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def _tracked(conn: Connection[Any], topic: str) -> dict[tuple[str, int], int]:
    prefix = feed_name(topic, 0)[:-1]
    rows = conn.execute(
        "SELECT projection, feed, position FROM projection_tracking WHERE starts_with(feed, %s)",
        (prefix,),
    ).fetchall()
    return {(name, int(feed[len(prefix) :])): position for name, feed, position in rows}
