from __future__ import annotations

from graphql_schema.statistics.queries import StatisticsQueries

__all__ = ["StatisticsQueries"]
