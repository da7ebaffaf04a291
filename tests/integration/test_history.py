"""Time travel from the event store: an aggregate replayed as of any moment or version matches
its recorded history, and every history entry carries what an auditor needs."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.audit.hashing import GENESIS_HASH
from domain.context import acting_as
from domain.errors import NotFound
from services.runtime import Runtime
from tests.support.notebook import Notebook


@pytest.fixture
def book(runtime: Runtime) -> Notebook:
    """A notebook whose events were recorded one by one, as commands arrive."""
    with acting_as("wang"):
        book = Notebook(tenant_id=uuid4(), title="甲村账册")
        runtime.store.record(book)
        for i in range(1, 4):
            book.note(f"note {i}")
            runtime.store.record(book)
        book.retitle("甲村账册（更正）", reason="名称笔误")
        runtime.store.record(book)
    return book


def test_replay_as_of_every_recorded_moment_matches_the_history(
    runtime: Runtime, book: Notebook
) -> None:
    entries = runtime.history.history(book.id)
    assert [e.version for e in entries] == [1, 2, 3, 4, 5]

    notes: list[str] = []
    title = ""
    for entry in entries:
        notes = [*notes, entry.changes["text"]] if entry.type == "Notebook.Noted" else notes
        title = entry.changes.get("title", title)

        at_moment = runtime.history.state_as_of(book.id, entry.occurred_at)
        at_version = runtime.history.state_as_of(book.id, version=entry.version)

        for state in (at_moment, at_version):
            assert state.version == entry.version
            assert state.attributes["notes"] == notes
            assert state.attributes["title"] == title
            assert state.attributes["head_hash"] == entry.hash
            assert state.modified_on == entry.occurred_at

    assert runtime.history.state_as_of(book.id).version == 5


def test_history_entries_chain_and_name_actor_tenant_and_reason(
    runtime: Runtime, book: Notebook
) -> None:
    entries = runtime.history.history(book.id)

    assert entries[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert entries[-1].hash == book.head_hash
    assert {e.actor for e in entries} == {"wang"}
    assert {e.tenant_id for e in entries} == {str(book.tenant_id)}
    assert [e.reason for e in entries] == [None, None, None, None, "名称笔误"]
    assert entries[1].changes == {"text": "note 1"}
    # recorded by the database an instant after the command stamped it, in log order
    assert all(
        e.occurred_at <= e.recorded_at < e.occurred_at + timedelta(seconds=30) for e in entries
    )
    assert [e.recorded_at for e in entries] == sorted(e.recorded_at for e in entries)


def test_a_moment_before_the_first_event_finds_nothing(runtime: Runtime, book: Notebook) -> None:
    first = runtime.history.history(book.id)[0]

    with pytest.raises(NotFound, match="did not exist yet"):
        runtime.history.state_as_of(book.id, first.occurred_at - timedelta(microseconds=1))


def test_an_unknown_id_has_no_history(runtime: Runtime) -> None:
    with pytest.raises(NotFound):
        runtime.history.history(uuid4())
