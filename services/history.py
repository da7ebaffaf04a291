"""Time travel over any aggregate: its history as audit entries, and its state as it stood at
a moment or version, rebuilt from its events in the event store (never from projections).

Each entry carries three times: `occurred_at`, the event's own timestamp (the application's
clock when the command produced it); `occurred_on`, the date written on its document (see
`domain.dates`); and `recorded_at`, when the database recorded it (`infrastructure/recorded_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.audit.hashing import hash_record
from domain.errors import NotFound, ValidationFailed
from infrastructure.recorded_at import recorded_times
from infrastructure.store import EventStore
from services.audit import occurred_on, stored_record

T = TypeVar("T")

# The keys every event carries; what remains of a record is the event's own payload.
ENVELOPE = frozenset(
    {"type", "stream_id", "version", "timestamp", "actor", "tenant_id", "prev_hash"}
)
_NOT_CHANGES = ENVELOPE | {"originator_topic"}


@dataclass(frozen=True)
class AuditEntry:
    """One event of a stream as an auditor reads it; `changes` is its payload in the
    canonical (JSON) form the hash covers."""

    version: int
    type: str
    topic: str
    occurred_at: datetime
    occurred_on: date
    recorded_at: datetime
    actor: str
    tenant_id: str
    reason: str | None
    changes: dict[str, Any]
    hash: str
    prev_hash: str


@dataclass(frozen=True)
class AggregateState:
    """An aggregate as it stood after `version`, with its public attributes."""

    id: UUID
    type: str
    version: int
    created_on: datetime
    modified_on: datetime
    attributes: dict[str, Any]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _entry(record: dict[str, Any], recorded_at: datetime | None) -> AuditEntry:
    topic = str(record["type"])
    occurred = datetime.fromisoformat(record["timestamp"])
    reason = record.get("reason")
    return AuditEntry(
        version=int(record["version"]),
        type=topic.rpartition(":")[2],
        topic=topic,
        occurred_at=occurred,
        occurred_on=occurred_on(record),
        recorded_at=recorded_at or occurred,
        actor=str(record.get("actor", "")),
        tenant_id=str(record.get("tenant_id", "")),
        reason=None if reason is None else str(reason),
        changes={k: v for k, v in record.items() if k not in _NOT_CHANGES},
        hash=hash_record(record),
        prev_hash=str(record.get("prev_hash", "")),
    )


def check_version(aggregate_id: UUID, version: int, head: int, what: str) -> None:
    """Refuse a version the stream does not have."""
    if not 1 <= version <= head:
        raise NotFound(
            f"The {what} {aggregate_id} has no version {version}; its versions are 1 to {head}",
            id=str(aggregate_id),
            version=version,
        )


class History:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def _stored(self, aggregate_id: UUID, what: str) -> list[StoredEvent]:
        stored = list(self.store.recorder.select_events(aggregate_id))
        if not stored:
            raise NotFound.no(what, aggregate_id)
        return stored

    def history(self, aggregate_id: UUID, *, what: str = "aggregate") -> list[AuditEntry]:
        """Every event of the stream, oldest first, as audit entries."""
        stored = self._stored(aggregate_id, what)
        recorded = recorded_times(self.store, [aggregate_id])
        return [self._entry(s, recorded) for s in stored]

    def histories(self, aggregate_ids: list[UUID]) -> dict[UUID, list[AuditEntry]]:
        """The histories of many streams, read in two queries; a stream without events is
        left out."""
        found: dict[UUID, list[AuditEntry]] = {}
        recorded = recorded_times(self.store, aggregate_ids)
        for stored in self.store.events_of(aggregate_ids):
            entry = self._entry(stored, recorded)
            found.setdefault(UUID(str(stored.originator_id)), []).append(entry)
        return found

    def _entry(self, s: StoredEvent, recorded: dict[tuple[UUID, int], datetime]) -> AuditEntry:
        record = stored_record(self.store, s.topic, s.originator_id, s.originator_version, s.state)
        return _entry(record, recorded.get((UUID(str(s.originator_id)), s.originator_version)))

    def version_at(self, aggregate_id: UUID, as_of: datetime, *, what: str = "aggregate") -> int:
        """The version the aggregate had at `as_of` (naive means UTC)."""
        moment = _utc(as_of)
        version = 0
        for stored in self._stored(aggregate_id, what):
            event: Any = self.store.mapper.to_domain_event(stored)
            if event.timestamp > moment:
                break
            version = stored.originator_version
        if version == 0:
            raise NotFound(
                f"The {what} {aggregate_id} did not exist yet at {moment.isoformat()}",
                id=str(aggregate_id),
            )
        return version

    def state_as_of(
        self,
        aggregate_id: UUID,
        as_of: datetime | None = None,
        *,
        version: int | None = None,
        kind: type[Any] | None = None,
        what: str = "aggregate",
    ) -> AggregateState:
        """The aggregate rebuilt from its events up to `as_of` or `version` (the latest when
        neither is given; refused when both are, or when it has no such version). `kind`
        restricts what the id may name."""
        if as_of is not None and version is not None:
            raise ValidationFailed("Give asOf or version, not both", field="version")
        stored = self._stored(aggregate_id, what)
        if as_of is not None:
            version = self.version_at(aggregate_id, as_of, what=what)
        elif version is not None:
            check_version(aggregate_id, version, stored[-1].originator_version, what)
        aggregate: Any = self.store.repository.get(aggregate_id, version=version)
        if kind is not None and not isinstance(aggregate, kind):
            raise NotFound.no(what, aggregate_id)
        return AggregateState(
            id=aggregate.id,
            type=type(aggregate).__name__,
            version=aggregate.version,
            created_on=aggregate.created_on,
            modified_on=aggregate.modified_on,
            attributes={k: v for k, v in vars(aggregate).items() if not k.startswith("_")},
        )
