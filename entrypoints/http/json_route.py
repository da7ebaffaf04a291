"""A route whose JSON body is read by infrastructure/request_json.py before FastAPI parses it.

FastAPI parses bodies with the standard library and answers what that fails on (bytes that
are not UTF-8, nesting thousands deep, numbers thousands of digits long) with a bare "There was
an error parsing the body"; this route refuses them with VALIDATION_FAILED naming the reason,
and a body sent as something other than JSON too, as /graphql does.

The rule every endpoint keeps (docs/SECURITY.md "Refusals"): a body XunCha cannot read as JSON
is 400; on a REST endpoint, readable JSON that is not of its shape is 422."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from domain.errors import ValidationFailed
from infrastructure.request_json import decode_json

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ReadableJsonRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()

        async def read_then_handle(request: Request) -> Response:
            body = await request.body()  # kept by the request for FastAPI's own parsing
            if body:
                kind = request.headers.get("content-type", "")
                if "json" not in kind:
                    raise ValidationFailed(
                        "Send the body as JSON, with Content-Type: application/json "
                        f"(it came as {kind or 'no content type'})"
                    )
                decode_json(body)
            return await handle(request)

        return read_then_handle
