"""Request body size, bounded before any of it is parsed: an ASGI middleware."""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import ErrorCode
from graphql_schema.errors import language_of, worded


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuses with 413 and LIMIT_EXCEEDED a request whose body is over `max_bytes` (or the
    larger limit of a path prefix in `larger`, e.g. file uploads): at once when Content-Length
    says so, otherwise as soon as a streamed (chunked) body passes it."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})

    def limit_for(self, path: str) -> int:
        return max(
            [self.max_bytes, *(n for prefix, n in self.larger.items() if path.startswith(prefix))]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self.refuse(scope, send, limit)
            return
        received = 0
        exceeded = started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            # Once the body passed the limit, whatever the app answers (a framework may turn
            # the error into its own 400) gives way to the 413 below.
            nonlocal started
            if exceeded:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
        if exceeded and not started:
            await self.refuse(scope, send, limit)

    async def refuse(self, scope: Scope, send: Send, limit: int) -> None:
        language = language_of(Headers(scope=scope).get("accept-language"))
        message, extensions = worded(
            ErrorCode.LIMIT_EXCEEDED.value,
            f"The request body is larger than {limit} bytes",
            language,
            f"请求体超过 {limit} 字节的上限",
        )
        body = json.dumps(
            {
                "errors": [
                    {"message": message, "extensions": {**extensions, "limit": "max_request_bytes"}}
                ]
            },
            ensure_ascii=False,
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
