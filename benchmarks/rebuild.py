"""Rebuild of every projection from the event store (`xuncha projections rebuild`'s code, in
a process of its own so its peak memory is its own) beside a sequential read and decode of
the same events: the least a rebuild must do.

    python -m benchmarks.rebuild   # with XUNCHA_DATABASE_URL: rebuild all, print JSON"""

from __future__ import annotations

import json
import sys
import time

from benchmarks.city import City
from benchmarks.memory import import_floor_mib, output_of, own_high_water_mib
from benchmarks.results import Case, Target
from infrastructure.feeds.rebuild import rebuild
from infrastructure.settings import Settings
from services.runtime import Runtime, running


def rebuild_all() -> dict[str, float]:
    with running(Settings(), feed=False) as runtime:
        head = runtime.store.max_position()
        started = time.perf_counter()
        applied = sum(rebuild(runtime, p).events for p in runtime.projections)
        seconds = time.perf_counter() - started
        return {
            "events": head,
            "applied": applied,
            "projections": len(runtime.projections),
            "seconds": seconds,
            "peak_rss_mib": own_high_water_mib(),
        }


def read_and_decode(runtime: Runtime, batch_size: int = 1000) -> tuple[int, float]:
    """Every event of the log, read in order in batches and decoded: (events, seconds)."""
    store = runtime.store
    started, position, events = time.perf_counter(), 0, 0
    while notifications := store.recorder.select_notifications(
        start=position, limit=batch_size, inclusive_of_start=False
    ):
        for notification in notifications:
            store.mapper.to_domain_event(notification)
        events += len(notifications)
        position = notifications[-1].id
    return events, time.perf_counter() - started


def rebuild_cases(city: City, runtime: Runtime) -> list[Case]:
    output = output_of([sys.executable, "-m", "benchmarks.rebuild"], env=city.environment())
    rebuilt = json.loads(output.strip().splitlines()[-1])
    events, seconds = read_and_decode(runtime)
    floor = import_floor_mib(["services.runtime", "infrastructure.feeds.rebuild"])
    return [
        Case(
            "rebuild of all projections",
            rebuilt["events"] / rebuilt["seconds"],
            "events/s",
            "sequential read + decode",
            events / seconds,
            Target("ratio", 0.25, "higher"),
            detail=rebuilt,
        ),
        Case(
            "peak memory of a worker (rebuilding all projections)",
            rebuilt["peak_rss_mib"],
            "MiB",
            "same imports, idle process",
            floor,
            detail={"measured": "VmHWM of the rebuild process, read by itself as it ends"},
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(rebuild_all()))
