"""Tracking: how far each projection has applied the log, written in the same transaction as
the read-model change, so an event is applied exactly once whatever restarts or redelivers."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from psycopg import Connection

from projections import row_security
from projections.base import Projection

DDL = """
CREATE TABLE IF NOT EXISTS projection_tracking (
    projection text NOT NULL,
    feed text NOT NULL,
    position bigint NOT NULL,
    applied bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, feed)
);
-- A Kafka feed also keeps the offset of the message whose notification id is `position`, so a
-- worker that takes over a partition resumes there (and can check that message still holds it).
ALTER TABLE projection_tracking ADD COLUMN IF NOT EXISTS source_offset bigint;
"""

LOG_FEED = "log"


def install(conn: Connection[Any], projections: Iterable[Projection]) -> None:
    """Create the tracking table and every projection's tables (idempotent)."""
    row_security.install_reader(conn)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.install'))")
        conn.execute(DDL)
        for projection in projections:
            create_tables(conn, projection)


def create_tables(conn: Connection[Any], projection: Projection) -> None:
    """The projection's tables, with their row-level security (idempotent)."""
    conn.execute(projection.ddl)
    row_security.protect(conn, projection)


def apply_batch(
    conn: Connection[Any],
    projection: Projection,
    batch: Sequence[tuple[int, object]],
    *,
    feed: str = LOG_FEED,
    offsets: Sequence[int] | None = None,
    previous: Sequence[int] | None = None,
    gaps: list[int] | None = None,
) -> int:
    """Apply `(position, event)` pairs past the tracked position in one transaction; return
    how many were applied. Positions at or below the tracked one are already in the view, and
    so is a position repeated later in the same batch (a Kafka partition may hold an event
    twice after the relay republished). `offsets`, aligned with `batch`, are the Kafka offsets
    of a partition feed; the offset of the last applied event is tracked with its position.
    `previous`, also aligned, names for each event the position published before it on the same
    feed: an event whose predecessor is not applied yet is passed over (its position added to
    `gaps`). A relay whose delivery failed part-way publishes the missing event and everything
    after it again, so what was passed over comes back in order."""
    if not batch:
        return 0
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "INSERT INTO projection_tracking (projection, feed, position) VALUES (%s, %s, 0) "
            "ON CONFLICT DO NOTHING",
            (projection.name, feed),
        )
        row = cur.execute(
            "SELECT position FROM projection_tracking WHERE projection = %s AND feed = %s "
            "FOR UPDATE",
            (projection.name, feed),
        ).fetchone()
        reached = row[0] if row else 0
        applied, last_offset = 0, None
        for index, (position, event) in enumerate(batch):
            if position <= reached:
                continue
            if previous is not None and previous[index] > reached:
                if gaps is not None:
                    gaps.append(position)
                continue
            projection.apply(event, cur, position)
            reached, applied = position, applied + 1
            if offsets is not None:
                last_offset = offsets[index]
        if applied:
            cur.execute(
                "UPDATE projection_tracking SET position = %s, applied = applied + %s, "
                "source_offset = coalesce(%s, source_offset), updated_at = now() "
                "WHERE projection = %s AND feed = %s",
                (reached, applied, last_offset, projection.name, feed),
            )
        return applied


def positions(conn: Connection[Any], feed: str = LOG_FEED) -> dict[str, int]:
    rows = conn.execute(
        "SELECT projection, position FROM projection_tracking WHERE feed = %s", (feed,)
    ).fetchall()
    return {name: position for name, position in rows}


def progress(conn: Connection[Any], feed: str = LOG_FEED) -> dict[str, dict[str, int]]:
    """Per projection: the position reached and how many events it has applied in all."""
    rows = conn.execute(
        "SELECT projection, position, applied FROM projection_tracking WHERE feed = %s", (feed,)
    ).fetchall()
    return {name: {"position": position, "applied": applied} for name, position, applied in rows}


def wait_for(
    conn: Connection[Any],
    names: Sequence[str],
    position: int,
    *,
    timeout: float,
    feed: str = LOG_FEED,
    interval: float = 0.02,
) -> bool:
    """Whether every projection in `names` reached `position` within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        reached = positions(conn, feed)
        if all(reached.get(name, 0) >= position for name in names):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
