"""Rebuild of every projection from the event store (`xuncha projections rebuild`'s code, in
a process of its own so its peak memory is its own) beside a sequential read and decode of
the same events, the least a rebuild must do, and beside eventsourcing's `ProjectionRunner`
taking the same log through a projection that only tracks what it processed.

    python -m benchmarks.rebuild   # with XUNCHA_DATABASE_URL: rebuild all, print JSON"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import psycopg
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg import sql

from benchmarks.city import City
from benchmarks.ingest import eventsourcing_env
from benchmarks.memory import import_floor_mib, output_of, own_high_water_mib
from benchmarks.results import Case, Target
from infrastructure.feeds import rebuild
from infrastructure.settings import Settings
from infrastructure.store import EventStore
from services.runtime import Runtime, running


def rebuild_all() -> dict[str, float]:
    with running(Settings(), feed=False) as runtime:
        head = runtime.store.max_position()
        started = time.perf_counter()
        rebuilt = rebuild.rebuild_all(runtime, runtime.projections)
        applied = sum(r.events for r in rebuilt)
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


class Replayed(Projection[PostgresTrackingRecorder]):
    """The least projection eventsourcing runs: each event decoded, its position tracked."""

    name = "benchreplayed"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)


def projection_runner(runtime: Runtime) -> tuple[int, float]:
    """eventsourcing's ProjectionRunner over XunCha's whole log with `Replayed`: (events,
    seconds until it tracked the head). Its tracking table is dropped after."""
    head = runtime.store.max_position()
    started = time.perf_counter()
    with ProjectionRunner(
        application_class=EventStore,
        projection_class=Replayed,
        view_class=PostgresTrackingRecorder,
        env=eventsourcing_env(runtime.database.url),
    ) as runner:
        runner.wait(head, timeout=3600)
        seconds = time.perf_counter() - started
    with psycopg.connect(runtime.database.url, autocommit=True) as conn:
        table = sql.Identifier(f"{Replayed.name}_tracking")
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
    return head, seconds


def rebuild_cases(city: City, runtime: Runtime) -> list[Case]:
    output = output_of([sys.executable, "-m", "benchmarks.rebuild"], env=city.environment())
    rebuilt = json.loads(output.strip().splitlines()[-1])
    events, seconds = read_and_decode(runtime)
    replayed, replay_seconds = projection_runner(runtime)
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
            "rebuild of all projections vs ProjectionRunner",
            rebuilt["events"] / rebuilt["seconds"],
            "events/s",
            "eventsourcing ProjectionRunner, tracking only",
            replayed / replay_seconds,
            detail={"runner_seconds": replay_seconds, "runner_events": replayed},
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
