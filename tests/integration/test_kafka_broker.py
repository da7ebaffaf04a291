"""The broker fixture is a real Kafka-protocol broker: a record produced to a topic comes back
to a consumer that joined a consumer group."""

import uuid

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

FAST_GROUP = {
    "session_timeout_ms": 6000,
    "heartbeat_interval_ms": 1000,
    "max_poll_interval_ms": 6000,
}


def test_a_record_makes_the_round_trip_through_a_consumer_group(kafka_bootstrap: str) -> None:
    topic = f"xuncha.test.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
    admin.close()

    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    producer.send(topic, key=b"tenant-a", value="线索已登记".encode()).get(timeout=30)
    producer.close()

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"group-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **FAST_GROUP,
    )
    received = []
    try:
        for _ in range(60):
            for records in consumer.poll(timeout_ms=1000).values():
                received.extend(records)
            if received:
                break
        assert consumer.assignment(), "the consumer never joined its group"
    finally:
        consumer.close()
    assert [(r.key, r.value.decode()) for r in received] == [(b"tenant-a", "线索已登记")]
