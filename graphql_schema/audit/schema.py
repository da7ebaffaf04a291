from __future__ import annotations

from graphql_schema.audit.queries import AuditQueries
from graphql_schema.audit.reports import ReportQueries

__all__ = ["AuditQueries", "ReportQueries"]
