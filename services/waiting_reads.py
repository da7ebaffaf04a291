"""How many reads may wait for the read models at once. A read that asks for its own write
waits (bounded in time) until the projections reach it; a crowd of such readers, far ahead or
not, must not occupy every worker thread, so waiting is admitted per caller and overall, and a
read over either bound is answered STALE at once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from domain.errors import Stale


class WaitingReads:
    def __init__(self, *, overall: int, per_caller: int) -> None:
        self.overall = overall
        self.per_caller = per_caller
        self._lock = threading.Lock()
        self._waiting: Counter[str] = Counter()

    def of(self, caller: str) -> int:
        """How many reads of `caller` wait now."""
        with self._lock:
            return self._waiting[caller]

    @contextmanager
    def admitted(self, caller: str, position: int) -> Iterator[None]:
        with self._lock:
            crowded = self._waiting.total() >= self.overall
            if crowded or self._waiting[caller] >= self.per_caller:
                whose = "reads" if crowded else "of your reads"
                raise Stale(
                    f"Too many {whose} are waiting for the read models already; try again shortly",
                    position=position,
                )
            self._waiting[caller] += 1
        try:
            yield
        finally:
            with self._lock:
                self._waiting[caller] -= 1
