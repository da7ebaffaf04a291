"""What a command hands back to its caller."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Written:
    """The aggregate a command wrote, and the log position of its last event (for
    read-your-writes: a query may wait until projections have reached `position`)."""

    id: UUID
    position: int
