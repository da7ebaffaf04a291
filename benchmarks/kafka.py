"""Read-your-writes freshness in Kafka mode while the city is written at a steady rate: a
Tansu broker, `xuncha relay`, one `xuncha project` worker and the API (`xuncha serve`, no
in-process feed) as real processes over a database of their own with a small simulated city;
a background writer simulating a second, Jinan-like city through the services, paced to
`rate` events/s; and single mutations, each followed by a read with its `minPosition`."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from benchmarks.city import City, api_process, simulated_city
from benchmarks.ingest import freshness, head
from benchmarks.memory import Child, start_child
from benchmarks.results import Case, percentile
from benchmarks.servers import free_port, tansu_broker
from domain.errors import Stale
from services.runtime import Runtime, running
from services.simulation import PROFILES, simulate
from services.simulation.plan import Chunk

DATABASE = "xuncha_bench_kafka"
PARTITIONS = 4
READ_WAIT = 10  # seconds a read waits for the workers before it answers STALE
WRITER_SEED = 2  # the background city: another city code than the measured one's


class _Stopped(Exception):
    pass


class PacedWriter:
    """Simulates a Jinan-like city (one year) in a thread, no faster than `rate` events/s."""

    def __init__(self, runtime: Runtime, rate: float) -> None:
        self.runtime, self.rate = runtime, rate
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="bench-writer", daemon=True)
        self.failure: Exception | None = None

    def _run(self) -> None:
        began = time.monotonic()

        def pace(chunk: Chunk, events: int) -> None:
            if self.stopping.is_set():
                raise _Stopped
            ahead = events / self.rate - (time.monotonic() - began)
            if ahead > 0:
                time.sleep(ahead)

        try:
            simulate(self.runtime, PROFILES["jinan-like"], WRITER_SEED, 1, on_chunk=pace)
        except _Stopped:
            pass
        except Exception as error:  # raised again by the case, once the writer stopped
            self.failure = error

    def __enter__(self) -> PacedWriter:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        self.thread.join(timeout=120)


@contextmanager
def own_database(url: str) -> Iterator[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    try:
        yield make_conninfo(url, dbname=DATABASE)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
            )


def wait_until_applied(runtime: Runtime, timeout: float) -> None:
    position = runtime.store.max_position()
    deadline = time.monotonic() + timeout
    while True:
        try:
            runtime.wait_for_projections(position)
            return
        except Stale:
            if time.monotonic() > deadline:
                raise


def kafka_freshness_case(base: City, mutations: int, rate: float) -> Case:
    """Reads wait at most `READ_WAIT` s: when the workers cannot keep up with the writer,
    the answers are STALE and are counted (and timed) as such."""
    with ExitStack() as stack:
        bootstrap = stack.enter_context(tansu_broker())
        url = stack.enter_context(own_database(base.settings.database_url or ""))
        settings = base.settings.model_copy(
            update={"database_url": url, "kafka_bootstrap": bootstrap, "kafka_topic": "bench"}
        )
        city = simulated_city(settings, "small", None)
        env = {
            **city.environment(),
            "XUNCHA_KAFKA_PARTITIONS": str(PARTITIONS),
            "XUNCHA_READ_WAIT_SECONDS": str(READ_WAIT),
        }
        relay = _process(stack, "relay", env)
        worker = _process(stack, "project", env)
        api = stack.enter_context(api_process(city, free_port()))
        runtime = stack.enter_context(running(settings, feed=False))
        wait_until_applied(runtime, timeout=600)
        with PacedWriter(runtime, rate) as writer:
            time.sleep(3)  # the writer reaches its pace
            before, started = head(api.url), time.perf_counter()
            fresh = freshness(city, api.url, mutations, stale_ok=True)
            seconds = time.perf_counter() - started
            achieved = (head(api.url) - before) / seconds
        if writer.failure is not None:
            raise RuntimeError(f"the background writer failed: {writer.failure}")
        worker_peak = worker.stop()
        relay.stop()
    return Case(
        "read-your-writes freshness p99 (Kafka, paced writer)",
        percentile(fresh.fresh_read_ms, 99),
        "ms",
        "same read without minPosition p99",
        percentile(fresh.plain_read_ms, 99),
        detail={
            "p50_ms": percentile(fresh.fresh_read_ms, 50),
            "mutations": mutations,
            "stale_answers": len(fresh.stale),
            "read_wait_seconds": READ_WAIT,
            "events_per_second_asked": rate,
            "events_per_second_achieved": achieved,
            "seconds_measured": seconds,
            "partitions": PARTITIONS,
            "workers": 1,
            "worker_peak_rss_mib": worker_peak,
        },
    )


def _process(stack: ExitStack, command: str, env: dict[str, Any]) -> Child:
    child = start_child([sys.executable, "-m", "entrypoints.cli", command], env=env)
    stack.callback(child.stop)
    return child
