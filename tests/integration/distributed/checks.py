"""Checks of the distributed tests: waiting for the workers, comparing the read models with a
rebuild from the event store, counting what the tracking applied and what the topic holds."""

from __future__ import annotations

import time
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from psycopg import sql

from infrastructure.feeds.rebuild import build_copy
from infrastructure.feeds.workers import wait_until_applied
from infrastructure.store import EventStore
from services.runtime import Runtime


def wait_until_projected(runtime: Runtime, *, timeout: float = 120) -> int:
    """Wait until the workers applied the whole log; return its head."""
    head = runtime.store.max_position()
    names = [p.name for p in runtime.projections]
    with runtime.reads.connection() as conn:
        done = wait_until_applied(
            conn, names, head, topic=runtime.settings.kafka_topic, timeout=timeout
        )
    assert done, f"the projections did not reach position {head} within {timeout} s"
    return head


def wait_for(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.1)


def event_count(store: EventStore) -> int:
    count, start = 0, 0
    while batch := store.recorder.select_notifications(
        start=start, limit=1000, inclusive_of_start=False
    ):
        count += len(batch)
        start = batch[-1].id
    return count


def assert_read_models_equal_a_rebuild(runtime: Runtime) -> None:
    """Every read-model table equals, row for row, the same projection rebuilt from the store."""
    for projection in runtime.projections:
        schema = f"expected_{projection.name}"
        build_copy(runtime, projection, schema)
        with runtime.reads.connection() as conn:
            for table in projection.tables:
                live = sql.SQL("public.{}").format(sql.Identifier(table))
                rebuilt = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
                for left, right in ((live, rebuilt), (rebuilt, live)):
                    query = sql.SQL("SELECT count(*) FROM (TABLE {} EXCEPT ALL TABLE {}) d")
                    row = conn.execute(query.format(left, right)).fetchone()
                    assert row == (0,), f"{table} differs from a rebuild ({left} - {right})"
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def assert_each_event_applied_once(runtime: Runtime) -> None:
    """Per projection, the partitions' tracking applied as many events as the log holds."""
    total = event_count(runtime.store)
    prefix = f"kafka:{runtime.settings.kafka_topic}:"
    with runtime.reads.connection() as conn:
        rows = conn.execute(
            "SELECT projection, sum(applied) FROM projection_tracking "
            "WHERE starts_with(feed, %s) GROUP BY projection",
            (prefix,),
        ).fetchall()
    applied: dict[str, int] = dict(rows)
    for projection in runtime.projections:
        assert applied.get(projection.name) == total, (projection.name, applied, total)


def notification_ids_on_topic(bootstrap: str, topic: str, *, expected: int) -> list[int]:
    """Every notification id on the topic, read from the start of each partition."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ids: list[int] = []
        deadline = time.monotonic() + 60
        while len(set(ids)) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    ids.append(int(dict(record.headers)["notification-id"].decode()))
        return ids
    finally:
        consumer.close()
