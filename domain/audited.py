"""The base of every XunCha aggregate: each event names its tenant and actor and carries the
hash of its predecessor in the same stream, so any later change to history is detectable.

An event of a field step names the field holding the date written on its document
(`document_date`, e.g. a transfer's `transferred_on`): that is its occurredOn, and the aggregate
keeps the latest such date (`last_occurred_on`) and its first event's (`began_on`) for the
rules of `domain.dates`. An event without one (a correction, an erasure, a plan) occurred on
the day it was recorded."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Self, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, CanInitAggregate, CanMutateAggregate
from eventsourcing.utils import get_topic

from domain.audit.hashing import GENESIS_HASH, canonical_record, hash_record
from domain.context import current_actor
from domain.dates import china_day


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
    began_on = cast("date | None", None)  # the document date of the first event
    last_occurred_on = cast("date | None", None)  # the document date of the latest field step
    if TYPE_CHECKING:
        tenant_id: UUID  # the tenant whose stream this is; set by every creation event

    class Event(Aggregate.Event):
        tenant_id: UUID
        actor: str
        prev_hash: str

        document_date = ""  # the field holding the date on its document; "" for none

        def document_day(self) -> date:
            """The date written on the event's document (occurredOn); without one, or in an
            event stored before it was kept, the China day of its timestamp."""
            given = self.__dict__.get(self.document_date) if self.document_date else None
            return given if isinstance(given, date) else china_day(self.timestamp)

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            aggregate.head_hash = event_hash(self)
            if aggregate.began_on is None:
                aggregate.began_on = self.document_day()
            if self.document_date:
                aggregate.last_occurred_on = self.document_day()
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
