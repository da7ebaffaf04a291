from __future__ import annotations

import graphene

from graphql_schema.tenants.mutations.register_tenant import RegisterTenant
from graphql_schema.tenants.mutations.register_unit import RegisterUnit
from graphql_schema.tenants.queries import TenantQueries


class TenantMutations(graphene.ObjectType):
    register_tenant = RegisterTenant.Field()
    register_unit = RegisterUnit.Field()


__all__ = ["TenantMutations", "TenantQueries"]
