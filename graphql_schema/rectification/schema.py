from __future__ import annotations

from graphql_schema.rectification.queries import RectificationQueries

__all__ = ["RectificationQueries"]
