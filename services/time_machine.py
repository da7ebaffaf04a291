"""Every view as it stood at a recorded moment (`asOf`): the moment becomes the log position
of the last event recorded by then, and the view is read from the read models' history at
that position (projections/history.py), with the caller's present read scope."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.audit.as_of import position_as_of
from infrastructure.recorded_at import moment_position
from infrastructure.store import EventStore


def position_at(store: EventStore, moment: datetime) -> int:
    """The log position a view asked as of `moment` is read at; a moment still to come or
    before the first recorded event is refused (VALIDATION_FAILED). A moment without an
    offset is UTC."""
    at = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    found = moment_position(store, at)
    return position_as_of(at, found.position, found.now, found.first)
