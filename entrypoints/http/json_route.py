"""A route whose JSON body is read by infrastructure/request_json.py before FastAPI parses it.

FastAPI parses bodies with the standard library and answers what that fails on (bytes that
are not UTF-8, nesting thousands deep, numbers thousands of digits long) with a bare "There was
an error parsing the body"; this route refuses them with VALIDATION_FAILED naming the reason."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from infrastructure.request_json import decode_json

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ReadableJsonRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handle = super().get_route_handler()

        async def read_then_handle(request: Request) -> Response:
            if "json" in request.headers.get("content-type", ""):
                body = await request.body()  # kept by the request for FastAPI's own parsing
                if body:
                    decode_json(body)
            return await handle(request)

        return read_then_handle
