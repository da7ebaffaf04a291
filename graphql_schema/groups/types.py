from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.groups.group import GroupKind as DomainGroupKind
from graphql_schema.dataloaders import load_group, load_unit
from graphql_schema.labels import labelled_enum
from graphql_schema.relay import connection_for
from graphql_schema.tenants.types import Unit
from projections.groups import GroupRow, VisitRow, ZoneRow

GroupKind = labelled_enum(DomainGroupKind)


class InspectionGroup(graphene.ObjectType):
    """An inspection group (巡察组) of an office, as it stands now; cadres by inspector id."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.Field(GroupKind, required=True)
    home_township_id = graphene.ID(description="The township the group is drawn from.")
    home_township = graphene.Field(Unit)
    leader_id = graphene.ID(required=True)
    deputy_id = graphene.ID()
    member_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    liaison_id = graphene.ID()
    version = graphene.Int(required=True)

    @staticmethod
    def resolve_id(row: GroupRow, _info: Any) -> str:
        return str(row.group_id)

    @staticmethod
    def resolve_home_township(row: GroupRow, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.home_township_id) if row.home_township_id else None

    @staticmethod
    def resolve_leader_id(row: GroupRow, _info: Any) -> Any:
        return row.leader_ids[0] if row.leader_ids else None

    @staticmethod
    def resolve_deputy_id(row: GroupRow, _info: Any) -> Any:
        return row.deputy_ids[0] if row.deputy_ids else None

    @staticmethod
    def resolve_liaison_id(row: GroupRow, _info: Any) -> Any:
        return row.liaison_ids[0] if row.liaison_ids else None


InspectionGroupConnection = connection_for(InspectionGroup, "InspectionGroup")


class GuidanceVisit(graphene.ObjectType):
    """A visit of a guidance or supervisory group (蹲点指导) to a unit a round inspects."""

    id = graphene.ID(required=True)
    group_id = graphene.ID(required=True)
    group_name = graphene.String(required=True)
    group = graphene.Field(
        InspectionGroup, description="Empty for a reader who does not read the group's office."
    )
    round_id = graphene.ID(required=True)
    unit_id = graphene.ID(required=True)
    unit = graphene.Field(Unit)
    started_on = graphene.Date(required=True)
    ended_on = graphene.Date(required=True)
    suggestions = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_id(row: VisitRow, _info: Any) -> str:
        return str(row.visit_id)

    @staticmethod
    def resolve_group(row: VisitRow, info: GraphQLResolveInfo) -> Any:
        return load_group(info, row.group_id)

    @staticmethod
    def resolve_unit(row: VisitRow, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.unit_id)


GuidanceVisitConnection = connection_for(GuidanceVisit, "GuidanceVisit")


class Zone(graphene.ObjectType):
    """A zone (片区) of a county's townships or a city's counties."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    member_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @staticmethod
    def resolve_id(row: ZoneRow, _info: Any) -> str:
        return str(row.zone_id)
