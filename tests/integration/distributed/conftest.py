"""Distributed mode under test: the relay and projection workers run as separate OS processes
(`python -m entrypoints.cli relay|project`) against the real Postgres and a real Kafka-protocol
broker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infrastructure.settings import Settings
from services.runtime import Runtime, running
from tests.integration.distributed.processes import Broker, Processes
from tests.support.servers import ServerUnavailable


@pytest.fixture
def kafka_settings(settings: Settings, kafka_bootstrap: str) -> Settings:
    return settings.model_copy(
        update={
            "kafka_bootstrap": kafka_bootstrap,
            "kafka_topic": f"xuncha.test.{uuid.uuid4().hex[:8]}",
            "read_wait_seconds": 2.0,
        }
    )


@pytest.fixture
def kafka_runtime(kafka_settings: Settings) -> Iterator[Runtime]:
    """The runtime an API process has in distributed mode: no in-process feed."""
    with running(kafka_settings) as runtime:
        yield runtime


@pytest.fixture
def processes(kafka_settings: Settings, tmp_path: Path) -> Iterator[Processes]:
    started = Processes(kafka_settings, tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def own_broker() -> Iterator[Broker]:
    try:
        broker = Broker()
        broker.start()
    except (ServerUnavailable, ImportError) as error:
        pytest.fail(f"A Kafka-protocol broker of its own is required: {error}", pytrace=False)
    yield broker
    broker.stop()
