from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import PriorityClass as DomainPriorityClass
from graphql_schema.clues.types import PriorityClass
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult

EXPECTED_VERSION = "The clue's version the command was prepared against; refused with CONFLICT "
EXPECTED_VERSION += "(and nothing written) when the clue has moved on."


class TriageClueInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    priority = graphene.Field(PriorityClass, required=True)
    proposed_route = graphene.String(required=True, description="E.g. 移交纪委监委.")
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class TriageClue(graphene.Mutation):
    """Classify a clue (ClueTriaged): priority class and proposed route."""

    class Arguments:
        input = graphene.Argument(TriageClueInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.triage_clue(
            parse_id(input["clue_id"], "clueId"),
            priority=DomainPriorityClass(input["priority"].value),
            proposed_route=input["proposed_route"],
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
