from __future__ import annotations

from graphql_schema.tenants.queries import TenantQueries

__all__ = ["TenantQueries"]
