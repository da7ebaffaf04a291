from __future__ import annotations

from decimal import Decimal
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import Disposition as DomainDisposition
from graphql_schema.clues.mutations.triage_clue import EXPECTED_VERSION
from graphql_schema.clues.types import Disposition
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class ConcludeClueInput(graphene.InputObjectType):
    clue_id = graphene.ID(required=True)
    disposition = graphene.Field(Disposition, required=True)
    persons_disciplined = graphene.Int(description="Default 0.")
    funds_recovered = graphene.Decimal(description="挽回经济损失, CNY; default 0.")
    closed_in_ledger = graphene.Boolean(description="销号: closed in the ledger (default true).")
    expected_version = graphene.Int(description=EXPECTED_VERSION)


class ConcludeClue(graphene.Mutation):
    """The handler concludes a clue (办结, ClueConcluded)."""

    class Arguments:
        input = graphene.Argument(ConcludeClueInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        closed = input.get("closed_in_ledger")
        written = runtime_of(info).clues.conclude_clue(
            parse_id(input["clue_id"], "clueId"),
            disposition=DomainDisposition(input["disposition"].value),
            persons_disciplined=input.get("persons_disciplined") or 0,
            funds_recovered=input.get("funds_recovered") or Decimal(0),
            closed_in_ledger=True if closed is None else closed,
            expected_version=input.get("expected_version"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
