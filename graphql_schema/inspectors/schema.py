from __future__ import annotations

from graphql_schema.inspectors.queries import InspectorQueries

__all__ = ["InspectorQueries"]
