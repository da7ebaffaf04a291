"""The root schema, composed from each context's queries and mutations."""

from __future__ import annotations

import graphene

from graphql_schema.clues.schema import ClueMutations, ClueQueries
from graphql_schema.tenants.schema import TenantMutations, TenantQueries


class Query(ClueQueries, TenantQueries, graphene.ObjectType):
    pass


class Mutation(ClueMutations, TenantMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
