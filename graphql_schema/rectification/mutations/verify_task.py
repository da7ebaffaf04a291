from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class VerifyTaskInput(graphene.InputObjectType):
    task_id = graphene.ID(required=True)
    verified_on = graphene.Date(description="The day it was verified (default: today).")
    expected_version = graphene.Int(description="Refused with CONFLICT if the task moved on.")


class VerifyTask(graphene.Mutation):
    """The inspection office verifies a task reported done and closes it (对账销号)."""

    class Arguments:
        input = graphene.Argument(VerifyTaskInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rectification.verify_task(
            acting=acting_of(info),
            task_id=parse_id(input["task_id"], "taskId"),
            verified_on=input.get("verified_on"),
            expected_version=input.get("expected_version"),
        )
        return WriteResult.of(written)
