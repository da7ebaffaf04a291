from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.configuration.values import Aspect
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class AspectInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="E.g. 三资管理; a clue category.")
    problem_forms = graphene.List(graphene.NonNull(graphene.String))


class AdoptChecklistInput(graphene.InputObjectType):
    tenant_id = graphene.ID(required=True)
    class_code = graphene.String(description="A unit class; omit for the common checklist.")
    effective_from = graphene.Date(required=True, description="Today or later.")
    aspects = graphene.List(graphene.NonNull(AspectInput), required=True)


class AdoptChecklist(graphene.Mutation):
    """Adopt the common checklist or a unit class's checklist (1+X) from a date on."""

    class Arguments:
        input = graphene.Argument(AdoptChecklistInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).configuration.adopt_checklist(
            acting=acting_of(info),
            tenant_id=parse_id(input["tenant_id"], "tenantId"),
            class_code=input.get("class_code"),
            aspects=[
                Aspect(a["name"], tuple(a.get("problem_forms") or ())) for a in input["aspects"]
            ],
            effective_from=input["effective_from"],
        )
        return WriteResult.of(written)
