from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, parse_optional_id, reading, runtime_of
from graphql_schema.relay import to_connection
from graphql_schema.tenants.types import Tenant, TenantOnDate, UnitConnection, UnitType
from projections import directory
from projections.paging import check_page_size
from services.clock import today_in_china
from services.configuration import TenantOnDate as TenantOnDateView


class TenantQueries(graphene.ObjectType):
    tenants = graphene.List(graphene.NonNull(Tenant), required=True, min_position=graphene.BigInt())
    tenant = graphene.Field(
        TenantOnDate,
        required=True,
        id=graphene.ID(required=True),
        as_of=graphene.Date(description="The date the configuration is asked for (today)."),
        description="An office with its name and configuration in force on a date. Read from "
        "the event store (as-of questions are history), so always current.",
    )
    units = graphene.Field(
        UnitConnection,
        required=True,
        tenant_id=graphene.ID(required=True),
        unit_type=graphene.Argument(UnitType),
        class_code=graphene.String(description="Only units most recently given this class."),
        township_id=graphene.ID(description="Only units of this township."),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(),
    )

    @staticmethod
    def resolve_tenants(
        _root: Any, info: GraphQLResolveInfo, min_position: int | None = None
    ) -> list[directory.TenantRow]:
        with reading(info, min_position) as conn:
            return directory.tenants(conn)

    @staticmethod
    def resolve_tenant(
        _root: Any, info: GraphQLResolveInfo, id: str, as_of: date | None = None
    ) -> TenantOnDateView:
        on = as_of or today_in_china()
        return runtime_of(info).configuration.tenant_on(parse_id(id, "id"), on)

    @staticmethod
    def resolve_units(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        unit_type: Any = None,
        class_code: str | None = None,
        township_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        size = check_page_size(first)
        where = directory.UnitFilter(
            tenant_id=parse_id(tenant_id, "tenantId"),
            unit_type=getattr(unit_type, "value", unit_type),
            class_tag=class_code,
            township_id=parse_optional_id(township_id, "townshipId"),
        )
        with reading(info, min_position) as conn:
            page = directory.units_page(conn, where, first=size, after=after)
        return to_connection(page)
