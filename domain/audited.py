"""The base of every XunCha aggregate: each event names its tenant and actor and carries the
hash of its predecessor in the same stream, so any later change to history is detectable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate
from eventsourcing.utils import get_topic

from domain.audit.hashing import GENESIS_HASH, canonical_record, hash_record
from domain.context import current_actor


def event_hash(event: Any) -> str:
    """The hash of one event under the documented rule (see `domain.audit.hashing`)."""
    record = canonical_record(
        get_topic(type(event)), event.originator_id, event.originator_version, vars(event)
    )
    return hash_record(record)


class AuditedAggregate(Aggregate):
    """An aggregate whose events form a hash chain and carry tenant and actor."""

    # Plain class attributes, not annotations: eventsourcing turns annotated aggregate
    # attributes into constructor fields.
    head_hash = GENESIS_HASH
    if TYPE_CHECKING:
        tenant_id: UUID  # the tenant whose stream this is; set by every creation event

    class Event(Aggregate.Event):
        tenant_id: UUID
        actor: str
        prev_hash: str

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            aggregate.head_hash = event_hash(self)
            return aggregate

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def _create(
        cls,
        event_class: type[CanInitAggregate[UUID]],
        *,
        id: UUID | None = None,
        **kwargs: Any,
    ) -> Self:
        kwargs.setdefault("actor", current_actor())
        kwargs.setdefault("prev_hash", GENESIS_HASH)
        return super()._create(event_class, id=id, **kwargs)

    def trigger_event(self, event_class: type[CanMutateAggregate[UUID]], **kwargs: Any) -> None:
        kwargs.setdefault("tenant_id", self.tenant_id)
        kwargs.setdefault("actor", current_actor())
        kwargs.setdefault("prev_hash", self.head_hash)
        super().trigger_event(event_class, **kwargs)
