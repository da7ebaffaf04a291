from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.inspectors.inspector import Kinship as DomainKinship
from graphql_schema.labels import labelled_enum
from graphql_schema.relay import connection_for
from projections.inspectors import InspectorRow

Kinship = labelled_enum(DomainKinship)


class InspectorPosting(graphene.ObjectType):
    """A post held at a unit; `end` is empty while it is still held."""

    unit_id = graphene.ID(required=True)
    start = graphene.Date(required=True)
    end = graphene.Date()


class InspectorRelation(graphene.ObjectType):
    """A declared kin relation to a member of a unit's leadership."""

    kinship = graphene.Field(Kinship, required=True)
    person = graphene.String(required=True)
    position = graphene.String(required=True)
    unit_id = graphene.ID(required=True)


class Inspector(graphene.ObjectType):
    """A cadre who can serve on inspection teams (巡察干部), as they stand now."""

    id = graphene.ID(required=True)
    home_tenant_id = graphene.ID(required=True)
    staff_number = graphene.String(description="工号; empty for cadres registered without one.")
    name = graphene.String(required=True)
    postings = graphene.List(graphene.NonNull(InspectorPosting), required=True)
    relations = graphene.List(graphene.NonNull(InspectorRelation), required=True)

    @staticmethod
    def resolve_id(row: InspectorRow, _info: GraphQLResolveInfo) -> str:
        return str(row.inspector_id)

    @staticmethod
    def resolve_relations(row: InspectorRow, _info: GraphQLResolveInfo) -> list[Any]:
        return list(row.relations)


InspectorConnection = connection_for(Inspector, "Inspector")
