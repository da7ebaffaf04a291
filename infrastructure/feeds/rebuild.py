"""Rebuild a projection without downtime: build a fresh copy of its tables from the event store
in a shadow schema (same unqualified table names, reached through `search_path`), catch up, and
switch in one transaction. Queries keep answering from the live tables throughout; during the
switch they wait a moment on the table lock and then read the new tables (Postgres resolves a
table name again after waiting for its lock).

The switch, in one transaction on the rebuilding connection:
1. lock the live tracking rows of the projection, so the feed or the Kafka workers pause it;
2. apply to the shadow whatever was recorded meanwhile, up to the head of the log, H;
3. move the live tables into a retired schema and the shadow tables into `public`;
4. set every tracking row of the projection (the log feed, or each Kafka partition) to H:
   every event up to H is in the new tables, and the feed or workers go on after H; an event
   it had parked is among them, so a stopped projection runs again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import Connection, sql

from infrastructure.feeds.plant import Plant
from infrastructure.feeds.workers import feed_name
from projections import tracking
from projections.base import Projection

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (events read so far, events to read in all)


@dataclass(frozen=True)
class Rebuilt:
    projection: str
    position: int
    events: int


def find_projection(runtime: Plant, name: str) -> Projection:
    for projection in runtime.projections:
        if projection.name == name:
            return projection
    known = ", ".join(p.name for p in runtime.projections)
    raise LookupError(f"No projection named {name!r}; known: {known}")


def rebuild(
    runtime: Plant,
    projection: Projection,
    *,
    progress: Progress | None = None,
    batch_size: int = 1000,
) -> Rebuilt:
    shadow = f"xuncha_rebuild_{projection.name}"
    retired = f"xuncha_retired_{projection.name}"
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
        key = f"xuncha.rebuild:{projection.name}"
        row = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (key,)).fetchone()
        if not (row and row[0]):
            raise RuntimeError(f"{projection.name} is being rebuilt by another process")
        _drop_schema(conn, retired)
        _prepare_shadow(conn, projection, shadow)
        total = runtime.store.max_position()
        done = _catch_up(runtime, conn, projection, 0, total, progress, batch_size)
        feeds = _feeds(runtime)
        with conn.transaction():
            live = _lock_live_tracking(conn, projection)
            head = runtime.store.max_position()
            done = _catch_up(runtime, conn, projection, done, head, progress, batch_size)
            position = _shadow_position(conn, projection)
            _swap_tables(conn, projection, shadow=shadow, retired=retired)
            _point_tracking(conn, projection, feeds | set(live), position)
            tracking.record_hash(conn, projection)
        conn.execute("SET search_path TO DEFAULT")
        _drop_schema(conn, shadow)
        _drop_schema(conn, retired)
    log.info("rebuilt %s from %d events, up to position %d", projection.name, done, position)
    return Rebuilt(projection=projection.name, position=position, events=done)


def build_copy(runtime: Plant, projection: Projection, schema: str) -> int:
    """Build the projection's tables from the whole event store in `schema` (replaced if it
    exists), without switching; return the position reached. What a rebuild would produce."""
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
        _prepare_shadow(conn, projection, schema)
        _catch_up(runtime, conn, projection, 0, 0, None, 1000)
        return _shadow_position(conn, projection)


def _drop_schema(conn: Connection[Any], schema: str) -> None:
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _prepare_shadow(conn: Connection[Any], projection: Projection, shadow: str) -> None:
    """An empty copy of the projection's tables and a tracking table in schema `shadow`, which
    this session's unqualified names resolve to from now on."""
    _drop_schema(conn, shadow)
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(shadow)))
    conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(shadow)))
    with conn.transaction():
        conn.execute(tracking.DDL)
        tracking.create_tables(conn, projection)


def _catch_up(
    runtime: Plant,
    conn: Connection[Any],
    projection: Projection,
    done: int,
    total: int,
    progress: Progress | None,
    batch_size: int,
) -> int:
    """Apply the log to the shadow tables (search_path) until it reached `total` or more."""
    while True:
        start = _shadow_position(conn, projection)
        notifications = runtime.store.recorder.select_notifications(
            start=start, limit=batch_size, inclusive_of_start=False
        )
        if not notifications:
            return done
        batch = [(n.id, runtime.store.mapper.to_domain_event(n)) for n in notifications]
        tracking.apply_batch(conn, projection, batch)
        done += len(batch)
        if progress is not None:
            progress(done, max(total, done))


def _shadow_position(conn: Connection[Any], projection: Projection) -> int:
    return tracking.positions(conn).get(projection.name, 0)


def _lock_live_tracking(conn: Connection[Any], projection: Projection) -> list[str]:
    rows = conn.execute(
        "SELECT feed FROM public.projection_tracking WHERE projection = %s FOR UPDATE",
        (projection.name,),
    ).fetchall()
    return [feed for (feed,) in rows]


def _swap_tables(
    conn: Connection[Any], projection: Projection, *, shadow: str, retired: str
) -> None:
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(retired)))
    for table in projection.tables:
        conn.execute(
            sql.SQL("ALTER TABLE IF EXISTS public.{} SET SCHEMA {}").format(
                sql.Identifier(table), sql.Identifier(retired)
            )
        )
        conn.execute(
            sql.SQL("ALTER TABLE {}.{} SET SCHEMA public").format(
                sql.Identifier(shadow), sql.Identifier(table)
            )
        )


def _feeds(runtime: Plant) -> set[str]:
    """The feeds of this mode: the log, or every partition of the topic (an event up to the
    switch may still be on its way to a partition that has no tracking row yet, and must not
    be applied a second time there)."""
    if not runtime.settings.kafka_bootstrap:
        return {tracking.LOG_FEED}
    from kafka import KafkaConsumer

    topic = runtime.settings.kafka_topic
    consumer = KafkaConsumer(bootstrap_servers=runtime.settings.kafka_bootstrap)
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
    finally:
        consumer.close()
    return {feed_name(topic, partition) for partition in partitions}


def _point_tracking(
    conn: Connection[Any], projection: Projection, feeds: set[str], position: int
) -> None:
    """Every tracking row of the projection now says: applied through `position`; and no
    event of it is parked any more (the rebuild applied every one up to there)."""
    for feed in sorted(feeds):
        conn.execute(
            "INSERT INTO public.projection_tracking (projection, feed, position) "
            "VALUES (%s, %s, %s) ON CONFLICT (projection, feed) DO UPDATE SET "
            "position = excluded.position, updated_at = now()",
            (projection.name, feed, position),
        )
    conn.execute("DELETE FROM public.projection_parked WHERE projection = %s", (projection.name,))


def rebuild_positions(conn: Connection[Any], names: list[str]) -> dict[str, int]:
    """Per projection being rebuilt (by any process): the log position its shadow tables
    reached. A shadow locked by the switch is left out rather than waited for."""
    reached: dict[str, int] = {}
    for name in names:
        table = f"xuncha_rebuild_{name}.projection_tracking"
        try:
            with conn.transaction():
                conn.execute("SET LOCAL lock_timeout = '200ms'")
                if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone() == (None,):
                    continue
                row = conn.execute(
                    sql.SQL("SELECT max(position) FROM {} WHERE projection = %s").format(
                        sql.Identifier(f"xuncha_rebuild_{name}", "projection_tracking")
                    ),
                    (name,),
                ).fetchone()
        except (psycopg.errors.LockNotAvailable, psycopg.errors.UndefinedTable):
            continue  # switching, or just finished
        reached[name] = int(row[0]) if row and row[0] is not None else 0
    return reached
