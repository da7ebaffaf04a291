from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, reading
from graphql_schema.tenants.types import Tenant, Unit
from projections import directory


class TenantQueries(graphene.ObjectType):
    tenants = graphene.List(graphene.NonNull(Tenant), required=True, min_position=graphene.BigInt())
    units = graphene.List(
        graphene.NonNull(Unit),
        required=True,
        tenant_id=graphene.ID(required=True),
        min_position=graphene.BigInt(),
    )

    @staticmethod
    def resolve_tenants(
        _root: Any, info: GraphQLResolveInfo, min_position: int | None = None
    ) -> list[directory.TenantRow]:
        with reading(info, min_position) as conn:
            return directory.tenants(conn)

    @staticmethod
    def resolve_units(
        _root: Any, info: GraphQLResolveInfo, tenant_id: str, min_position: int | None = None
    ) -> list[directory.UnitRow]:
        with reading(info, min_position) as conn:
            return directory.units_of(conn, parse_id(tenant_id, "tenantId"))
