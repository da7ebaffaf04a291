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

import gc
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from typing import Any

import psycopg
from psycopg import Connection, sql

from infrastructure.feeds.plant import Plant
from infrastructure.feeds.workers import feed_name
from projections import tracking
from projections.base import Projection

log = logging.getLogger(__name__)

# Events per transaction: big enough that a batch's round trips and commit cost little.
BATCH_SIZE = 2000
# Allocations between the collector's youngest-generation passes while rebuilding (Python's
# default is 700). A rebuild allocates millions of short-lived objects, freed by reference
# counting, beside a growing set of long-lived ones (a sole writer's in-memory state): with
# the default, collecting took about 15% of a one-year city's rebuild, and more the longer the
# log.
REBUILD_GC_THRESHOLD = 50_000
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
    batch_size: int = BATCH_SIZE,
) -> Rebuilt:
    """Rebuild one projection (see `rebuild_all`)."""
    return rebuild_all(runtime, [projection], progress=progress, batch_size=batch_size)[0]


def rebuild_all(
    runtime: Plant,
    projections: Sequence[Projection],
    *,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[Rebuilt]:
    """Rebuild `projections` from one read of the log: each batch is read and decoded once
    and applied to every shadow, one transaction per projection and batch; then each
    projection catches up and switches on its own, as `rebuild` describes."""
    if not projections:
        return []
    with ExitStack() as stack:
        stack.enter_context(_fewer_collections())
        shadows = [stack.enter_context(_shadow_session(runtime, p)) for p in projections]
        total = runtime.store.max_position()
        done = _catch_up_together(runtime, shadows, total, progress, batch_size)
        for shadow in shadows:
            _restore_indexes(shadow)
        feeds = _feeds(runtime)
        return [_switch(runtime, shadow, feeds, done, progress, batch_size) for shadow in shadows]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The objects that exist now are left out of collections (`gc.freeze`), and the youngest
    generation is collected less often, until the rebuild is done (the process's settings,
    restored after)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(REBUILD_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@dataclass(frozen=True)
class _Shadow:
    projection: Projection
    conn: Connection[Any]
    # What creates the indexes left out while the shadow fills (see `_defer_indexes`).
    deferred_indexes: tuple[str, ...] = ()

    @property
    def schema(self) -> str:
        return f"xuncha_rebuild_{self.projection.name}"

    @property
    def retired(self) -> str:
        return f"xuncha_retired_{self.projection.name}"


@contextmanager
def _shadow_session(runtime: Plant, projection: Projection) -> Iterator[_Shadow]:
    """A connection of its own per projection, holding its rebuild lock, whose unqualified
    names resolve to its empty shadow tables."""
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
        key = f"xuncha.rebuild:{projection.name}"
        row = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (key,)).fetchone()
        if not (row and row[0]):
            raise RuntimeError(f"{projection.name} is being rebuilt by another process")
        shadow = _Shadow(projection.for_rebuild(), conn)
        # The shadow is thrown away if the server stops before the switch, so its batches
        # need not wait for the disk; the switch itself commits durably.
        conn.execute("SET synchronous_commit TO off")
        _drop_schema(conn, shadow.retired)
        _prepare_shadow(conn, projection, shadow.schema)
        yield replace(shadow, deferred_indexes=_defer_indexes(conn, shadow.schema))


def _defer_indexes(conn: Connection[Any], schema: str) -> tuple[str, ...]:
    """Drop the shadow's indexes that enforce nothing (neither unique nor a constraint's) and
    return what recreates them: built once over the filled tables, they cost a fraction of
    keeping each up to date through every row the rebuild writes. The rebuild's statements
    find rows by their keys, which stay indexed."""
    rows = conn.execute(
        "SELECT x.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = %s AND NOT i.indisunique AND NOT EXISTS "
        "(SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        (schema,),
    ).fetchall()
    with conn.transaction():
        for name, _ in rows:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(schema, name)))
    return tuple(definition for _, definition in rows)


def _restore_indexes(shadow: _Shadow) -> None:
    with shadow.conn.transaction():
        for definition in shadow.deferred_indexes:
            shadow.conn.execute(sql.SQL(definition))


def _catch_up_together(
    runtime: Plant,
    shadows: Sequence[_Shadow],
    total: int,
    progress: Progress | None,
    batch_size: int,
) -> int:
    """Read the log once up to `total` or more, applying each batch to every shadow."""
    done = 0
    position = min(_shadow_position(s.conn, s.projection) for s in shadows)
    while notifications := runtime.store.recorder.select_notifications(
        start=position, limit=batch_size, inclusive_of_start=False
    ):
        batch = [(n.id, runtime.store.mapper.to_domain_event(n)) for n in notifications]
        # Every shadow's pipeline stays open until the batch was sent to all: each server
        # process applies its projection's statements while the next projection's are made.
        with ExitStack() as pipelines:
            for shadow in shadows:
                pipelines.enter_context(shadow.conn.pipeline())
                tracking.apply_batch(shadow.conn, shadow.projection, batch)
        done += len(batch)
        position = batch[-1][0]
        if progress is not None:
            progress(done, max(total, done))
    return done


def _apply_pipelined(
    conn: Connection[Any], projection: Projection, batch: Sequence[tuple[int, object]]
) -> None:
    """Apply the batch sending statements without waiting for each one's answer (the
    connection waits only where a projection reads a result)."""
    with conn.pipeline():
        tracking.apply_batch(conn, projection, batch)


def _switch(
    runtime: Plant,
    shadow: _Shadow,
    feeds: set[str],
    done: int,
    progress: Progress | None,
    batch_size: int,
) -> Rebuilt:
    conn, projection = shadow.conn, shadow.projection
    conn.execute("SET synchronous_commit TO DEFAULT")
    with conn.transaction():
        live = _lock_live_tracking(conn, projection)
        head = runtime.store.max_position()
        done = _catch_up(runtime, conn, projection, done, head, progress, batch_size)
        position = _shadow_position(conn, projection)
        _swap_tables(conn, projection, shadow=shadow.schema, retired=shadow.retired)
        _point_tracking(conn, projection, feeds | set(live), position)
        tracking.record_hash(conn, projection)
    conn.execute("SET search_path TO DEFAULT")
    _drop_schema(conn, shadow.schema)
    _drop_schema(conn, shadow.retired)
    log.info("rebuilt %s from %d events, up to position %d", projection.name, done, position)
    return Rebuilt(projection=projection.name, position=position, events=done)


def build_copy(runtime: Plant, projection: Projection, schema: str) -> int:
    """Build the projection's tables from the whole event store in `schema` (replaced if it
    exists), without switching; return the position reached. What a rebuild would produce."""
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
        _prepare_shadow(conn, projection, schema)
        _catch_up(runtime, conn, projection, 0, 0, None, BATCH_SIZE)
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
        _apply_pipelined(conn, projection, batch)
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
