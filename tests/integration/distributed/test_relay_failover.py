"""The relay's guarantees: with two relays only one publishes and the other takes over when it
dies; a batch republished after a crash has no second effect on the read models."""

from __future__ import annotations

import random
import re
import uuid
from datetime import date

import pytest
from fastapi.testclient import TestClient
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from domain.errors import Stale
from domain.tenants.unit import UnitType
from entrypoints.http.app import create_app
from infrastructure.feeds.rebuild import rebuild
from infrastructure.feeds.relay import Relay, RelayOptions, ensure_topic, recorded_position
from projections import tracking
from projections.registry import all_projections
from services.runtime import Runtime
from tests.integration.distributed.checks import (
    assert_each_event_applied_once,
    assert_read_models_equal_a_rebuild,
    event_count,
    notification_ids_on_topic,
    wait_for,
    wait_until_projected,
)
from tests.integration.distributed.city import register_city, register_clues
from tests.integration.distributed.processes import PARTITIONS, Processes


def relayed(runtime: Runtime) -> int:
    with runtime.reads.connection() as conn:
        return recorded_position(conn, runtime.settings.kafka_topic)


def relays_in_metrics(runtime: Runtime) -> dict[str, float]:
    with TestClient(create_app(runtime)) as http:
        text = http.get("/metrics").text
    return {
        role: float(value)
        for role, value in re.findall(r'^xuncha_relays\{role="(\w+)"\} (\S+)$', text, re.M)
    }


def test_the_standby_relay_takes_over_and_no_event_is_lost(
    kafka_runtime: Runtime, processes: Processes
) -> None:
    rng = random.Random(5)  # noqa: S311
    city = register_city(kafka_runtime.store, code="3702", counties=6)
    active = processes.start("relay")
    wait_for(
        lambda: relayed(kafka_runtime) == kafka_runtime.store.max_position(),
        timeout=60,
        what="the first relay publishing",
    )
    standby = processes.start("relay")  # waits on the advisory lock
    wait_for(
        lambda: relays_in_metrics(kafka_runtime) == {"active": 1.0, "standby": 1.0},
        timeout=30,
        what="/metrics counting an active and a standby relay",
    )
    wait_for(
        lambda: "standby: waiting for the active relay" in processes.output(standby),
        timeout=30,
        what="the standby saying it is alive",
    )
    register_clues(kafka_runtime.store, city, rng, 200)
    wait_for(
        lambda: relayed(kafka_runtime) == kafka_runtime.store.max_position(),
        timeout=30,
        what="the first relay publishing more",
    )

    processes.kill(active)
    last = register_clues(kafka_runtime.store, city, rng, 300)
    wait_for(lambda: relayed(kafka_runtime) == last, timeout=60, what="the standby taking over")
    assert relays_in_metrics(kafka_runtime) == {"active": 1.0, "standby": 0.0}

    total = event_count(kafka_runtime.store)
    on_topic = notification_ids_on_topic(
        kafka_runtime.settings.kafka_bootstrap or "",
        kafka_runtime.settings.kafka_topic,
        expected=total,
    )
    assert sorted(set(on_topic)) == list(range(1, total + 1))
    # No worker runs and the API process feeds nothing itself in Kafka mode, so a read that
    # asks for its own write is told it is stale.
    with pytest.raises(Stale):
        kafka_runtime.wait_for_projections(last)
    with kafka_runtime.reads.connection() as conn:
        assert tracking.positions(conn) == {}


def test_a_republished_batch_has_no_second_effect_and_a_rebuild_keeps_up(
    kafka_runtime: Runtime, processes: Processes
) -> None:
    settings = kafka_runtime.settings
    bootstrap = settings.kafka_bootstrap or ""
    rng = random.Random(11)  # noqa: S311
    city = register_city(kafka_runtime.store, code="3703", counties=8)
    register_clues(kafka_runtime.store, city, rng, 300)

    # A relay that published and then died before recording how far it got.
    class DiesBeforeRecording(Relay):
        def _record(self, *_: object) -> None:
            pass

    options = RelayOptions(bootstrap=bootstrap, topic=settings.kafka_topic, partitions=PARTITIONS)
    relay = DiesBeforeRecording(kafka_runtime.store, settings.database_url or "", options)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    with kafka_runtime.reads.connection() as conn:
        ensure_topic(bootstrap, settings.kafka_topic, PARTITIONS)
        assert relay.publish_batch(conn, producer) == event_count(kafka_runtime.store)
    producer.close()

    group = ("project", "--group", f"workers-{uuid.uuid4().hex[:8]}")
    processes.start("relay")
    processes.start(*group)
    processes.start(*group)
    wait_until_projected(kafka_runtime)
    total = event_count(kafka_runtime.store)
    assert len(notification_ids_on_topic(bootstrap, settings.kafka_topic, expected=total)) == (
        2 * total
    )
    assert_each_event_applied_once(kafka_runtime)

    # A rebuild while the workers apply new events: afterwards they carry on from it.
    register_clues(kafka_runtime.store, city, rng, 200)
    for projection in all_projections():
        rebuild(kafka_runtime, projection)
    register_clues(kafka_runtime.store, city, rng, 200)
    wait_until_projected(kafka_runtime)
    assert_read_models_equal_a_rebuild(kafka_runtime)


def test_a_reassigned_units_events_stay_in_order_on_one_partition(
    kafka_runtime: Runtime, processes: Processes
) -> None:
    store = kafka_runtime.store
    city = register_city(store, code="3706", counties=8, units_each=1)
    unit = city.units[city.offices[1].id][0]
    # Later events of the unit carry their new county; the key stays the county it began in.
    for county in city.offices[2:]:
        unit.reassign(county, effective_on=date(2026, 11, 1), reason="区划调整")
        store.record(unit)
        unit.retype(
            UnitType.ENTERPRISE if unit.unit_type == "DEPARTMENT" else UnitType.DEPARTMENT,
            parent=None,
            reason="改制",
        )
        store.record(unit)
    processes.start("relay")
    total = event_count(store)
    wait_for(lambda: relayed(kafka_runtime) == store.max_position(), timeout=60, what="relaying")

    consumer = KafkaConsumer(
        bootstrap_servers=kafka_runtime.settings.kafka_bootstrap, enable_auto_commit=False
    )
    topic = kafka_runtime.settings.kafka_topic
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    seen: list[tuple[int, int]] = []  # (partition, version) of the unit's events, as read
    read = 0
    while read < total:
        for records in consumer.poll(timeout_ms=1000).values():
            for record in records:
                read += 1
                headers = {key: value.decode() for key, value in record.headers}
                if headers["stream-id"] == str(unit.id):
                    seen.append((record.partition, int(headers["version"])))
    consumer.close()
    assert len({partition for partition, _ in seen}) == 1
    assert [version for _, version in seen] == list(range(1, unit.version + 1))
