"""GraphQL over HTTP at /graphql, served by graphql-server's FastAPI router.

Resolvers are plain synchronous functions that talk to PostgreSQL, so a whole operation runs
in a worker thread, keeping the event loop free; the caller is stamped on events there, and
its reads share one read transaction (services/reads.py `sharing`). Each operation is
validated with the field, depth and cost limits (graphql_schema/limits.py) and refuses text
PostgreSQL cannot hold (graphql_schema/storable_text.py) besides the spec's rules (those
parsed and checked once per document text, `checked_document`); bodies are decoded by
infrastructure/request_json.py, and one that is not a single JSON object (a batch) is refused.
A browser asking for HTML gets GraphiQL with locally served assets. Every error answer,
including the router's own protocol errors, is GraphQL-shaped with `extensions.code` and
`extensions.label`, its message in the caller's language (graphql_schema/errors.py)."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any

import orjson
from anyio import to_thread
from fastapi.routing import APIWebSocketRoute
from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql_server.exceptions import GraphQLValidationError
from graphql_server.fastapi import GraphQLRouter
from graphql_server.http import GraphQLHTTPResponse, GraphQLRequestData
from graphql_server.http.exceptions import HTTPException
from graphql_server.runtime import execute_sync
from graphql_server.types.unset import UNSET
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from domain.context import acting_as
from domain.errors import ErrorCode, Unauthenticated, ValidationFailed
from graphql_schema.context import RequestContext
from graphql_schema.errors import INTERNAL_SERVER_ERROR, language_of, present, worded
from graphql_schema.graphiql import GRAPHIQL_HEADERS, graphiql_html
from graphql_schema.limits import query_limits
from graphql_schema.storable_text import storable_text
from infrastructure.logs import log_refusal, name_operation, route_label
from infrastructure.request_json import decode_json

GRAPHQL_RESPONSE = "application/graphql-response+json"
INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})
# graphql-server logs every error of a result at ERROR with its traceback, a caller's refusal
# (NOT_FOUND, FORBIDDEN, …) included, so any caller could flood the log. process_result logs
# them instead: a refusal as one INFO line, a failure with its traceback (graphql_schema.errors).
logging.getLogger("graphql_server.execution").disabled = True
DOCUMENT_CACHE_SIZE = 512  # distinct operations remembered parsed and validated
# Longer documents are checked every time, so the cache holds at most 512 × 20,000 characters
# of source (and their syntax trees) whatever clients send.
CACHED_DOCUMENT_CHARS = 20_000

Rules = tuple[type[ASTValidationRule], ...]


def _check(schema: GraphQLSchema, query: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """`query` parsed, with what the spec's rules find wrong in it."""
    try:
        document = parse(query)
    except GraphQLError as error:
        raise GraphQLValidationError([error]) from error
    return document, tuple(validate(schema, document, specified_rules))


# Both depend on the text and the schema only, so a client's operations are checked once, not
# at every request. (The limits depend on the variables and run every time.)
checked_document = lru_cache(maxsize=DOCUMENT_CACHE_SIZE)(_check)


def _document(schema: GraphQLSchema, query: Any, rules: Rules) -> DocumentNode | Any:
    """The parsed document of `query` (left to the runtime when not text), refused with
    every error (the spec's and the request's rules') when the spec's rules find it wrong."""
    if not (isinstance(query, str) and query):
        return query
    check = checked_document if len(query) <= CACHED_DOCUMENT_CHARS else _check
    document, errors = check(schema, query)
    if errors:
        raise GraphQLValidationError([*errors, *validate(schema, document, rules)])
    return document


class XunChaGraphQLRouter(GraphQLRouter):
    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as error:
            if error.status_code < 400:  # a CORS pre-flight answered by the router
                return Response(status_code=error.status_code)
            return protocol_error(request, error.status_code, error.reason)

    def encode_json(self, data: object) -> str:
        """Answers in UTF-8 as they are: Chinese text readable, not escaped as `\\uXXXX`."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # e.g. an integer past 64 bits, which orjson does not write
            return json.dumps(data, ensure_ascii=False)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return decode_json(data)
        except ValidationFailed as error:
            raise HTTPException(400, error.message) from None

    async def get_graphql_request_data(
        self, request: Any, context: Any, data: Any, protocol: Any
    ) -> GraphQLRequestData:
        if not isinstance(data, dict):  # e.g. a batch (a list of operations): not supported
            raise HTTPException(400, "The body must be one JSON object with a `query`")
        return await super().get_graphql_request_data(request, context, data, protocol)

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
        rules: Rules = (
            query_limits(
                max_depth=settings.max_query_depth,
                max_cost=settings.max_query_cost,
                max_fields=settings.max_query_fields,
                variables=request_data.variables,
            ),
            storable_text(request_data.variables),
        )
        query = request_data.document or request_data.query

        def run() -> ExecutionResult:
            document = _document(self.schema, query, rules)  # here, off the event loop
            if isinstance(document, DocumentNode):
                label_operation(self.schema, document, request_data.operation_name)
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
                    validation_rules=rules,
                    validate_document=True,
                )

        return await to_thread.run_sync(run)

    async def process_result(
        self, request: Any, result: ExecutionResult, strict: bool = False
    ) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {} if strict and not result.data else {"data": result.data}
        if result.errors:
            language = language_of(request.headers.get("accept-language"))
            presented = [present(error, language) for error in result.errors]
            response["errors"] = list[object](presented)
            operation = route_label(request.scope)
            for error in presented:
                code = error.get("extensions", {}).get("code", INTERNAL_SERVER_ERROR)
                if code != INTERNAL_SERVER_ERROR:  # a failure was logged, with its traceback
                    log_refusal(operation, code)
        if result.extensions:
            response["extensions"] = result.extensions
        return response

    async def render_graphql_ide(self, request: Request, request_data: Any) -> HTMLResponse:
        return HTMLResponse(graphiql_html(), headers=GRAPHIQL_HEADERS)


def label_operation(schema: GraphQLSchema, document: DocumentNode, name: str | None) -> None:
    """Name the request's operation by its kind and root field (`query:clueLedger`), a label
    of bounded cardinality (the schema's fields), unlike the name a client gives it; several
    root fields are `multiple`, a field the schema lacks or no operation found `unknown`."""
    operation = get_operation_ast(document, name)
    if operation is None:
        name_operation("graphql:unknown")
        return
    root = schema.get_root_type(operation.operation)
    known = INTROSPECTION_FIELDS | set(root.fields if root is not None else ())
    selections = operation.selection_set.selections
    if len(selections) > 1:
        field = "multiple"
    elif selections and isinstance(selections[0], FieldNode) and selections[0].name.value in known:
        field = selections[0].name.value
    else:
        field = "unknown"
    name_operation(f"{operation.operation.value}:{field}")


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
    language = language_of(request.headers.get("accept-language"))
    worded_message, extensions = worded(ErrorCode.VALIDATION_FAILED.value, message, language)
    return JSONResponse(
        {"errors": [{"message": worded_message, "extensions": extensions}]},
        status_code=status,
        media_type=response_media_type(request),
    )


def graphql_router(schema: GraphQLSchema, context_getter: Any) -> XunChaGraphQLRouter:
    router = XunChaGraphQLRouter(schema, context_getter=context_getter, include_in_schema=False)
    # XunCha has no subscriptions: no WebSocket endpoint to attack.
    router.routes[:] = [r for r in router.routes if not isinstance(r, APIWebSocketRoute)]
    return router
