"""Related rows are fetched once per request, not once per parent row."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from graphql import GraphQLResolveInfo

from graphql_schema.context import context_of, reading
from projections import directory
from projections.directory import Directory


def load_unit(info: GraphQLResolveInfo, unit_id: UUID) -> directory.UnitRow | None:
    """The unit row, loading every unit of the current result set in one query."""
    context = context_of(info)
    cache: dict[UUID, Any] = context.cache.setdefault("units", {})
    if unit_id not in cache:
        wanted = {unit_id, *context.cache.get("unit_ids_wanted", ())} - cache.keys()
        with reading(info, views=[Directory.name]) as conn:
            found = directory.units_by_id(conn, list(wanted))
        cache.update({uid: found.get(uid) for uid in wanted})
    return cache[unit_id]


def want_units(info: GraphQLResolveInfo, unit_ids: list[UUID]) -> None:
    """Announce the units a page will ask for, so `load_unit` batches them."""
    context_of(info).cache.setdefault("unit_ids_wanted", set()).update(unit_ids)
