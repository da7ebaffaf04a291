"""Lag you can see: how far each projection (and, with Kafka, each partition) is behind the head
of the event log, and which projections are stopped at a parked event, for `xuncha projections
status` and as Prometheus metrics at /metrics."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

import psycopg
from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Header, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from psycopg import Connection
from psycopg_pool import PoolTimeout

from domain.errors import Unauthenticated
from infrastructure.feeds.rebuild import rebuild_positions
from infrastructure.feeds.relay import published_partitions, recorded_position, relays
from infrastructure.feeds.workers import feed_name
from infrastructure.store import store_pool
from infrastructure.telemetry import EVENTS_APPENDED, REQUEST_SECONDS
from projections import tracking
from projections.tracking import LOG_FEED, Parked
from services.runtime import Runtime

log = logging.getLogger(__name__)
DATABASE_WAIT_SECONDS = 5.0  # a scrape while PostgreSQL is away says so rather than hang


@dataclass(frozen=True)
class PartitionLag:
    partition: int
    position: int  # highest notification id applied from this partition
    offset: int | None  # its Kafka offset
    published_position: int  # highest notification id the relay published to it
    published_offset: int
    messages_behind: int


@dataclass(frozen=True)
class ProjectionLag:
    projection: str
    applied: int
    behind: int  # log positions between what is surely applied and the head of the log
    partitions: list[PartitionLag]
    parked: list[Parked] = field(default_factory=list)  # one per feed it is stopped on

    @property
    def stopped(self) -> bool:
        return bool(self.parked)


@dataclass(frozen=True)
class Lag:
    head: int
    relay_position: int | None  # None in embedded mode
    projections: list[ProjectionLag]


def lag(runtime: Runtime) -> Lag:
    with runtime.reads.connection(timeout=DATABASE_WAIT_SECONDS) as conn:
        current = _lag(runtime, conn)
        parked = tracking.parked(conn)
    return replace(
        current,
        projections=[
            replace(p, parked=[e for e in parked if e.projection == p.projection])
            for p in current.projections
        ],
    )


def _lag(runtime: Runtime, conn: Connection[Any]) -> Lag:
    head = runtime.store.max_position()
    names = [p.name for p in runtime.projections]
    rows = conn.execute(
        "SELECT projection, feed, position, applied, source_offset FROM projection_tracking"
    ).fetchall()
    if not runtime.settings.kafka_bootstrap:
        tracked = {name: (pos, applied) for name, feed, pos, applied, _ in rows if feed == LOG_FEED}
        return Lag(
            head=head,
            relay_position=None,
            projections=[
                ProjectionLag(
                    projection=name,
                    applied=tracked.get(name, (0, 0))[1],
                    behind=head - tracked.get(name, (0, 0))[0],
                    partitions=[],
                )
                for name in names
            ],
        )
    return _kafka_lag(conn, runtime.settings.kafka_topic, head, names, rows)


def _kafka_lag(
    conn: Connection[Any], topic: str, head: int, names: list[str], rows: list[Any]
) -> Lag:
    relayed = recorded_position(conn, topic)
    published = published_partitions(conn, topic)
    result = []
    for name in names:
        partitions, applied = [], 0
        surely = relayed  # every event up to here is applied, unless a partition lags
        for partition, (pub_position, pub_offset) in sorted(published.items()):
            feed = feed_name(topic, partition)
            row = next((r for r in rows if r[0] == name and r[1] == feed), None)
            position, count, offset = (row[2], row[3], row[4]) if row else (0, 0, None)
            applied += count
            if position < pub_position:
                surely = min(surely, position)
            partitions.append(
                PartitionLag(
                    partition=partition,
                    position=position,
                    offset=offset,
                    published_position=pub_position,
                    published_offset=pub_offset,
                    messages_behind=pub_offset - (offset if offset is not None else -1),
                )
            )
        result.append(
            ProjectionLag(
                projection=name, applied=applied, behind=head - surely, partitions=partitions
            )
        )
    return Lag(head=head, relay_position=relayed, projections=result)


class _LagCollector(Collector):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            current = lag(self.runtime)
            with self.runtime.reads.connection(timeout=DATABASE_WAIT_SECONDS) as conn:
                rebuilding = rebuild_positions(conn, [p.name for p in self.runtime.projections])
                relay_roles = relays(conn) if self.runtime.settings.kafka_bootstrap else None
        except (psycopg.Error, PoolTimeout, PersistenceError) as error:
            log.warning("metrics: PostgreSQL did not answer (%s)", type(error).__name__)
            yield GaugeMetricFamily("xuncha_database_up", "Whether PostgreSQL answered", 0)
            return
        yield GaugeMetricFamily("xuncha_database_up", "Whether PostgreSQL answered", 1)
        yield GaugeMetricFamily(
            "xuncha_log_head_position", "Notification id at the head of the event log", current.head
        )
        if current.relay_position is not None:
            yield GaugeMetricFamily(
                "xuncha_relay_position",
                "Last notification id the broker acknowledged to the relay",
                current.relay_position,
            )
            yield GaugeMetricFamily(
                "xuncha_relay_behind_positions",
                "Log positions recorded but not yet acknowledged by the broker to the relay",
                current.head - current.relay_position,
            )
        if relay_roles is not None:
            yield _by_label(
                "xuncha_relays",
                "Relays connected to the database: the active one, and standbys waiting for it",
                "role",
                relay_roles,
            )
        yield _by_label(
            "xuncha_projection_rebuild_position",
            "Log position a running `xuncha projections rebuild` reached in its shadow tables",
            "projection",
            rebuilding,
        )
        behind = GaugeMetricFamily(
            "xuncha_projection_behind_positions",
            "Log positions between what a projection surely applied and the head of the log",
            labels=["projection"],
        )
        partition_lag = GaugeMetricFamily(
            "xuncha_projection_partition_messages_behind",
            "Kafka messages a projection has still to read from a partition",
            labels=["projection", "partition"],
        )
        parked = GaugeMetricFamily(
            "xuncha_projection_parked_events",
            "Events a projection could not apply and parked; above 0 it is stopped until retried",
            labels=["projection"],
        )
        for projection in current.projections:
            behind.add_metric([projection.projection], projection.behind)
            parked.add_metric([projection.projection], len(projection.parked))
            for partition in projection.partitions:
                partition_lag.add_metric(
                    [projection.projection, str(partition.partition)], partition.messages_behind
                )
        yield behind
        yield parked
        if current.relay_position is not None:
            yield partition_lag


class _PoolCollector(Collector):
    """Connections of the reads pool and of the event store's pool (psycopg_pool's stats)."""

    def __init__(self, runtime: Runtime) -> None:
        self.pools = {"reads": runtime.reads, "store": store_pool(runtime.store)}

    def collect(self) -> Iterator[GaugeMetricFamily]:
        connections = GaugeMetricFamily(
            "xuncha_db_pool_connections",
            "Connections of a pool: open (size), idle (available), at most (max)",
            labels=["pool", "state"],
        )
        waiting = GaugeMetricFamily(
            "xuncha_db_pool_requests_waiting",
            "Requests waiting for a connection from the pool",
            labels=["pool"],
        )
        for name, pool in self.pools.items():
            if pool is None:
                continue
            stats = pool.get_stats()
            for state, key in (("size", "pool_size"), ("available", "pool_available")):
                connections.add_metric([name, state], stats.get(key, 0))
            connections.add_metric([name, "max"], stats.get("pool_max", 0))
            waiting.add_metric([name], stats.get("requests_waiting", 0))
        yield connections
        yield waiting


def _by_label(
    name: str, documentation: str, label: str, values: Mapping[str, float]
) -> GaugeMetricFamily:
    """A gauge with one sample per key of `values`, the key as its one label."""
    gauge = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in values.items():
        gauge.add_metric([key], value)
    return gauge


def metrics_registry(runtime: Runtime) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(_LagCollector(runtime))
    registry.register(_PoolCollector(runtime))
    registry.register(EVENTS_APPENDED)
    registry.register(REQUEST_SECONDS)
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return registry


def metrics_router(runtime: Runtime) -> APIRouter:
    registry = metrics_registry(runtime)
    router = APIRouter(tags=["operations"])

    @router.get("/metrics")
    def metrics(authorization: Annotated[str | None, Header()] = None) -> Response:
        """Prometheus metrics: log head, relay position, projection lag. They name no tenant,
        actor or content; with `XUNCHA_METRICS_TOKEN` set they need it as a bearer token."""
        if not may_read_metrics(runtime, authorization):
            raise Unauthenticated("/metrics needs the metrics bearer token")
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


def may_read_metrics(runtime: Runtime, authorization: str | None) -> bool:
    """Whether the caller may see positions and lag: anyone when no metrics token is set (they
    name no tenant, actor or content), else who presents it."""
    token = runtime.settings.metrics_token
    return token is None or _bearer_matches(authorization, token.get_secret_value())


def _bearer_matches(authorization: str | None, token: str) -> bool:
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())
