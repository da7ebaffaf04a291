from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.clues.mutations.triage_clue import EXPECTED_VERSION
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class AcceptClueInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class AcceptClue(graphene.Mutation):
    """The handling body accepts a transferred clue (受理, ClueAccepted)."""

    class Arguments:
        input = graphene.Argument(AcceptClueInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.accept_clue(
            parse_id(input["clue_id"], "clueId"),
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
