"""Liveness and readiness, for an orchestrator and a load balancer.

`/healthz`: the process answers; it touches nothing else, so it answers at once even while
PostgreSQL is away (a restart would not bring PostgreSQL back). `/readyz`: whether this API can
serve — PostgreSQL answers within a short timeout, every projection is within
`XUNCHA_READY_MAX_LAG` log positions of the head and none is stopped at a parked event, and the
broker accepts connections when Kafka is configured; 200 or 503, naming the failed checks.
Positions are shown only to who may read /metrics."""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field
from typing import Annotated, Any

import psycopg
from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout

from entrypoints.http.metrics import Lag, lag, may_read_metrics
from services.runtime import Runtime

log = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2  # libpq's connect_timeout counts whole seconds, at least 2


@dataclass
class Readiness:
    failed: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return not self.failed


def health_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers. Touches neither PostgreSQL nor the broker."""
        return {"status": "ok"}

    @router.get("/readyz")
    def readyz(authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
        """Readiness: 200 when PostgreSQL answers, projections are within the allowed lag and
        none is stopped, and the broker (if any) is reachable; else 503. `failed` names the
        checks that failed; positions are shown to who may read /metrics."""
        readiness = check(runtime)
        body: dict[str, Any] = {"status": "ready" if readiness.ready else "not ready"}
        if readiness.failed:
            body["failed"] = readiness.failed
        if may_read_metrics(runtime, authorization):
            body.update(readiness.details)
        return JSONResponse(body, status_code=200 if readiness.ready else 503)

    return router


def check(runtime: Runtime) -> Readiness:
    readiness = Readiness()
    try:
        if not _database_answers(runtime.database.url):
            readiness.failed.append("database")
        else:
            _check_projections(runtime, lag(runtime), readiness)
    except (psycopg.Error, PoolTimeout, PersistenceError) as error:  # lost since it answered
        log.warning("readiness: PostgreSQL failed a query (%s)", type(error).__name__)
        readiness.failed.append("database")
    if runtime.settings.kafka_bootstrap and not _broker_reachable(runtime.settings.kafka_bootstrap):
        readiness.failed.append("broker")
    return readiness


def _database_answers(url: str) -> bool:
    """A fresh connection (not a pooled one, which may be stale or all in use) and one query,
    each within the timeout."""
    timeout_ms = CHECK_TIMEOUT_SECONDS * 1000
    try:
        with psycopg.connect(
            url,
            connect_timeout=CHECK_TIMEOUT_SECONDS,
            options=f"-c statement_timeout={timeout_ms}",
            autocommit=True,
            application_name="xuncha-readiness",
        ) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error as error:
        log.warning("readiness: PostgreSQL did not answer (%s)", type(error).__name__)
        return False


def _check_projections(runtime: Runtime, current: Lag, readiness: Readiness) -> None:
    allowed = runtime.settings.ready_max_lag
    behind = {p.projection: p.behind for p in current.projections}
    stopped = {
        p.projection: {
            "position": min(e.position for e in p.parked),
            "error": min(p.parked, key=lambda e: e.position).error_class,  # no message: data
        }
        for p in current.projections
        if p.stopped
    }
    if any(b > allowed for b in behind.values()):
        readiness.failed.append("projections_lag")
    if stopped:
        readiness.failed.append("projections_stopped")
    readiness.details.update(
        position=current.head,
        projections=runtime.projection_progress(),
        behind=behind,
    )
    if stopped:
        readiness.details["stopped"] = stopped


def _broker_reachable(bootstrap: str) -> bool:
    """Whether any bootstrap server accepts a TCP connection within the timeout."""
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host.strip("[]"), int(port)), CHECK_TIMEOUT_SECONDS):
                return True
        except (OSError, ValueError):
            continue
    log.warning("readiness: no Kafka bootstrap server accepted a connection")
    return False
