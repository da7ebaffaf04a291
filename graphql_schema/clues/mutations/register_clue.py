from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import ClueSource as DomainClueSource
from domain.clues.values import InformantIdentity, PersonConcerned
from graphql_schema.clues.types import ClueSource
from graphql_schema.context import parse_id, parse_optional_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class PersonConcernedInput(graphene.InputObjectType):
    role = graphene.String(required=True, description="E.g. 村党支部书记.")
    name = graphene.String(required=True)


class InformantInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    contact = graphene.String(description="Phone, address or e-mail.")


class RegisterClueInput(graphene.InputObjectType):
    tenant_id = graphene.ID(required=True, description="The office registering the clue.")
    unit_id = graphene.ID(required=True, description="The inspected unit the clue concerns.")
    round_id = graphene.ID()
    source = graphene.Field(ClueSource, required=True)
    category = graphene.String(required=True, description="Checklist aspect, e.g. 三资管理.")
    summary = graphene.String(required=True)
    persons_concerned = graphene.List(graphene.NonNull(PersonConcernedInput))
    amount_involved = graphene.Decimal(description="Amount involved, CNY.")
    informant = graphene.Field(
        InformantInput,
        description="The informant's identity (举报人): stored only encrypted with a key of its "
        "own, shown only to callers with informant clearance, erasable.",
    )


def _informant(given: dict[str, Any] | None) -> InformantIdentity | None:
    if not given:
        return None
    return InformantIdentity(name=given["name"], contact=given.get("contact"))


class RegisterClue(graphene.Mutation):
    class Arguments:
        input = graphene.Argument(RegisterClueInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).clues.register_clue(
            tenant_id=parse_id(input["tenant_id"], "tenantId"),
            unit_id=parse_id(input["unit_id"], "unitId"),
            round_id=parse_optional_id(input.get("round_id"), "roundId"),
            source=DomainClueSource(input["source"]),
            category=input["category"],
            summary=input["summary"],
            persons_concerned=[
                PersonConcerned(role=p["role"], name=p["name"])
                for p in input.get("persons_concerned") or []
            ],
            amount_involved=input.get("amount_involved"),
            informant=_informant(input.get("informant")),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
