"""The HTTP edge: FastAPI with GraphQL at /graphql and health at /healthz."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from domain.errors import ErrorCode, ValidationFailed, XunChaError
from graphql_schema.api import schema
from graphql_schema.context import MIN_POSITION_HEADER, RequestContext
from graphql_schema.router import graphql_router
from services.runtime import Runtime

ANONYMOUS = "anonymous"


def create_app(runtime: Runtime, *, close_runtime_on_shutdown: bool = False) -> FastAPI:
    """The API over `runtime`. A server that owns the runtime closes it on shutdown: uvicorn
    re-raises SIGTERM after shutting down, so code after `uvicorn.run` never runs then."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if close_runtime_on_shutdown:
            runtime.close()

    app = FastAPI(title="XunCha 巡察", version="0.1.0", lifespan=lifespan)

    def graphql_context(
        request: Request,
        min_position: Annotated[str | None, Header(alias=MIN_POSITION_HEADER)] = None,
    ) -> dict[str, Any]:
        return {
            "xuncha": RequestContext(
                runtime=runtime, actor=ANONYMOUS, min_position=_position(min_position)
            )
        }

    app.include_router(graphql_router(schema.graphql_schema, graphql_context), prefix="/graphql")

    @app.exception_handler(XunChaError)
    def refused(_request: Request, error: XunChaError) -> JSONResponse:
        status = 503 if error.code is ErrorCode.STALE else 400
        body = {"errors": [{"message": error.message, "extensions": _extensions(error)}]}
        return JSONResponse(body, status_code=status)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, Any]:
        """Liveness, the head of the event log, and how far each projection has applied it."""
        return {
            "status": "ok",
            "position": runtime.store.max_position(),
            "projections": runtime.projection_progress(),
        }

    return app


def _position(header: str | None) -> int | None:
    if header is None or header == "":
        return None
    if not header.isdigit():
        raise ValidationFailed(f"{MIN_POSITION_HEADER} must be a log position (a whole number)")
    return int(header)


def _extensions(error: XunChaError) -> dict[str, Any]:
    return {"code": error.code.value, **error.details}
