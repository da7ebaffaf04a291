"""The root schema, composed from each context's queries and mutations."""

from __future__ import annotations

import graphene

from graphql_schema.audit.schema import AuditQueries
from graphql_schema.clues.schema import ClueMutations, ClueQueries
from graphql_schema.inspectors.schema import InspectorMutations, InspectorQueries
from graphql_schema.rectification.schema import RectificationMutations, RectificationQueries
from graphql_schema.rounds.schema import RoundMutations, RoundQueries
from graphql_schema.statistics.schema import StatisticsQueries
from graphql_schema.tenants.schema import TenantMutations, TenantQueries


class Query(
    AuditQueries,
    ClueQueries,
    InspectorQueries,
    RectificationQueries,
    RoundQueries,
    StatisticsQueries,
    TenantQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    ClueMutations,
    InspectorMutations,
    RectificationMutations,
    RoundMutations,
    TenantMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
