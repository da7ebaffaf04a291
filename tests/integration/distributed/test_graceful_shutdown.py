"""SIGTERM (what an orchestrator sends before it kills) stops every role cleanly within a
bounded time, with what it did recorded: the relay's position covers exactly what it published,
a worker's tracking holds what it applied (no event applied twice after a restart), and `serve`
on the embedded PostgreSQL stops that server too, its feed's tracking committed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from infrastructure.feeds.relay import recorded_position
from infrastructure.settings import Settings
from services.runtime import Runtime, running
from tests.integration.distributed.checks import (
    assert_each_event_applied_once,
    assert_read_models_equal_a_rebuild,
    event_count,
    notification_ids_on_topic,
    wait_for,
    wait_until_projected,
)
from tests.integration.distributed.city import register_city, register_clues
from tests.integration.distributed.processes import Processes
from tests.support.auth import TokenMint
from tests.support.graphql import REGISTER_CLUE, GraphQL, register_city_with_village
from tests.support.servers import free_port, wait_for_port

STOPS_WITHIN_SECONDS = 20


def worker_group() -> tuple[str, str]:
    """A consumer group of the test's own: no member of another test's group to wait for."""
    return "--group", f"workers-{uuid.uuid4().hex[:8]}"


@contextmanager
def writing(runtime: Runtime) -> Iterator[None]:
    """Clues recorded in batches, on and on, until the block ends."""
    city = register_city(runtime.store, code=f"S{uuid.uuid4().hex[:4]}", counties=6)
    done = threading.Event()

    def write() -> None:
        rng = random.Random(11)  # noqa: S311 (test data, not a secret)
        while not done.is_set():
            register_clues(runtime.store, city, rng, 40)
            done.wait(0.05)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        yield
    finally:
        done.set()
        writer.join()


def terminate(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=STOPS_WITHIN_SECONDS)


def relayed(runtime: Runtime) -> int:
    with runtime.reads.connection() as conn:
        return recorded_position(conn, runtime.settings.kafka_topic)


def applied(runtime: Runtime) -> int:
    with runtime.reads.connection() as conn:
        row = conn.execute("SELECT coalesce(sum(applied), 0) FROM projection_tracking").fetchone()
    return int(row[0]) if row else 0


def test_the_relay_stops_on_sigterm_with_all_it_published_recorded(
    kafka_runtime: Runtime, processes: Processes
) -> None:
    relay = processes.start("relay")
    with writing(kafka_runtime):
        wait_for(lambda: relayed(kafka_runtime) > 500, timeout=60, what="relaying")
        code = terminate(relay)
    position = relayed(kafka_runtime)

    assert code == 0
    ids = [
        n.id
        for n in kafka_runtime.store.recorder.select_notifications(start=1, limit=10**6)
        if n.id <= position
    ]
    on_topic = notification_ids_on_topic(
        kafka_runtime.settings.kafka_bootstrap or "",
        kafka_runtime.settings.kafka_topic,
        expected=len(ids),
    )
    assert set(on_topic) == set(ids)  # nothing published past what it recorded, nothing lost
    processes.start("relay")
    processes.start("project", *worker_group())
    wait_until_projected(kafka_runtime)
    assert_each_event_applied_once(kafka_runtime)


def test_a_worker_stops_on_sigterm_with_its_tracking_committed(
    kafka_runtime: Runtime, processes: Processes
) -> None:
    group = worker_group()
    processes.start("relay")
    worker = processes.start("project", *group)
    with writing(kafka_runtime):
        wait_for(lambda: applied(kafka_runtime) > 1000, timeout=60, what="projecting")
        code = terminate(worker)
        after_stop = applied(kafka_runtime)

    assert code == 0
    assert applied(kafka_runtime) == after_stop  # nothing was still being applied
    processes.start("project", *group)
    wait_until_projected(kafka_runtime)
    assert_each_event_applied_once(kafka_runtime)
    assert_read_models_equal_a_rebuild(kafka_runtime)


def test_serve_on_the_embedded_postgres_stops_it_and_its_feed_on_sigterm(
    processes: Processes, tmp_path: Path
) -> None:
    port, data_dir, secret = free_port(), tmp_path / "data", uuid.uuid4().hex * 2
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUNCHA_")}
    env |= {"XUNCHA_DATA_DIR": str(data_dir), "XUNCHA_JWT_SECRET": secret}
    serve = processes.start("serve", "--port", str(port), env=env)
    wait_for_port(port, serve, what="xuncha serve", timeout=120)
    mint = TokenMint.of(Settings(jwt_secret=secret))
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=mint.headers()) as http:
        gql = GraphQL(http)
        ids = register_city_with_village(gql)
        for n in range(20):
            clue = {
                "tenantId": ids["county"],
                "unitId": ids["village"],
                "source": "HOTLINE",
                "category": "作风问题",
                "summary": f"线索 {n}",
            }
            gql.data(REGISTER_CLUE, {"input": clue})
    code = terminate(serve)

    assert code == 0
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()  # the server stopped too
    reopened = Settings(database_url=None, data_dir=data_dir, jwt_secret=secret)
    with running(reopened) as runtime:
        runtime.wait_for_projections(runtime.store.max_position())
        events = event_count(runtime.store)
        progress = runtime.projection_progress()
        assert {name: p["applied"] for name, p in progress.items()} == {
            p.name: events for p in runtime.projections
        }
        with runtime.reads.connection() as conn:
            clues = conn.execute("SELECT count(*) FROM rm_clues").fetchone()
        assert clues == (20,)
