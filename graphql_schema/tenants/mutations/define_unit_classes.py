from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.configuration.values import UnitClass
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class UnitClassInput(graphene.InputObjectType):
    code = graphene.String(required=True, description="E.g. WEAK.")
    name = graphene.String(required=True, description="E.g. 软弱涣散村.")


class DefineUnitClassesInput(graphene.InputObjectType):
    tenant_id = graphene.ID(required=True)
    effective_from = graphene.Date(required=True, description="Today or later.")
    classes = graphene.List(graphene.NonNull(UnitClassInput), required=True)


class DefineUnitClasses(graphene.Mutation):
    """From a date on, the office classifies its units by exactly these classes."""

    class Arguments:
        input = graphene.Argument(DefineUnitClassesInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).configuration.define_unit_classes(
            acting=acting_of(info),
            tenant_id=parse_id(input["tenant_id"], "tenantId"),
            classes=[UnitClass(c["code"], c["name"]) for c in input["classes"]],
            effective_from=input["effective_from"],
        )
        return WriteResult.of(written)
