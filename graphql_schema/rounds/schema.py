from __future__ import annotations

from graphql_schema.rounds.queries import RoundQueries

__all__ = ["RoundQueries"]
