"""The embedded feed: follows the event store's notification log in-process and hands each
batch of events to every projection that is not stopped, each in its own transaction, so one
that fails (and parks the event) holds up no other. Woken by LISTEN/NOTIFY; a short timeout
backs it up, and also notices a stopped projection being retried."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from psycopg import sql
from psycopg_pool import ConnectionPool

from infrastructure.store import EventStore
from projections import tracking
from projections.base import Projection

log = logging.getLogger(__name__)


class LogFeed:
    def __init__(
        self,
        store: EventStore,
        pool: ConnectionPool,
        projections: Sequence[Projection],
        *,
        batch_size: int = 500,
    ) -> None:
        self.store = store
        self.pool = pool
        self.projections = list(projections)
        self.batch_size = batch_size
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def catch_up(self) -> int:
        """Apply everything recorded so far; return how many events were read."""
        read = 0
        while True:
            running = self._running()
            batch = self._next_batch(running)
            if not batch:
                return read
            with self.pool.connection() as conn:
                for projection in running:
                    tracking.apply_or_park(conn, projection, batch)
            read += len(batch)

    def _running(self) -> list[Projection]:
        with self.pool.connection() as conn:
            stopped = tracking.stopped(conn)
        return [p for p in self.projections if p.name not in stopped]

    def _next_batch(self, running: Sequence[Projection]) -> list[tuple[int, object]]:
        if not running:
            return []
        with self.pool.connection() as conn:
            reached = tracking.positions(conn)
        start = min(reached.get(p.name, 0) for p in running)
        notifications = self.store.recorder.select_notifications(
            start=start, limit=self.batch_size, inclusive_of_start=False
        )
        return [(n.id, self.store.mapper.to_domain_event(n)) for n in notifications]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="xuncha-log-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        channel = sql.Identifier(self.store.recorder.channel_name)  # type: ignore[attr-defined]
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                with self.pool.connection() as listener:
                    listener.execute(sql.SQL("LISTEN {}").format(channel))
                    while not self._stopping.is_set():
                        self.catch_up()
                        backoff = 0.5
                        for _ in listener.notifies(timeout=1.0, stop_after=1):
                            pass
                    listener.execute(sql.SQL("UNLISTEN {}").format(channel))
            except Exception:
                log.exception("projection feed failed; retrying in %.1f s", backoff)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 30.0)
