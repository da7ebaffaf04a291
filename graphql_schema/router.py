"""GraphQL over HTTP at /graphql, served by graphql-server's FastAPI router.

Resolvers are plain synchronous functions that talk to PostgreSQL, so a whole operation runs
in a worker thread, keeping the event loop free; the actor is stamped on events there."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from graphql import ExecutionResult, GraphQLSchema, OperationType
from graphql_server.fastapi import GraphQLRouter
from graphql_server.http import GraphQLHTTPResponse
from graphql_server.runtime import execute_sync

from domain.context import acting_as
from graphql_schema.context import RequestContext
from graphql_schema.errors import present


class XunChaGraphQLRouter(GraphQLRouter):
    async def execute_operation(
        self,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        allowed_operation_types: set[OperationType],
    ) -> ExecutionResult:
        request_context: RequestContext = context["xuncha"]

        def run() -> ExecutionResult:
            with acting_as(request_context.actor):
                return execute_sync(
                    schema=self.schema,
                    query=request_data.document or request_data.query,
                    root_value=root_value,
                    variable_values=request_data.variables,
                    context_value=context,
                    operation_name=request_data.operation_name,
                    allowed_operation_types=allowed_operation_types,
                    operation_extensions=request_data.extensions,
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


def graphql_router(schema: GraphQLSchema, context_getter: Any) -> XunChaGraphQLRouter:
    return XunChaGraphQLRouter(schema, context_getter=context_getter, include_in_schema=False)
