"""`xuncha projections rebuild` builds fresh tables beside the live ones and switches while
queries keep answering and events keep arriving (embedded feed; the Kafka case is in
test_relay_failover)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading

from services.runtime import Runtime
from tests.integration.distributed.checks import assert_read_models_equal_a_rebuild
from tests.integration.distributed.city import register_city, register_clues


def test_queries_keep_answering_while_a_rebuild_switches_tables(runtime: Runtime) -> None:
    rng = random.Random(17)  # noqa: S311
    city = register_city(runtime.store, code="3705", counties=10)
    for _ in range(4):
        register_clues(runtime.store, city, rng, 500)
    runtime.wait_for_projections(runtime.store.max_position())
    clues_before = 2000

    stop = threading.Event()
    failures: list[BaseException] = []
    seen_clues: list[int] = []
    seen_offices: list[int] = []

    def query() -> None:
        while not stop.is_set():
            try:
                with runtime.reads.connection() as conn:
                    clues = conn.execute("SELECT count(*) FROM rm_clues").fetchone()
                    offices = conn.execute("SELECT count(*) FROM rm_tenants").fetchone()
                seen_clues.append(clues[0] if clues else 0)
                seen_offices.append(offices[0] if offices else 0)
                stop.wait(0.005)
            except Exception as error:
                failures.append(error)

    def write() -> None:
        for _ in range(5):
            register_clues(runtime.store, city, rng, 40)
            stop.wait(0.3)

    threads = [threading.Thread(target=query) for _ in range(3)]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    try:
        env = {**os.environ, "XUNCHA_DATABASE_URL": runtime.settings.database_url or ""}
        env.pop("XUNCHA_KAFKA_BOOTSTRAP", None)
        rebuilt = subprocess.run(
            [sys.executable, "-m", "entrypoints.cli", "projections", "rebuild"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "clue_ledger: switched to the rebuilt tables" in rebuilt.stdout
    assert "events/s" in rebuilt.stdout
    assert failures == []
    assert len(seen_clues) > 0
    assert min(seen_clues) >= clues_before  # never an empty or shrunken view
    assert min(seen_offices) == 11
    runtime.wait_for_projections(runtime.store.max_position())
    with runtime.reads.connection() as conn:
        row = conn.execute("SELECT count(*) FROM rm_clues").fetchone()
    assert row == (clues_before + 200,)  # what arrived during the rebuild is there once
    assert_read_models_equal_a_rebuild(runtime)
