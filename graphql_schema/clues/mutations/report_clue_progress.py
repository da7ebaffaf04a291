from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.clues.mutations.triage_clue import EXPECTED_VERSION
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class ReportClueProgressInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    progress = graphene.String(required=True)
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class ReportClueProgress(graphene.Mutation):
    """The handler reports how an accepted clue is going (ClueProgressReported)."""

    class Arguments:
        input = graphene.Argument(ReportClueProgressInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.report_clue_progress(
            parse_id(input["clue_id"], "clueId"),
            progress=input["progress"],
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
