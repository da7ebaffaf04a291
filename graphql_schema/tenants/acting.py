"""The caller of a GraphQL request as the services see it (`Acting`), and what it may read
(`Scope`, services/authorization.py), computed once per request from the directory."""

from __future__ import annotations

from graphql import GraphQLResolveInfo

from graphql_schema.context import caught_up, context_of
from projections.directory import Directory
from services.authorization import Acting, Scope


def acting_of(info: GraphQLResolveInfo) -> Acting:
    return Acting.of(context_of(info).principal)


def scope_in(info: GraphQLResolveInfo) -> Scope:
    """The caller's read scope (services/reads.py), found by the request's first read."""
    return context_of(info).read_session.scope


def scope_for(info: GraphQLResolveInfo, min_position: int | None = None) -> Scope:
    """The caller's read scope, for resolvers that read the event store rather than a
    projection (the directory is read after projections reached `min_position`)."""
    caught_up(info, min_position, views=[Directory.name])
    return scope_in(info)
