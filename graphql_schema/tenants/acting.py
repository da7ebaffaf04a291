"""The caller of a GraphQL request as the tenant services see it."""

from __future__ import annotations

from graphql import GraphQLResolveInfo

from graphql_schema.context import context_of
from services.tenants import Acting


def acting_of(info: GraphQLResolveInfo) -> Acting:
    principal = context_of(info).principal
    return Acting(role=principal.role.value, tenant_id=principal.tenant_id)
