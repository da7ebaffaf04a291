from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import SupervisionStep as DomainSupervisionStep
from graphql_schema.clues.mutations.triage_clue import EXPECTED_VERSION
from graphql_schema.clues.types import SupervisionStep
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class SuperviseClueInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    step = graphene.Field(SupervisionStep, required=True)
    final_date = graphene.Date(description="A warning's final date (告诫: required for it).")
    note = graphene.String()
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class SuperviseClue(graphene.Mutation):
    """Take a slipping clue one step up the supervision ladder (五书制)."""

    class Arguments:
        input = graphene.Argument(SuperviseClueInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.supervise_clue(
            parse_id(input["clue_id"], "clueId"),
            step=DomainSupervisionStep(input["step"].value),
            final_date=input.get("final_date"),
            note=input.get("note"),
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
