"""The process's own Prometheus counters and histograms, kept outside any registry: each API's
/metrics registry (entrypoints/http/metrics.py) registers them beside what it reads from the
database. They carry no tenant, actor or content: only bounded labels."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

EVENTS_APPENDED = Counter(
    "xuncha_events_appended",
    "Events this process recorded in the event store",
    registry=None,
)
REQUEST_SECONDS = Histogram(
    "xuncha_http_request_duration_seconds",
    "HTTP requests by operation (GraphQL root field, or route template) and status",
    labelnames=["operation", "status"],
    registry=None,
)


def observe_request(operation: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(operation=operation, status=str(status)).observe(seconds)
