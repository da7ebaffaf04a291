from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import CorrectableField as DomainCorrectableField
from graphql_schema.clues.mutations.triage_clue import EXPECTED_VERSION
from graphql_schema.clues.types import CorrectableField
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class CorrectClueInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    field = graphene.Field(CorrectableField, required=True)
    new_value = graphene.String(
        required=True, description="Text, an amount, a count or a date (YYYY-MM-DD)."
    )
    reason = graphene.String(required=True)
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class CorrectClue(graphene.Mutation):
    """Correct a recorded fact (ClueCorrected): a new event with its reason, never an edit."""

    class Arguments:
        input = graphene.Argument(CorrectClueInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.correct_clue(
            parse_id(input["clue_id"], "clueId"),
            field=DomainCorrectableField(input["field"].value),
            new_value=input["new_value"],
            reason=input["reason"],
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
