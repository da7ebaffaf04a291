"""The broker stops for a while: writes keep succeeding, the relay retries with backoff, and
once the broker is back every event is delivered and projected."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infrastructure.settings import Settings
from services.runtime import Runtime, running
from tests.integration.distributed.checks import (
    assert_each_event_applied_once,
    assert_read_models_equal_a_rebuild,
    wait_until_projected,
)
from tests.integration.distributed.city import register_city, register_clues
from tests.integration.distributed.processes import Broker, Processes


@pytest.fixture
def outage_runtime(kafka_settings: Settings, own_broker: Broker) -> Iterator[Runtime]:
    with running(kafka_settings.model_copy(update={"kafka_bootstrap": own_broker.address})) as rt:
        yield rt


def test_events_written_while_the_broker_is_down_are_delivered_when_it_returns(
    outage_runtime: Runtime, own_broker: Broker, tmp_path: Path
) -> None:
    rng = random.Random(3)  # noqa: S311
    processes = Processes(outage_runtime.settings, tmp_path)
    try:
        relay = processes.start("relay")
        processes.start("project", "--group", f"workers-{uuid.uuid4().hex[:8]}")
        city = register_city(outage_runtime.store, code="3704", counties=6)
        register_clues(outage_runtime.store, city, rng, 200)
        wait_until_projected(outage_runtime)

        own_broker.pause()
        written = [register_clues(outage_runtime.store, city, rng, 100) for _ in range(3)]
        assert written == sorted(written)  # every write was recorded while the broker was away
        time.sleep(8)  # longer than the relay's delivery timeout: it retries meanwhile
        own_broker.resume()

        wait_until_projected(outage_runtime)
        assert_read_models_equal_a_rebuild(outage_runtime)
        assert_each_event_applied_once(outage_runtime)
        assert relay.poll() is None, "the relay survived the outage"
        log = next(tmp_path.glob("relay-*.log")).read_text()
        assert "Kafka unavailable" in log
    finally:
        processes.stop_all()
