"""How XunCha logs: one line per record, and nothing a log reader should not see.

PostgreSQL explains a refused row in a DETAIL line that quotes the row ("Failing row contains
(…)", "Key (…)=(…) already exists"), and psycopg puts that line into the exception's text; an
error logged with its traceback would copy clue text or an informant's details into the log.
The formatter drops those lines. Requests are logged by method, path and status only
(entrypoints/http/app.py): query strings, which may carry GraphQL variables, never are."""

from __future__ import annotations

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ROW_DETAIL = re.compile(r"^\s*(DETAIL|CONTEXT):.*$", re.MULTILINE)
REDACTED = "DETAIL: (withheld from the log)"
access = logging.getLogger("xuncha.access")


class RedactingFormatter(logging.Formatter):
    def formatException(self, ei: logging._SysExcInfoType) -> str:  # noqa: N802 (logging's name)
        return _ROW_DETAIL.sub(REDACTED, super().formatException(ei))

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802
        return _ROW_DETAIL.sub(REDACTED, super().formatMessage(record))


def configure(level: int = logging.INFO) -> None:
    """Log to standard error through the redacting formatter, unless logging is already set
    up (as `logging.basicConfig` does; a test runner's capture, say)."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


class AccessLog:
    """ASGI middleware: one line per request — method, path, status, milliseconds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            access.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, elapsed)
