"""The event store as the simulation drives it: the services' commands are the real ones, but
their saves are held back and recorded together, up to `MAX_EVENTS_PER_SAVE` events in one
`save` (eventsourcing's Postgres recorder locks the table once per save), and aggregates the
simulation touches again are kept in memory instead of being read back.

The store answers `exists` from an index of stored stream versions read once at start, plus
what it holds: the simulation must be the only writer of its city while it runs.

Saves happen only between chunks (`flush`), so every chunk is in the store whole or not at all;
that is what lets an interrupted run resume (see `runner`). A flush takes the held events off
their aggregates at once and hands them to one saving thread, so the database writes one
group while the next chunks run; groups are saved one after the other, in order."""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from psycopg import sql

from domain.audited import AuditedAggregate
from domain.errors import Conflict, NotFound
from infrastructure.store import A, EventStore

MAX_EVENTS_PER_SAVE = 150
CACHE_SIZE = 40_000  # aggregates kept after they are saved (units, schedules, open rounds…)


class BufferedStore(EventStore):
    name = EventStore.name  # eventsourcing names tables after the application: the same ones

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env=env)
        self.versions = self._stored_versions()
        self.pending: dict[UUID, AuditedAggregate] = {}
        self.in_flight: dict[UUID, AuditedAggregate] = {}  # handed to the saving thread
        self.saving: Future[int] | None = None
        self.saving_events = 0
        self.saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="simulation-save")
        self.cache: OrderedDict[UUID, AuditedAggregate] = OrderedDict()
        self.position = self.max_position()
        self.saved_events = 0

    def _stored_versions(self) -> dict[UUID, int]:
        """Every stored stream and its last version, in one query."""
        recorder: Any = self.recorder
        table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
        query = sql.SQL(
            "SELECT originator_id, max(originator_version) AS version FROM {} "
            "GROUP BY originator_id"
        ).format(table)
        with recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            return {row["originator_id"]: row["version"] for row in cur.execute(query)}

    # -- what the services call ---------------------------------------------------------------

    def load(self, aggregate_class: type[A], aggregate_id: UUID, *, what: str) -> A:
        held = (
            self.pending.get(aggregate_id)
            or self.in_flight.get(aggregate_id)
            or self.cache.get(aggregate_id)
        )
        if held is None:
            held = super().load(aggregate_class, aggregate_id, what=what)
            self._keep(held)
        elif not isinstance(held, aggregate_class):
            raise NotFound(f"No {what} with id {aggregate_id}", id=str(aggregate_id))
        elif aggregate_id in self.cache:
            self.cache.move_to_end(aggregate_id)
        return cast(A, held)

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.pending or aggregate_id in self.versions

    def record(self, *aggregates: AuditedAggregate) -> int:
        for aggregate in aggregates:
            self.pending[aggregate.id] = aggregate
            self._keep(aggregate)
        return self.position

    # -- what the runner calls ----------------------------------------------------------------

    def version(self, aggregate_id: UUID) -> int:
        """The aggregate's version, held or stored; 0 when it does not exist."""
        held = self.pending.get(aggregate_id)
        return held.version if held is not None else self.versions.get(aggregate_id, 0)

    def stored_version(self, aggregate_id: UUID) -> int:
        return self.versions.get(aggregate_id, 0)

    @property
    def pending_events(self) -> int:
        return sum(len(a.pending_events) for a in self.pending.values())

    def flush(self) -> int:
        """Hand everything held back to the saving thread, as one save, once the previous
        save is done; how many events that is."""
        self.wait()
        if not self.pending:
            return 0
        events = [event for a in self.pending.values() for event in a.collect_events()]
        for aggregate in self.pending.values():
            self.versions[aggregate.id] = aggregate.version
        self.in_flight, self.pending = self.pending, {}
        self.saving_events = len(events)
        self.saving = self.saver.submit(self._save, events)
        return len(events)

    def _save(self, events: list[Any]) -> int:
        try:
            recordings = self.save(*events)
        except IntegrityError:
            raise Conflict("Another change was recorded first; reload and try again") from None
        return recordings[-1].notification.id

    def wait(self) -> None:
        """Until the save in progress is done; its failure is raised here."""
        if self.saving is None:
            return
        saving, self.saving = self.saving, None
        self.position = saving.result()
        self.saved_events += self.saving_events
        self.in_flight = {}

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.saver.shutdown()
            super().close()

    def discard(self) -> None:
        """Forget what was held back, as an interruption would."""
        for aggregate_id in self.pending:
            self.cache.pop(aggregate_id, None)
        self.pending.clear()

    def _keep(self, aggregate: AuditedAggregate) -> None:
        """Keep the aggregate, forgetting the least recently used beyond `CACHE_SIZE` (one
        held back stays reachable through `pending`)."""
        self.cache[aggregate.id] = aggregate
        self.cache.move_to_end(aggregate.id)
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
