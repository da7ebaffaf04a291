from __future__ import annotations

from typing import Any

import graphene

from domain.tenants.tenant import TenantLevel as DomainTenantLevel
from domain.tenants.unit import UnitType as DomainUnitType

TenantLevel = graphene.Enum.from_enum(DomainTenantLevel)
UnitType = graphene.Enum.from_enum(DomainUnitType)


class Tenant(graphene.ObjectType):
    """An inspection office: a city or a county/district."""

    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    level = graphene.Field(TenantLevel, required=True)
    parent_id = graphene.ID()

    @staticmethod
    def resolve_id(row: Any, _info: Any) -> str:
        return str(row.tenant_id)


class Unit(graphene.ObjectType):
    """An inspected Party organisation (被巡察对象)."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    unit_type = graphene.Field(UnitType, required=True)
    parent_id = graphene.ID()

    @staticmethod
    def resolve_id(row: Any, _info: Any) -> str:
        return str(row.unit_id)
