"""Writes held for one batch (a unit of work). Inside `holding(store)`, the event store keeps
every aggregate it loads for the rest of the batch (a batch of registrations reads its office,
unit and configuration once, not once per item), and holds what the services record instead of
saving it; the batch saves the held events in chunks (`HeldWrites.flush`), each chunk one
transaction together with whatever must commit with it.

A command that fails after changing an aggregate it loaded leaves that aggregate with events
nobody recorded: `forget_unrecorded` drops such aggregates, so the next item reads them again.
If a chunk's save fails (another writer changed one of its aggregates meanwhile), everything
kept is forgotten: the batch runs that chunk's items again, one at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.audited import AuditedAggregate

if TYPE_CHECKING:
    from infrastructure.store import Alongside, EventStore

UNSAVED = 0  # the position `EventStore.record` answers for writes a batch holds

Get = Callable[[UUID], AuditedAggregate | None]

_holding: ContextVar[HeldWrites | None] = ContextVar("xuncha_held_writes", default=None)


def current(store: EventStore) -> HeldWrites | None:
    """The writes held for `store` in this context, if a batch holds them."""
    held = _holding.get()
    return held if held is not None and held.store is store else None


@contextmanager
def holding(store: EventStore) -> Iterator[HeldWrites]:
    held = HeldWrites(store)
    token = _holding.set(held)
    try:
        yield held
    finally:
        _holding.reset(token)


class HeldWrites:
    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.known: dict[UUID, AuditedAggregate | None] = {}  # None: it does not exist
        self.events: list[Any] = []
        self.item_marks: list[tuple[UUID, int]] = []  # (stream, version) the item recorded

    def load(self, aggregate_id: UUID, get: Get) -> AuditedAggregate | None:
        if aggregate_id not in self.known:
            self.known[aggregate_id] = get(aggregate_id)
        return self.known[aggregate_id]

    def exists(self, aggregate_id: UUID, get: Get) -> bool:
        return self.load(aggregate_id, get) is not None

    def preload(self, aggregate_ids: Iterable[UUID]) -> None:
        """Load, in one query, those of `aggregate_ids` not known yet; know the rest absent."""
        wanted = list({a for a in aggregate_ids if a not in self.known})
        found = self.store.load_many(wanted) if wanted else {}
        self.known.update((a, found.get(a)) for a in wanted)

    def begin_item(self) -> None:
        self.item_marks = []

    def hold(self, aggregates: Sequence[AuditedAggregate]) -> None:
        for aggregate in aggregates:
            events = aggregate.collect_events()
            self.events.extend(events)
            self.known[aggregate.id] = aggregate
            if events:
                self.item_marks.append((aggregate.id, aggregate.version))

    def forget_unrecorded(self) -> bool:
        """Drop aggregates changed but not recorded (by a command that failed); whether one
        of them has held events, which must then be saved before it is read again."""
        changed = [a for a, kept in self.known.items() if kept is not None and kept.pending_events]
        for aggregate_id in changed:
            del self.known[aggregate_id]
        streams = {event.originator_id for event in self.events}
        return any(aggregate_id in streams for aggregate_id in changed)

    def flush(self, alongside: Sequence[Alongside] = ()) -> dict[tuple[UUID, int], int]:
        """Save the held events with `alongside` in one transaction; each event's position by
        (stream, version). On failure nothing is saved and nothing kept."""
        events, self.events = self.events, []
        try:
            return self.store.save_with(events, alongside)
        except BaseException:
            self.known.clear()
            raise
