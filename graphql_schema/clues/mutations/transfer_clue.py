from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import HandlingBody as DomainHandlingBody
from graphql_schema.clues.mutations.triage_clue import EXPECTED_VERSION
from graphql_schema.clues.types import HandlingBody
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class TransferClueInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    handling_body = graphene.Field(HandlingBody, required=True)
    receiving_tenant_id = graphene.ID(
        required=True, description="The office whose body handles it; may be another county."
    )
    due_date = graphene.Date(description="Due by this date; or give workingDays.")
    working_days = graphene.Int(
        description="Due this many working days after today, on the official calendar."
    )
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class TransferClue(graphene.Mutation):
    """Hand a clue over to a handling body (移交, ClueTransferred) with a due date (限期办结)."""

    class Arguments:
        input = graphene.Argument(TransferClueInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.transfer_clue(
            parse_id(input["clue_id"], "clueId"),
            body=DomainHandlingBody(input["handling_body"].value),
            receiving_tenant_id=parse_id(input["receiving_tenant_id"], "receivingTenantId"),
            due_date=input.get("due_date"),
            working_days=input.get("working_days"),
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
