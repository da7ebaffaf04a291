"""The request's loaders (graphql_schema/loader.py) of what rows refer to: units and offices
from the directory, inspection groups from theirs, informant identities from the vault,
histories from the event store.

A list resolver primes them with its page's keys; a row's resolver loads its own key, and the
first such load fetches the whole page's in one query. Read models are read as the caller,
through the request's read session, so row-level security applies as to any other read."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from uuid import UUID

from graphql import GraphQLResolveInfo
from psycopg import Connection

from domain.clues.values import InformantIdentity
from domain.errors import NotFound
from graphql_schema.context import RequestContext, context_of
from graphql_schema.loader import Loader
from projections import directory, rounds_read
from projections.directory import Directory
from projections.groups import GroupRow, GroupsView, groups_by_id
from projections.rounds import RoundsView
from services.authorization import Acting, require_clearance
from services.history import AuditEntry

SealedInformant = tuple[UUID, str]  # a clue's id and its informant's ciphertext


def _as_caller(
    context: RequestContext,
    query: Callable[[Connection[Any], list[UUID]], Mapping[UUID, Any]],
    view: str = Directory.name,
) -> Callable[[list[UUID]], Mapping[UUID, Any]]:
    def batch(ids: list[UUID]) -> Mapping[UUID, Any]:
        with context.reading(views=[view]) as conn:
            return query(conn, ids)

    return batch


def units(info: GraphQLResolveInfo) -> Loader[UUID, directory.UnitRow]:
    context = context_of(info)
    return context.loader("units", _as_caller(context, directory.units_by_id))


def tenants(info: GraphQLResolveInfo) -> Loader[UUID, directory.TenantRow]:
    context = context_of(info)
    return context.loader("tenants", _as_caller(context, directory.tenants_by_id))


def inspection_groups(info: GraphQLResolveInfo) -> Loader[UUID, GroupRow]:
    context = context_of(info)
    return context.loader(
        "inspection_groups", _as_caller(context, groups_by_id, view=GroupsView.name)
    )


def load_group(info: GraphQLResolveInfo, group_id: Any) -> GroupRow | None:
    return None if group_id is None else inspection_groups(info).load(UUID(str(group_id)))


def crossings(info: GraphQLResolveInfo) -> Loader[UUID, dict[str, Any]]:
    """The crossing of a cross round inside an office, by round id (none for other rounds)."""
    context = context_of(info)
    return context.loader(
        "crossings", _as_caller(context, rounds_read.crossings_by_round, view=RoundsView.name)
    )


def informants(info: GraphQLResolveInfo) -> Loader[SealedInformant, InformantIdentity]:
    """Identities by (clue id, ciphertext). Only for callers with informant clearance: the
    resolvers check it first; the batch refuses anyone else as a second line."""
    context = context_of(info)

    def batch(keys: list[SealedInformant]) -> dict[SealedInformant, InformantIdentity]:
        require_clearance(Acting.of(context.principal), "Revealing an informant")
        revealed = context.runtime.clues.reveal_informants(dict(keys))
        return {key: revealed[key[0]] for key in keys if key[0] in revealed}

    return context.loader("informants", batch)


def histories(info: GraphQLResolveInfo) -> Loader[UUID, list[AuditEntry]]:
    """Every event of a stream, oldest first, as audit entries (read from the event store)."""
    context = context_of(info)
    return context.loader("histories", context.runtime.history.histories)


def load_unit(info: GraphQLResolveInfo, unit_id: UUID) -> directory.UnitRow | None:
    return units(info).load(unit_id)


def load_tenant(info: GraphQLResolveInfo, tenant_id: Any) -> directory.TenantRow | None:
    return None if tenant_id is None else tenants(info).load(UUID(str(tenant_id)))


def load_history(
    info: GraphQLResolveInfo, stream_id: UUID, version: int, *, what: str
) -> list[AuditEntry]:
    """The stream's history up to `version`; NOT_FOUND for a stream with no events."""
    entries = histories(info).load(stream_id)
    if entries is None:
        raise NotFound.no(what, stream_id)
    return [entry for entry in entries if entry.version <= version]


def prime_tenants(info: GraphQLResolveInfo, tenant_ids: Iterable[Any]) -> None:
    tenants(info).prime(UUID(str(t)) for t in tenant_ids if t is not None)
