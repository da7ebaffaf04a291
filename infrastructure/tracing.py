"""Optional OpenTelemetry traces: with `XUNCHA_OTEL_ENDPOINT` set and the `otel` extra
installed, spans of HTTP requests (entrypoints/http/app.py) and of PostgreSQL statements go to
an OTLP/HTTP collector. Statements are traced as SQL text with placeholders, never their
parameters; request spans carry the path, never the query string (it may hold GraphQL
variables)."""

from __future__ import annotations

import logging
from typing import Any

from infrastructure.settings import Settings

log = logging.getLogger(__name__)
SERVICE_NAME = "xuncha"
MISSING_EXTRA = (
    "XUNCHA_OTEL_ENDPOINT is set but OpenTelemetry is not installed "
    "(pip install 'xuncha[otel]'): no traces are sent"
)


def start_tracing(settings: Settings) -> bool:
    """Send traces to the configured collector, psycopg's statements included; whether it
    does. Call before connecting: connections opened earlier are not traced."""
    if settings.otel_endpoint is None:
        return False
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        log.warning(MISSING_EXTRA)
        return False
    endpoint = settings.otel_endpoint.rstrip("/") + "/v1/traces"
    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    PsycopgInstrumentor().instrument(tracer_provider=provider)
    log.info("sending traces to %s", endpoint)
    return True


def trace_requests(app: Any) -> None:
    """Trace each HTTP request of `app` (a FastAPI application) but the probes and scrapes."""
    try:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    except ImportError:
        log.warning(MISSING_EXTRA)
        return
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="/healthz,/readyz,/metrics", server_request_hook=_path_only
    )


# Attributes the ASGI instrumentation fills with the whole URL or its query string.
_URL_ATTRIBUTES = ("http.url", "url.full", "http.target")


def _path_only(span: Any, scope: dict[str, Any]) -> None:
    if span is None or not span.is_recording():
        return
    path = scope.get("path", "")
    for attribute in _URL_ATTRIBUTES:
        span.set_attribute(attribute, path)
    span.set_attribute("url.query", "")
