from __future__ import annotations

from graphql_schema.documents.queries import DocumentQueries

__all__ = ["DocumentQueries"]
