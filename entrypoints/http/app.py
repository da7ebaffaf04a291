"""The HTTP edge: FastAPI with GraphQL (and GraphiQL) at /graphql, liveness at /healthz,
readiness at /readyz, metrics at /metrics and the OpenAPI page at /docs (its assets served here).

Every GraphQL request carries a bearer token; its principal is in the request context. Every
error answer, from XunCha, FastAPI or Starlette, has the GraphQL error shape with a code in
`extensions.code` and its Chinese label in `extensions.label`, a message in the caller's
language (Chinese unless Accept-Language prefers `en`), and never a stack trace."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, nullcontext
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import ErrorCode, ValidationFailed, XunChaError
from entrypoints.http.docs import SWAGGER_ASSETS_PATH, api_docs_router, swagger_assets
from entrypoints.http.documents import documents_router
from entrypoints.http.health import health_router
from entrypoints.http.limits import BodySizeLimit
from entrypoints.http.metrics import metrics_router
from entrypoints.http.oidc_sign_in import oidc_router
from entrypoints.http.submission_models import MAX_SUBMISSION_BYTES, SUBMISSIONS_PATH
from entrypoints.http.submissions import submissions_router
from entrypoints.http.uploads import MAX_UPLOAD_BYTES, units_upload_router
from entrypoints.http.web_session import WebAuth, session_router
from entrypoints.http.webapp import mount_webapp
from graphql_schema.api import schema
from graphql_schema.context import MIN_POSITION_HEADER, RequestContext
from graphql_schema.errors import INTERNAL_SERVER_ERROR, language_of, refusal, worded
from graphql_schema.graphiql import ASSETS_PATH, graphiql_assets
from graphql_schema.router import graphql_router, response_media_type, wants_graphiql
from infrastructure.auth import Principal, authenticator_for
from infrastructure.logs import (
    AccessLog,
    bind_caller,
    log_refusal,
    name_operation,
    route_label,
)
from infrastructure.telemetry import observe_request
from infrastructure.tracing import trace_requests
from services.deadline_watch import watching_deadlines
from services.runtime import Runtime

STATUS_OF = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.LIMIT_EXCEEDED: 413,
    ErrorCode.STALE: 503,
}
MAX_POSITION = 2**63 - 1  # a log position is a PostgreSQL bigint
CODE_OF = {401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND}


def create_app(
    runtime: Runtime, *, close_runtime_on_shutdown: bool = False, watch_deadlines: bool = False
) -> FastAPI:
    """The API over `runtime`. A server that owns the runtime closes it on shutdown, however
    the server was run (plain uvicorn re-raises SIGTERM after shutting down, so code after
    `uvicorn.run` would never run then). With `watch_deadlines` it checks deadlines in the
    background while it serves (services/deadline_watch.py), stopping before the runtime
    closes."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with watching_deadlines(runtime) if watch_deadlines else nullcontext():
            yield
        if close_runtime_on_shutdown:
            runtime.close()

    app = FastAPI(
        title="XunCha 巡察", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=runtime.settings.max_request_bytes,
        larger={
            "/imports/": MAX_UPLOAD_BYTES + 1_000_000,  # a file, plus the form around it
            SUBMISSIONS_PATH: MAX_SUBMISSION_BYTES,  # up to MAX_ITEMS full-length commands
        },
    )
    app.add_middleware(AccessLog, observe=observe_request)
    if runtime.settings.otel_endpoint is not None:
        trace_requests(app)
    web = WebAuth(runtime, authenticator_for(runtime.settings))

    def bind(principal: Principal) -> None:
        bind_caller(principal.tenant_id, principal.role.value)

    def authenticate(request: Request) -> Principal:
        principal = web.principal(request, request.headers.get("authorization"))
        bind(principal)
        return principal

    def graphql_context(
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        min_position: Annotated[str | None, Header(alias=MIN_POSITION_HEADER)] = None,
    ) -> dict[str, Any]:
        name_operation("graphql")  # until the router knows which operation
        if wants_graphiql(router, request):
            return {}  # the IDE page itself holds no data; its queries carry a token
        principal = authenticate(request)
        return {
            "xuncha": RequestContext(
                runtime=runtime, principal=principal, min_position=_position(min_position)
            )
        }

    router = graphql_router(schema.graphql_schema, graphql_context)
    app.include_router(router, prefix="/graphql")
    app.mount(ASSETS_PATH, graphiql_assets(), name="graphiql-assets")
    app.include_router(metrics_router(runtime))
    app.include_router(health_router(runtime))
    app.include_router(api_docs_router(app))
    app.mount(SWAGGER_ASSETS_PATH, swagger_assets(), name="swagger-assets")
    app.include_router(units_upload_router(runtime, authenticate))
    app.include_router(submissions_router(runtime, authenticate))
    app.include_router(documents_router(runtime, authenticate))
    app.include_router(session_router(runtime, web, bind))
    app.include_router(oidc_router(runtime))
    mount_webapp(app, runtime, web)

    @app.exception_handler(XunChaError)
    def refused(request: Request, error: XunChaError) -> JSONResponse:
        status = STATUS_OF.get(error.code, 400)
        log_refusal(route_label(request.scope), error.code.value)
        headers = None
        if error.code is ErrorCode.UNAUTHENTICATED:  # RFC 6750 §3
            kind = error.details.get("reason", "invalid_token")
            headers = {"WWW-Authenticate": f'Bearer realm="xuncha", error="{kind}"'}
            if kind == "missing_token":
                headers = {"WWW-Authenticate": 'Bearer realm="xuncha"'}
        message, extensions = refusal(error, _language(request))
        return _error(request, status, message, extensions, headers)

    @app.exception_handler(RequestValidationError)
    def malformed(request: Request, error: RequestValidationError) -> JSONResponse:
        code, language = ErrorCode.VALIDATION_FAILED.value, _language(request)
        problems = []
        for e in error.errors():
            where = ".".join(str(p) for p in e.get("loc", ()))
            message, extensions = worded(code, f"{where}: {e.get('msg')}", language)
            problems.append({"message": message, "extensions": extensions})
        log_refusal(route_label(request.scope), ErrorCode.VALIDATION_FAILED.value)
        return JSONResponse({"errors": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = CODE_OF.get(error.status_code, ErrorCode.VALIDATION_FAILED)
        log_refusal(route_label(request.scope), code.value)
        message, extensions = worded(code.value, str(error.detail), _language(request))
        return _error(request, error.status_code, message, extensions, error.headers)

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> JSONResponse:
        # AccessLog logged it, with its traceback and the request's id.
        message, extensions = worded(
            INTERNAL_SERVER_ERROR, "Internal server error", _language(request)
        )
        return _error(request, 500, message, extensions)

    return app


def _error(
    request: Request,
    status: int,
    message: str,
    extensions: dict[str, Any],
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": extensions}]},
        status_code=status,
        headers=headers,
        media_type=response_media_type(request),
    )


def _language(request: Request) -> str:
    return language_of(request.headers.get("accept-language"))


def _position(header: str | None) -> int | None:
    if header is None or header == "":
        return None
    digits = header.lstrip("0") or "0"
    # The length first: int() of thousands of digits is slow, and refused past 4,300.
    readable = header.isascii() and header.isdigit() and len(digits) <= len(str(MAX_POSITION))
    if not readable or int(digits) > MAX_POSITION:
        raise ValidationFailed(
            f"{MIN_POSITION_HEADER} must be a log position (a whole number up to {MAX_POSITION})"
        )
    return int(digits)
