"""Tracking: how far each projection has applied the log, written in the same transaction as
the read-model change, so an event is applied exactly once whatever restarts or redelivers.

Each projection advances alone. An event one projection cannot apply is parked: the events
before it are applied, a `projection_parked` row names the event (by its identifiers, never its
content) and the error, and that projection stops until an operator retries it; the others go
on."""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
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
-- An event a projection could not apply on a feed, while the projection is stopped.
CREATE TABLE IF NOT EXISTS projection_parked (
    projection text NOT NULL,
    feed text NOT NULL,
    position bigint NOT NULL,
    event_topic text NOT NULL,
    originator_id uuid,
    originator_version bigint,
    error_class text NOT NULL,
    error_message text NOT NULL,
    parked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, feed)
);
-- The digest of the DDL and row rules each projection's live tables were made from: when the
-- code's digest differs, `xuncha migrate` rebuilds the projection (see services/migrate.py).
CREATE TABLE IF NOT EXISTS projection_schema (
    projection text PRIMARY KEY,
    ddl_hash text NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now()
);
"""

LOG_FEED = "log"
# Lost connections, timeouts, serialization failures: the feed tries the batch again.
RETRIED = (psycopg.OperationalError, psycopg.InterfaceError)
MAX_ERROR_MESSAGE = 500

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parked:
    projection: str
    feed: str
    position: int
    event_topic: str
    originator_id: UUID | None
    originator_version: int | None
    error_class: str
    error_message: str
    parked_at: datetime


class Unappliable(Exception):
    """The projection raised applying the event at `index` of the batch."""

    def __init__(self, index: int, position: int, event: object, error: Exception) -> None:
        super().__init__(f"the event at position {position} could not be applied")
        self.index = index
        self.position = position
        self.event = event
        self.error = error


def install(conn: Connection[Any], projections: Iterable[Projection]) -> list[Projection]:
    """Create the tracking tables and the tables of every projection not installed yet, with
    the digest of what they were made from (idempotent). Return the projections whose live
    tables were made from other DDL or rules than the code's (or before digests were kept):
    those are left as they are, for `xuncha migrate` to rebuild."""
    row_security.install_reader(conn)
    outdated = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.install'))")
        conn.execute(DDL)
        for projection in projections:
            installed = installed_hash(conn, projection.name)
            if installed is None and not _has_tables(conn, projection):
                create_tables(conn, projection)
                record_hash(conn, projection)
            elif installed != ddl_hash(projection):
                outdated.append(projection)
    return outdated


def _has_tables(conn: Connection[Any], projection: Projection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM unnest(%s::text[]) AS t(name) "
        "WHERE to_regclass('public.' || quote_ident(name)) IS NOT NULL",
        (list(projection.tables),),
    ).fetchone()
    return bool(row and row[0])


def create_tables(conn: Connection[Any], projection: Projection) -> None:
    """The projection's tables, with their row-level security (idempotent)."""
    conn.execute(projection.ddl)
    row_security.protect(conn, projection)


def ddl_hash(projection: Projection) -> str:
    """The digest of what the projection's tables are made from: its DDL and row rules."""
    made_of = json.dumps([projection.ddl, sorted(projection.row_rules.items())])
    return hashlib.sha256(made_of.encode()).hexdigest()


def installed_hash(conn: Connection[Any], name: str) -> str | None:
    """The digest the projection's live tables were made from; None before it was recorded."""
    row = conn.execute(
        "SELECT ddl_hash FROM public.projection_schema WHERE projection = %s", (name,)
    ).fetchone()
    return row[0] if row else None


def record_hash(conn: Connection[Any], projection: Projection) -> None:
    """Record that the projection's live tables are made from its current DDL and rules."""
    conn.execute(
        "INSERT INTO public.projection_schema (projection, ddl_hash) VALUES (%s, %s) "
        "ON CONFLICT (projection) DO UPDATE SET ddl_hash = excluded.ddl_hash, "
        "installed_at = now()",
        (projection.name, ddl_hash(projection)),
    )


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
    try:
        return _apply(conn, projection, batch, feed, offsets, previous, gaps)
    except Unappliable as failure:
        raise failure.error from None


def apply_or_park(
    conn: Connection[Any],
    projection: Projection,
    batch: Sequence[tuple[int, object]],
    *,
    feed: str = LOG_FEED,
    offsets: Sequence[int] | None = None,
    previous: Sequence[int] | None = None,
    gaps: list[int] | None = None,
) -> int:
    """As `apply_batch`, except that an event the projection cannot apply is parked: in one
    transaction the events before it are applied and the parked row written, which stops the
    projection. Lost connections and the like are raised, for the feed to try again."""
    found: list[int] = [] if gaps is None else gaps
    mark = len(found)
    try:
        return _apply(conn, projection, batch, feed, offsets, previous, found)
    except Unappliable as failure:
        unappliable = failure
    del found[mark:]
    stop = unappliable.index
    with conn.transaction():
        applied = _apply(
            conn,
            projection,
            batch[:stop],
            feed,
            None if offsets is None else offsets[:stop],
            None if previous is None else previous[:stop],
            found,
        )
        _park(conn, projection.name, feed, unappliable)
    log.error(
        "projection %s stopped: the event at position %d on feed %s raised %s; it is parked "
        "until `xuncha projections retry %s`",
        projection.name,
        unappliable.position,
        feed,
        _class_name(unappliable.error),
        projection.name,
    )
    return applied


def _apply(
    conn: Connection[Any],
    projection: Projection,
    batch: Sequence[tuple[int, object]],
    feed: str,
    offsets: Sequence[int] | None,
    previous: Sequence[int] | None,
    gaps: list[int] | None,
) -> int:
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
        apply = projection.apply  # bound once: each lookup builds a new dispatching method
        handles = _handled_types(projection)
        for index, (position, event) in enumerate(batch):
            if position <= reached:
                continue
            if previous is not None and previous[index] > reached:
                if gaps is not None:
                    gaps.append(position)
                continue
            try:
                if handles(type(event)):
                    apply(event, cur, position)
            except RETRIED:
                raise
            except Exception as error:
                raise Unappliable(index, position, event, error) from error
            reached, applied = position, applied + 1
            if offsets is not None:
                last_offset = offsets[index]
        projection.flush(cur)
        if applied:
            cur.execute(
                "UPDATE projection_tracking SET position = %s, applied = applied + %s, "
                "source_offset = coalesce(%s, source_offset), updated_at = now() "
                "WHERE projection = %s AND feed = %s",
                (reached, applied, last_offset, projection.name, feed),
            )
        return applied


def _handled_types(projection: Projection) -> Callable[[type], bool]:
    """Whether the projection has a handler of its own for an event type; an event that
    would reach its `singledispatchmethod`'s default (every view passes those over) is not
    dispatched at all: most events concern few views, and a rebuild dispatched each event to
    all of them."""
    method = inspect.getattr_static(type(projection), "apply", None)
    if not isinstance(method, functools.singledispatchmethod):
        return lambda _: True
    dispatcher = method.dispatcher
    passed_over = dispatcher.registry[object]
    known: dict[type, bool] = {}

    def handles(kind: type) -> bool:
        found = known.get(kind)
        if found is None:
            found = known[kind] = dispatcher.dispatch(kind) is not passed_over
        return found

    return handles


def _park(conn: Connection[Any], name: str, feed: str, failure: Unappliable) -> None:
    event = failure.event
    kind = type(event)
    conn.execute(
        "INSERT INTO projection_parked (projection, feed, position, event_topic, originator_id, "
        "originator_version, error_class, error_message) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (projection, feed) DO UPDATE SET position = excluded.position, "
        "event_topic = excluded.event_topic, originator_id = excluded.originator_id, "
        "originator_version = excluded.originator_version, error_class = excluded.error_class, "
        "error_message = excluded.error_message, parked_at = now()",
        (
            name,
            feed,
            failure.position,
            f"{kind.__module__}:{kind.__qualname__}",
            getattr(event, "originator_id", None),
            getattr(event, "originator_version", None),
            _class_name(failure.error),
            str(failure.error)[:MAX_ERROR_MESSAGE],
        ),
    )


def _class_name(error: Exception) -> str:
    kind = type(error)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def parked(conn: Connection[Any]) -> list[Parked]:
    """Every parked event, by projection and feed."""
    rows = conn.execute(
        "SELECT projection, feed, position, event_topic, originator_id, originator_version, "
        "error_class, error_message, parked_at FROM projection_parked ORDER BY projection, feed"
    ).fetchall()
    return [Parked(*row) for row in rows]


def stopped(conn: Connection[Any]) -> set[str]:
    """The projections stopped at a parked event: the feeds pass them over until retried."""
    rows = conn.execute("SELECT DISTINCT projection FROM projection_parked").fetchall()
    return {name for (name,) in rows}


def blocking(conn: Connection[Any], names: Sequence[str], position: int) -> list[Parked]:
    """The parked events that keep one of `names` from reaching `position`."""
    return [p for p in parked(conn) if p.projection in names and p.position <= position]


def retry(conn: Connection[Any], name: str) -> int:
    """Clear the projection's parked events: the feeds apply them again (and park again an
    event that still fails). How many were parked."""
    cursor = conn.execute("DELETE FROM projection_parked WHERE projection = %s", (name,))
    return cursor.rowcount


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
    """Whether every projection in `names` reached `position` within `timeout` seconds; no
    sooner than that when one of them is stopped short of it (see `blocking`)."""
    deadline = time.monotonic() + timeout
    while True:
        reached = positions(conn, feed)
        if all(reached.get(name, 0) >= position for name in names):
            return True
        if blocking(conn, names, position) or time.monotonic() >= deadline:
            return False
        time.sleep(interval)
