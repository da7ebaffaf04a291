from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import Phase
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.rounds.types import RoundPhase, as_domain
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class AdvanceRoundPhaseInput(graphene.InputObjectType):
    round_id = graphene.ID(required=True)
    phase = graphene.Field(RoundPhase, required=True, description="The next phase.")
    on = graphene.Date(required=True, description="The day it happened.")


class AdvanceRoundPhase(graphene.Mutation):
    """Move a round to its next phase; never back, dates never backwards."""

    class Arguments:
        input = graphene.Argument(AdvanceRoundPhaseInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rounds.advance_round_phase(
            round_id=parse_id(input["round_id"], "roundId"),
            phase=as_domain(Phase, input["phase"]),
            on=input["on"],
            acting=acting_of(info),
        )
        return WriteResult.of(written)
