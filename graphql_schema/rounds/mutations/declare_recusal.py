from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class DeclareRecusalInput(graphene.InputObjectType):
    round_id = graphene.ID(required=True)
    inspector_id = graphene.ID(required=True)
    unit_id = graphene.ID(required=True, description="The target unit the conflict concerns.")
    reason = graphene.String(required=True)
    declared_on = graphene.Date(required=True)


class DeclareRecusal(graphene.Mutation):
    """Record a declared recusal (公务回避): the inspector leaves or stays off the team."""

    class Arguments:
        input = graphene.Argument(DeclareRecusalInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rounds.declare_recusal(
            round_id=parse_id(input["round_id"], "roundId"),
            inspector_id=parse_id(input["inspector_id"], "inspectorId"),
            unit_id=parse_id(input["unit_id"], "unitId"),
            reason=input["reason"],
            on=input["declared_on"],
            acting=acting_of(info),
        )
        return WriteResult.of(written)
