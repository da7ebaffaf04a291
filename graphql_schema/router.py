"""GraphQL over HTTP at /graphql, served by graphql-server's FastAPI router.

Resolvers are plain synchronous functions that talk to PostgreSQL, so a whole operation runs
in a worker thread, keeping the event loop free; the caller is stamped on events there, and
its reads share one read transaction (services/reads.py `sharing`). Each operation is
validated with the depth and cost limits (graphql_schema/limits.py) besides the spec's rules
(those parsed and checked once per document text, `checked_document`). A browser asking
for HTML gets GraphiQL with locally served assets. Every error answer, including the router's
own protocol errors, is GraphQL-shaped with `extensions.code`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from anyio import to_thread
from fastapi.routing import APIWebSocketRoute
from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    parse,
    specified_rules,
    validate,
)
from graphql_server.exceptions import GraphQLValidationError
from graphql_server.fastapi import GraphQLRouter
from graphql_server.http import GraphQLHTTPResponse
from graphql_server.http.exceptions import HTTPException
from graphql_server.runtime import execute_sync
from graphql_server.types.unset import UNSET
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from domain.context import acting_as
from domain.errors import ErrorCode, Unauthenticated
from graphql_schema.context import RequestContext
from graphql_schema.errors import present
from graphql_schema.graphiql import GRAPHIQL_HEADERS, graphiql_html
from graphql_schema.limits import query_limits

GRAPHQL_RESPONSE = "application/graphql-response+json"
DOCUMENT_CACHE_SIZE = 512  # distinct operations remembered parsed and validated
# Longer documents are checked every time, so the cache holds at most 512 × 20,000 characters
# of source (and their syntax trees) whatever clients send.
CACHED_DOCUMENT_CHARS = 20_000


def _check(schema: GraphQLSchema, query: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """`query` parsed, with what the spec's rules find wrong in it."""
    try:
        document = parse(query)
    except GraphQLError as error:
        raise GraphQLValidationError([error]) from error
    return document, tuple(validate(schema, document, specified_rules))


# Both depend on the text and the schema only, so a client's operations are checked once, not
# at every request. (The depth and cost limits depend on the variables and run every time.)
checked_document = lru_cache(maxsize=DOCUMENT_CACHE_SIZE)(_check)


def _document(
    schema: GraphQLSchema, query: Any, limits: type[ASTValidationRule]
) -> DocumentNode | Any:
    """The parsed document of `query` (left to the runtime when not text), refused with
    every error (the spec's and the limits') when the spec's rules find it wrong."""
    if not (isinstance(query, str) and query):
        return query
    check = checked_document if len(query) <= CACHED_DOCUMENT_CHARS else _check
    document, errors = check(schema, query)
    if errors:
        raise GraphQLValidationError([*errors, *validate(schema, document, (limits,))])
    return document


class XunChaGraphQLRouter(GraphQLRouter):
    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as error:
            if error.status_code < 400:  # a CORS pre-flight answered by the router
                return Response(status_code=error.status_code)
            return protocol_error(request, error.status_code, error.reason)

    async def execute_operation(
        self,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        allowed_operation_types: set[OperationType],
    ) -> ExecutionResult:
        request_context: RequestContext | None = context.get("xuncha")
        if request_context is None:  # only the GraphiQL page goes without a principal
            raise Unauthenticated("This API needs a bearer token")
        settings = request_context.runtime.settings
        limits = query_limits(
            max_depth=settings.max_query_depth,
            max_cost=settings.max_query_cost,
            variables=request_data.variables,
        )
        query = request_data.document or request_data.query

        def run() -> ExecutionResult:
            document = _document(self.schema, query, limits)
            with acting_as(request_context.actor), request_context.read_session.sharing():
                return execute_sync(
                    schema=self.schema,
                    query=document,
                    root_value=root_value,
                    variable_values=request_data.variables,
                    context_value=context,
                    operation_name=request_data.operation_name,
                    allowed_operation_types=allowed_operation_types,
                    operation_extensions=request_data.extensions,
                    validation_rules=(limits,),
                    validate_document=True,
                )

        return await to_thread.run_sync(run)

    async def process_result(
        self, request: Any, result: ExecutionResult, strict: bool = False
    ) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {} if strict and not result.data else {"data": result.data}
        if result.errors:
            response["errors"] = [present(error) for error in result.errors]
        if result.extensions:
            response["extensions"] = result.extensions
        return response

    async def render_graphql_ide(self, request: Request, request_data: Any) -> HTMLResponse:
        return HTMLResponse(graphiql_html(), headers=GRAPHIQL_HEADERS)


def wants_graphiql(router: GraphQLRouter, request: Request) -> bool:
    """Whether this request gets the GraphiQL page (a browser's GET) rather than an answer."""
    return bool(router.graphql_ide) and router.should_render_graphql_ide(
        router.request_adapter_class(request)
    )


def response_media_type(request: Request) -> str:
    accept = request.headers.get("accept", "")
    return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in accept else "application/json"


def protocol_error(request: Request, status: int, message: str) -> JSONResponse:
    """A request the router cannot take (bad JSON, wrong method, …) as a GraphQL error."""
    code = ErrorCode.VALIDATION_FAILED.value
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        media_type=response_media_type(request),
    )


def graphql_router(schema: GraphQLSchema, context_getter: Any) -> XunChaGraphQLRouter:
    router = XunChaGraphQLRouter(schema, context_getter=context_getter, include_in_schema=False)
    # XunCha has no subscriptions: no WebSocket endpoint to attack.
    router.routes[:] = [r for r in router.routes if not isinstance(r, APIWebSocketRoute)]
    return router
