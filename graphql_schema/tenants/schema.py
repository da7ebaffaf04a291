from __future__ import annotations

import graphene

from graphql_schema.tenants.mutations.amend_practice import AmendPractice
from graphql_schema.tenants.mutations.merge_county import MergeCounty
from graphql_schema.tenants.queries import TenantQueries


class TenantMutations(graphene.ObjectType):
    """The tenant mutations not made from a command declaration (graphql_schema/commands.py):
    both read what is in force (the county's units, the practice) to make the command."""

    merge_county = MergeCounty.Field()
    amend_practice = AmendPractice.Field()


__all__ = ["TenantMutations", "TenantQueries"]
