"""With `XUNCHA_OTEL_ENDPOINT` set, `xuncha serve` sends OpenTelemetry traces over OTLP/HTTP:
a span per request and per PostgreSQL statement, with no query string or statement parameter."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from infrastructure.settings import Settings
from tests.e2e.test_serve_restart import wait_until_healthy
from tests.support.auth import TokenMint
from tests.support.servers import free_port

SECRET = secrets.token_urlsafe(48)
MARKER = "举报人-variable-7741"


class Collector(ThreadingHTTPServer):
    """An OTLP/HTTP trace receiver: keeps every span it is sent, as (name, attributes)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Receive)
        self.spans: list[tuple[str, dict[str, str]]] = []
        self.received = threading.Condition()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def wait_for(self, condition: Any, timeout: float = 60) -> bool:
        with self.received:
            return self.received.wait_for(lambda: condition(self.spans), timeout=timeout)


class _Receive(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        export = ExportTraceServiceRequest.FromString(body)
        spans = [
            (
                span.name,
                {a.key: str(a.value.string_value or a.value.int_value) for a in span.attributes},
            )
            for resource in export.resource_spans
            for scope in resource.scope_spans
            for span in scope.spans
        ]
        with self.server.received:
            self.server.spans.extend(spans)
            self.server.received.notify_all()
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_serve_sends_spans_of_requests_and_statements_without_their_data(
    collector: Collector, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XUNCHA_", "OTEL_"))}
    env.update(
        XUNCHA_DATABASE_URL=database_url,
        XUNCHA_DATA_DIR=str(tmp_path / "data"),
        XUNCHA_JWT_SECRET=SECRET,
        XUNCHA_OTEL_ENDPOINT=collector.endpoint,
        OTEL_BSP_SCHEDULE_DELAY="200",  # export every 0.2 s rather than every 5 s
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    headers = TokenMint.of(Settings(jwt_secret=SECRET)).headers()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, headers=headers) as http:
            wait_until_healthy(http, process)
            answer = http.get(
                "/graphql",
                params={
                    "query": "query($code: String) { tenants { code } }",
                    "variables": f'{{"code": "{MARKER}"}}',
                },
            )
            assert answer.status_code == 200, answer.text

        def traced(spans: list[tuple[str, dict[str, str]]]) -> bool:
            names = {name for name, _ in spans}
            return "GET /graphql" in names and any(
                a.get("db.system") == "postgresql" or a.get("db.system.name") == "postgresql"
                for _, a in spans
            )

        assert collector.wait_for(traced), sorted({name for name, _ in collector.spans})
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    for name, attributes in collector.spans:
        assert MARKER not in name
        assert not [v for v in attributes.values() if MARKER in v or "variables" in v], name
    assert not [name for name, _ in collector.spans if "healthz" in name]
