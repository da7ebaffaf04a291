"""What every projection is: a named view with its tables, applying events by type."""

from __future__ import annotations

from abc import ABC
from typing import Any, ClassVar

from psycopg import Cursor


class Projection(ABC):
    """Applies domain events to its tables. The feed (notification log or Kafka) calls
    `apply` inside the transaction that also records the tracking position."""

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]
    ddl: ClassVar[str]
    # Per table, the SQL condition under which a reader sees a row (projections/row_security.py).
    row_rules: ClassVar[dict[str, str]]
    # Per table whose rows are a function of the projection's other tables (running totals):
    # the query that computes it from them, read as of a past moment instead of keeping its
    # history (projections/history.py). Listed in `tables` after the tables it reads.
    as_of_views: ClassVar[dict[str, str]] = {}

    def for_rebuild(self) -> Projection:
        """This projection as the sole writer of its tables, as in a rebuild's shadow schema:
        it may leave out what only guards against other writers. Itself by default."""
        return self

    def flush(self, cur: Cursor[Any]) -> None:
        """Write what `apply` kept back, at the end of each batch, before its position is
        tracked (a sole writer may gather a batch's changes into fewer statements). Nothing by
        default."""
        return None

    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Apply one event. Each projection defines its own `singledispatchmethod` here, so
        handlers registered by one view never leak into another's dispatch table."""
        raise NotImplementedError
