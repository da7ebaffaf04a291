from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.tenants.tenant import TenantLevel as DomainTenantLevel
from graphql_schema.context import parse_optional_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.tenants.types import TenantLevel
from graphql_schema.written import WriteResult


class RegisterTenantInput(graphene.InputObjectType):
    code = graphene.String(required=True, description="Stable code, e.g. the division code.")
    name = graphene.String(required=True)
    level = graphene.Field(TenantLevel, required=True)
    parent_id = graphene.ID(description="The parent city of a county.")


class RegisterTenant(graphene.Mutation):
    class Arguments:
        input = graphene.Argument(RegisterTenantInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).tenants.register_tenant(
            code=input["code"],
            name=input["name"],
            level=DomainTenantLevel(input["level"]),
            parent_id=parse_optional_id(input.get("parent_id"), "parentId"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
