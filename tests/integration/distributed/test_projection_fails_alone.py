"""Distributed mode: a projection worker that meets an event one projection cannot apply parks
it and stops that projection on every partition; the other projections reach the head. After
`xuncha projections retry` the worker reads its partitions again and the projection catches up,
every event applied once."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from domain.errors import Stale
from infrastructure.feeds.workers import Worker, feed_name, wait_until_applied
from projections.clue_ledger import ClueLedger
from services.runtime import Runtime
from tests.integration.distributed.checks import assert_each_event_applied_once
from tests.integration.distributed.processes import Processes
from tests.support.faulty_ledger import FaultyLedger, parked_within, with_ledger, write


@pytest.fixture
def ledger() -> FaultyLedger:
    return FaultyLedger()


@pytest.fixture
def faulty_runtime(kafka_runtime: Runtime, ledger: FaultyLedger) -> Runtime:
    """The API process's runtime, as a worker that runs the faulty ledger sees it."""
    return replace(kafka_runtime, projections=with_ledger(ledger))


@pytest.fixture
def worker(faulty_runtime: Runtime, processes: Processes) -> Iterator[Worker]:
    """A relay process, and a projection worker in this process (it runs the faulty ledger)."""
    processes.start("relay")
    settings = faulty_runtime.settings
    started = Worker(
        faulty_runtime,
        bootstrap=settings.kafka_bootstrap or "",
        topic=settings.kafka_topic,
        group=f"workers-{uuid.uuid4().hex[:8]}",
    )
    thread = threading.Thread(target=started.run, name="test-projection-worker")
    thread.start()
    yield started
    started.stop()
    thread.join(timeout=30)


def applied(runtime: Runtime, names: list[str], position: int) -> bool:
    with runtime.reads.connection() as conn:
        return wait_until_applied(
            conn, names, position, topic=runtime.settings.kafka_topic, timeout=90
        )


def ledger_summaries(runtime: Runtime) -> list[str]:
    with runtime.reads.connection() as conn:
        return [summary for (summary,) in conn.execute("SELECT summary FROM rm_clues").fetchall()]


def test_a_parked_event_stops_one_projection_until_it_is_retried(
    kafka_runtime: Runtime, worker: Worker, ledger: FaultyLedger, processes: Processes
) -> None:
    written = write(kafka_runtime)
    others = [p.name for p in kafka_runtime.projections if p.name != ClueLedger.name]

    assert applied(kafka_runtime, others, written.head)
    [parked] = parked_within(kafka_runtime, 30)
    topic = kafka_runtime.settings.kafka_topic
    assert parked.projection == ClueLedger.name
    assert parked.feed.startswith(feed_name(topic, 0)[:-1])
    assert (parked.position, parked.originator_id) == (written.poisoned_at, written.poisoned)
    assert parked.error_class == "ValueError"
    with pytest.raises(Stale, match="clue_ledger is stopped"):
        kafka_runtime.wait_for_projections(written.head, [ClueLedger.name])
    assert len(ledger_summaries(kafka_runtime)) == 1

    ledger.faulty = False  # the fix
    subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "projections", "retry", ClueLedger.name],
        env=processes.env,
        check=True,
        timeout=60,
    )

    assert applied(kafka_runtime, [ClueLedger.name], written.head)
    assert len(ledger_summaries(kafka_runtime)) == 3
    assert kafka_runtime.parked_events() == []
    assert_each_event_applied_once(kafka_runtime)
