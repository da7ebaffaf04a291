from __future__ import annotations

import graphene

from graphql_schema.tenants.mutations.merge_county import MergeCounty
from graphql_schema.tenants.queries import TenantQueries


class TenantMutations(graphene.ObjectType):
    """The tenant mutations not made from a command declaration (graphql_schema/commands.py):
    merging reads the county's units (as the caller) to make the command."""

    merge_county = MergeCounty.Field()


__all__ = ["TenantMutations", "TenantQueries"]
