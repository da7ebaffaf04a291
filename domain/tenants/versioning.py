"""Upcasting that keeps the hash chain intact (see docs/EVENTS.md).

An upcaster (`upcast_vN_vN+1`, eventsourcing's convention) turns an event stored in an older
shape into the current one. The hash of that event was computed over the form it was stored
in, and the next event of the stream carries that hash as `prev_hash`; so after upcasting,
the aggregate's head hash must still be the hash of the stored form. `mark_upcast` keeps that
form (once, before the first upcaster changes anything) and `HashPreservingUpcast` uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.utils import get_topic

from domain.audit.hashing import canonical_record, hash_record

STORED_FORM = "stored_form"
UPCAST_ADDED = "upcast_added"


def mark_upcast(state: dict[str, Any], *, added: Iterable[str]) -> None:
    """Call first in every upcaster: remember the stored form and which fields are new."""
    if STORED_FORM not in state:
        state[STORED_FORM] = {k: v for k, v in state.items()}
        state[UPCAST_ADDED] = []
    state[UPCAST_ADDED] = [*state[UPCAST_ADDED], *added]


def stored_form(event: Any) -> dict[str, Any] | None:
    """The attributes an upcast event was stored with; None for an event stored as it is."""
    form = vars(event).get(STORED_FORM)
    return dict(form) if form is not None else None


def stored_hash(event: Any) -> str | None:
    """The hash an upcast event had when it was stored; None for one that was not upcast."""
    form = stored_form(event)
    if form is None:
        return None
    record = canonical_record(
        get_topic(type(event)), event.originator_id, event.originator_version, form
    )
    return hash_record(record)


class HashPreservingUpcast:
    """Mix into an event class that has upcasters, before the base event class."""

    def mutate(self, aggregate: Any) -> Any:
        aggregate = super().mutate(aggregate)  # type: ignore[misc]
        original = stored_hash(self)
        if original is not None:
            aggregate.head_hash = original
        return aggregate
