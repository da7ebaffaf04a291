"""Tracking: how far each projection has applied the log, written in the same transaction as
the read-model change, so an event is applied exactly once whatever restarts or redelivers."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from psycopg import Connection

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
"""

LOG_FEED = "log"


def install(conn: Connection[Any], projections: Iterable[Projection]) -> None:
    """Create the tracking table and every projection's tables (idempotent)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.install'))")
        conn.execute(DDL)
        for projection in projections:
            conn.execute(projection.ddl)


def apply_batch(
    conn: Connection[Any],
    projection: Projection,
    batch: Sequence[tuple[int, object]],
    *,
    feed: str = LOG_FEED,
) -> int:
    """Apply `(position, event)` pairs past the tracked position in one transaction; return
    how many were applied. Positions at or below the tracked one are already in the view."""
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
        tracked = row[0] if row else 0
        fresh = [(position, event) for position, event in batch if position > tracked]
        for position, event in fresh:
            projection.apply(event, cur, position)
        if fresh:
            cur.execute(
                "UPDATE projection_tracking SET position = %s, applied = applied + %s, "
                "updated_at = now() WHERE projection = %s AND feed = %s",
                (fresh[-1][0], len(fresh), projection.name, feed),
            )
        return len(fresh)


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
