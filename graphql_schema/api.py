"""The root schema, composed from each context's queries and the commands' mutations
(graphql_schema/commands.py)."""

from __future__ import annotations

import graphene

from graphql_schema.audit.schema import AuditQueries
from graphql_schema.clues.schema import ClueQueries
from graphql_schema.commands import command_mutations
from graphql_schema.comparison.schema import ComparisonQueries
from graphql_schema.deadlines.schema import DeadlineQueries
from graphql_schema.documents.schema import DocumentQueries
from graphql_schema.groups.schema import GroupQueries
from graphql_schema.inspectors.schema import InspectorQueries
from graphql_schema.labels import LabelQueries
from graphql_schema.rectification.schema import RectificationQueries
from graphql_schema.rounds.schema import RoundQueries
from graphql_schema.statistics.schema import StatisticsQueries
from graphql_schema.tenants.schema import TenantQueries


class Query(
    AuditQueries,
    ClueQueries,
    ComparisonQueries,
    GroupQueries,
    DeadlineQueries,
    DocumentQueries,
    InspectorQueries,
    LabelQueries,
    RectificationQueries,
    RoundQueries,
    StatisticsQueries,
    TenantQueries,
    graphene.ObjectType,
):
    pass


Mutation = type("Mutation", (graphene.ObjectType,), command_mutations())


schema = graphene.Schema(query=Query, mutation=Mutation)
