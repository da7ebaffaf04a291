"""One relay and two projection workers in one consumer group, as separate OS processes, while
the relay and the workers are killed (SIGKILL) at random points and started again: every event
reaches the read models exactly once, and they equal a rebuild from the event store."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import uuid

from entrypoints.http.metrics import lag
from services.runtime import Runtime
from tests.integration.distributed.checks import (
    assert_each_event_applied_once,
    assert_read_models_equal_a_rebuild,
    event_count,
    notification_ids_on_topic,
    wait_until_projected,
)
from tests.integration.distributed.city import register_city, register_clues
from tests.integration.distributed.processes import Processes

GROUP = "--group"


def test_killed_relay_and_workers_still_apply_every_event_exactly_once(
    kafka_runtime: Runtime, processes: Processes
) -> None:
    rng = random.Random(20261122)  # noqa: S311 (a seeded schedule, not a secret)
    group = f"workers-{uuid.uuid4().hex[:8]}"
    running: dict[str, subprocess.Popen[bytes]] = {
        "relay": processes.start("relay"),
        "worker-a": processes.start("project", GROUP, group),
        "worker-b": processes.start("project", GROUP, group),
    }
    commands = {"relay": ("relay",), "worker-a": ("project", GROUP, group)}
    commands["worker-b"] = commands["worker-a"]

    city = register_city(kafka_runtime.store, code="3701", counties=24)
    writing_done = threading.Event()

    def write() -> None:
        writer_rng = random.Random(7)  # noqa: S311
        try:
            for _ in range(40):
                register_clues(kafka_runtime.store, city, writer_rng, 60)
                writing_done.wait(0.7)
        finally:
            writing_done.set()

    writer = threading.Thread(target=write)
    writer.start()
    kills = 0
    while not writing_done.is_set() or kills < 6:
        writing_done.wait(rng.uniform(2.0, 4.5))
        victim = rng.choice(sorted(running))
        processes.kill(running[victim])
        kills += 1
        writing_done.wait(rng.uniform(0.2, 1.5))
        running[victim] = processes.start(*commands[victim])
    writer.join()
    assert all(process.poll() is None for process in running.values()), "a process died"

    head = wait_until_projected(kafka_runtime)
    total = event_count(kafka_runtime.store)
    assert total == 25 + 75 + 40 * 60
    on_topic = notification_ids_on_topic(
        kafka_runtime.settings.kafka_bootstrap or "",
        kafka_runtime.settings.kafka_topic,
        expected=total,
    )
    assert len(set(on_topic)) == total  # none lost; a crashed relay may have republished some
    print(f"{kills} kills; {len(on_topic) - total} events republished")
    assert_read_models_equal_a_rebuild(kafka_runtime)
    assert_each_event_applied_once(kafka_runtime)
    current = lag(kafka_runtime)
    assert current.relay_position == head
    assert all(p.behind == 0 for p in current.projections), current
    # The API process reads its own writes: the wait for the head returns at once.
    kafka_runtime.wait_for_projections(head)
    status = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "projections", "status"],
        env=processes.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert f"head of the log: {head}, relayed to {head}" in status.stdout
