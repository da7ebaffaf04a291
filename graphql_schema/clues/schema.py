from __future__ import annotations

from graphql_schema.clues.queries import ClueQueries

__all__ = ["ClueQueries"]
