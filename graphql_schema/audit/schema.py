from __future__ import annotations

from graphql_schema.audit.queries import AuditQueries

__all__ = ["AuditQueries"]
