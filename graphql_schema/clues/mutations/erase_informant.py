from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.clues.mutations.triage_clue import EXPECTED_VERSION
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class EraseInformantInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    reason = graphene.String(required=True)
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class EraseInformant(graphene.Mutation):
    """Destroy the key of a clue's informant identity (InformantErased; informant clearance
    only): afterwards no query, export or replay can recover it; the rest of the clue's
    history stays intact."""

    class Arguments:
        input = graphene.Argument(EraseInformantInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.erase_informant(
            parse_id(input["clue_id"], "clueId"),
            reason=input["reason"],
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
