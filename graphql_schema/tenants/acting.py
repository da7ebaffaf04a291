"""The caller of a GraphQL request as the services see it (`Acting`), and what it may read
(`Scope`, services/authorization.py), computed once per request from the directory."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from graphql import GraphQLResolveInfo
from psycopg import Connection

from domain.errors import NotFound
from graphql_schema.context import context_of, reading
from projections import directory
from services.authorization import Acting, Office, Scope, scope_of

_SCOPE = "authorization.scope"


def acting_of(info: GraphQLResolveInfo) -> Acting:
    return Acting.of(context_of(info).principal)


def scope_in(info: GraphQLResolveInfo, conn: Connection[Any]) -> Scope:
    """The caller's read scope, from the directory as this read sees it."""
    cache = context_of(info).cache
    if _SCOPE not in cache:
        acting = acting_of(info)
        offices = (
            []
            if acting.deployment_wide
            else [Office(t.tenant_id, t.parent_id) for t in directory.tenants(conn)]
        )
        cache[_SCOPE] = scope_of(acting, offices)
    scope: Scope = cache[_SCOPE]
    return scope


def scope_for(info: GraphQLResolveInfo, min_position: int | None = None) -> Scope:
    """The caller's read scope, for resolvers that read the event store rather than a
    projection (the directory is read after projections reached `min_position`)."""
    with reading(info, min_position) as conn:
        return scope_in(info, conn)


def round_readable(info: GraphQLResolveInfo, scope: Scope, round_id: UUID) -> bool:
    """Whether the caller reads a round: an office taking part, or an owner of one of its
    target units. A round nobody planned is not readable either."""
    runtime = context_of(info).runtime
    if not runtime.store.exists(round_id):
        return False
    if scope.tenants is None:
        return True
    round_ = runtime.rounds.round(round_id)
    owners = [target.owner_id for target in round_.targets]
    return scope.reads_round(round_.offices_taking_part, round_.owning_county_id, *owners)


def require_round_readable(info: GraphQLResolveInfo, scope: Scope, round_id: UUID) -> None:
    if not round_readable(info, scope, round_id):
        raise NotFound(f"No round {round_id}")


def require_clue_readable(info: GraphQLResolveInfo, scope: Scope, clue_id: UUID) -> None:
    """NOT_FOUND unless the caller reads a clue: its registering or receiving office, or the
    office owning the unit it is about (the owning county of a cross round)."""
    if scope.tenants is None:
        return
    runtime = context_of(info).runtime
    clue = runtime.clues.clue(clue_id)
    owner = runtime.tenants.unit(clue.unit_id).tenant_id
    if not scope.reads_any([clue.tenant_id, clue.receiving_tenant_id, owner]):
        raise NotFound(f"No clue {clue_id}")
