"""The per-request loader: keys primed for later are made only when something is loaded, and
then fetched with it in one batch."""

from __future__ import annotations

from collections.abc import Mapping

from graphql_schema.loader import Loader


def test_keys_primed_for_later_are_fetched_with_the_first_load_in_one_batch() -> None:
    batches: list[list[int]] = []

    def fetch(keys: list[int]) -> Mapping[int, str]:
        batches.append(keys)
        return {key: f"unit {key}" for key in keys if key != 3}

    loader: Loader[int, str] = Loader(fetch)
    loader.prime_later(lambda: [1, 2, 3])

    assert loader.load(2) == "unit 2"
    assert loader.load(1) == "unit 1"
    assert loader.load(3) is None
    assert batches == [[1, 2, 3]]


def test_keys_primed_for_later_are_never_made_when_nothing_is_loaded() -> None:
    made: list[str] = []

    def keys() -> list[int]:
        made.append("made")
        return [1]

    loader: Loader[int, str] = Loader(lambda wanted: {})
    loader.prime_later(keys)

    assert made == []
