"""A local group-robot webhook for delivery tests: a real HTTP server on a free port that
answers 500 to its first `failures` requests and then takes messages, keeping each by its
`Idempotency-Key` once, as a receiver that deduplicates does."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Robot:
    failures: int = 0  # requests answered 500 before it recovers
    delay_seconds: float = 0.0  # how long each answer takes
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # key, body
    delivered: dict[str, dict[str, Any]] = field(default_factory=dict)  # key → first body
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def receive(self, key: str, body: dict[str, Any]) -> int:
        time.sleep(self.delay_seconds)
        with self.lock:
            self.requests.append((key, body))
            if len(self.requests) <= self.failures:
                return 500
            self.delivered.setdefault(key, body)
            return 200


def _handler(robot: Robot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            status = robot.receive(self.headers.get("Idempotency-Key", ""), body)
            answer = json.dumps({"errcode": 0 if status == 200 else -1}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running_robot(robot: Robot) -> Iterator[Robot]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(robot))
    robot.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=SECRET-KEY"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield robot
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
