from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.tenants.unit import UnitType as DomainUnitType
from graphql_schema.context import parse_id, parse_optional_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.tenants.types import UnitType
from graphql_schema.written import WriteResult


class RegisterUnitInput(graphene.InputObjectType):
    tenant_id = graphene.ID(required=True, description="The office that owns the unit.")
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    unit_type = graphene.Field(UnitType, required=True)
    parent_id = graphene.ID(description="E.g. the township a village belongs to.")
    class_tags = graphene.List(
        graphene.NonNull(graphene.String), description="Codes of the unit's classes."
    )


class RegisterUnit(graphene.Mutation):
    class Arguments:
        input = graphene.Argument(RegisterUnitInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).tenants.register_unit(
            tenant_id=parse_id(input["tenant_id"], "tenantId"),
            code=input["code"],
            name=input["name"],
            unit_type=DomainUnitType(input["unit_type"]),
            parent_id=parse_optional_id(input.get("parent_id"), "parentId"),
            class_tags=list(input.get("class_tags") or []),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
