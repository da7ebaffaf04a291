from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class ReportTaskDoneInput(graphene.InputObjectType):
    task_id = graphene.ID(required=True)
    evidence = graphene.String(required=True, description="整改佐证材料: what shows it done.")
    done_on = graphene.Date(description="The day it was done (default: today).")
    expected_version = graphene.Int(description="Refused with CONFLICT if the task moved on.")


class ReportTaskDone(graphene.Mutation):
    """The unit reports a rectification task done, with evidence."""

    class Arguments:
        input = graphene.Argument(ReportTaskDoneInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rectification.report_task_done(
            acting=acting_of(info),
            task_id=parse_id(input["task_id"], "taskId"),
            evidence=input["evidence"],
            done_on=input.get("done_on"),
            expected_version=input.get("expected_version"),
        )
        return WriteResult.of(written)
