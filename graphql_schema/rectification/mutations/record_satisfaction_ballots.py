from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rectification.values import BallotChannel as DomainBallotChannel
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.rectification.types import BallotChannel
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class RecordSatisfactionBallotsInput(graphene.InputObjectType):
    task_id = graphene.ID(required=True)
    satisfied = graphene.Int(required=True, description="满意")
    basically_satisfied = graphene.Int(required=True, description="基本满意")
    dissatisfied = graphene.Int(required=True, description="不满意")
    channel = graphene.Field(BallotChannel, required=True, description="Paper or anonymous online.")
    held_on = graphene.Date(description="The day of the revisit (default: today).")
    expected_version = graphene.Int(description="Refused with CONFLICT if the task moved on.")


class RecordSatisfactionBallots(graphene.Mutation):
    """A revisit (回访) of a verified task: the masses' satisfaction ballots."""

    class Arguments:
        input = graphene.Argument(RecordSatisfactionBallotsInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rectification.record_satisfaction_ballots(
            acting=acting_of(info),
            task_id=parse_id(input["task_id"], "taskId"),
            satisfied=input["satisfied"],
            basically_satisfied=input["basically_satisfied"],
            dissatisfied=input["dissatisfied"],
            channel=DomainBallotChannel(input["channel"]),
            held_on=input.get("held_on"),
            expected_version=input.get("expected_version"),
        )
        return WriteResult.of(written)
