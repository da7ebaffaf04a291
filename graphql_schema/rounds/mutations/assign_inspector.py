from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import TeamRole as DomainTeamRole
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.rounds.types import TeamRole, as_domain
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class AssignInspectorInput(graphene.InputObjectType):
    round_id = graphene.ID(required=True)
    inspector_id = graphene.ID(required=True)
    role = graphene.Field(TeamRole, required=True)


class AssignInspector(graphene.Mutation):
    """Put an inspector on a round's team; refused when a recusal (回避) rule applies."""

    class Arguments:
        input = graphene.Argument(AssignInspectorInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rounds.assign_inspector(
            round_id=parse_id(input["round_id"], "roundId"),
            inspector_id=parse_id(input["inspector_id"], "inspectorId"),
            role=as_domain(DomainTeamRole, input["role"]),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
