from __future__ import annotations

from graphql_schema.comparison.queries import ComparisonQueries

__all__ = ["ComparisonQueries"]
