from __future__ import annotations

from graphql_schema.deadlines.queries import DeadlineQueries

__all__ = ["DeadlineQueries"]
