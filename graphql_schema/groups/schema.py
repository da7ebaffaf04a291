from __future__ import annotations

from graphql_schema.groups.queries import GroupQueries

__all__ = ["GroupQueries"]
