"""A per-request batch loader: what a page of rows refers to is fetched in one query per kind,
not one per row, and each key at most once per request.

Resolvers run synchronously (graphql_schema/router.py executes the whole operation with
`execute_sync`), so there is no event-loop tick on which to gather keys, as promise-style
dataloaders (`aiodataloader`) do. Instead the list resolver primes each loader with its page's
keys, and the first `load` fetches every primed key not loaded yet in one batch."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Batch = Callable[[list[K]], Mapping[K, V]]


class Loader(Generic[K, V]):
    """Values by key through `batch`, which answers for the keys it finds and leaves out the
    others (they load as None)."""

    def __init__(self, batch: Batch[K, V]) -> None:
        self._batch = batch
        self._loaded: dict[K, V | None] = {}
        self._wanted: dict[K, None] = {}  # an ordered set: keys primed, not loaded yet
        self._later: list[Callable[[], Iterable[K]]] = []

    def prime(self, keys: Iterable[K]) -> None:
        """Announce keys a later `load` will fetch along with its own."""
        self._wanted.update((key, None) for key in keys if key not in self._loaded)

    def prime_later(self, keys: Callable[[], Iterable[K]]) -> None:
        """As `prime`, for keys costly to make (a round's thousands of target units): made
        only if something is loaded at all."""
        self._later.append(keys)

    def load(self, key: K) -> V | None:
        if key not in self._loaded:
            while self._later:
                self.prime(self._later.pop(0)())
            self.prime([key])
            self._fetch_wanted()
        return self._loaded[key]

    def _fetch_wanted(self) -> None:
        keys = list(self._wanted)
        found = self._batch(keys)
        self._loaded.update((key, found.get(key)) for key in keys)
        self._wanted.clear()
