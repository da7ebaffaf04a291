from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.errors import NotFound
from graphql_schema.context import parse_id, parse_optional_id, reading
from graphql_schema.groups.types import (
    GroupKind,
    GuidanceVisitConnection,
    InspectionGroupConnection,
    Zone,
)
from graphql_schema.relay import to_connection
from graphql_schema.tenants.acting import scope_in
from projections import groups
from projections.groups import GroupsView
from projections.paging import check_page_size


class GroupQueries(graphene.ObjectType):
    inspection_groups = graphene.Field(
        InspectionGroupConnection,
        required=True,
        tenant_id=graphene.ID(required=True, description="The office whose groups are listed."),
        kind=graphene.Argument(GroupKind),
        home_township_id=graphene.ID(description="Only groups drawn from this township."),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(),
        description="An office's inspection groups (巡察组, 督导组, 指导组, 延伸巡察组).",
    )

    guidance_visits = graphene.Field(
        GuidanceVisitConnection,
        required=True,
        round_id=graphene.ID(),
        group_id=graphene.ID(),
        unit_id=graphene.ID(),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(),
        description="Visits of guidance and supervisory groups (蹲点指导) with their "
        "suggestions, as the caller's offices see them: the group's office, the round's "
        "organiser and the unit's owner, and their cities.",
    )

    zones = graphene.List(
        graphene.NonNull(Zone),
        required=True,
        tenant_id=graphene.ID(required=True),
        min_position=graphene.BigInt(),
        description="An office's zones (片区), in the order they were defined.",
    )

    @staticmethod
    def resolve_zones(
        _root: Any, info: GraphQLResolveInfo, tenant_id: str, min_position: int | None = None
    ) -> list[groups.ZoneRow]:
        office = parse_id(tenant_id, "tenantId")
        with reading(info, min_position, views=[GroupsView.name]) as conn:
            if not scope_in(info).reads(office):
                raise NotFound.no("tenant", office)
            return groups.zones_of(conn, office)

    @staticmethod
    def resolve_guidance_visits(
        _root: Any,
        info: GraphQLResolveInfo,
        round_id: str | None = None,
        group_id: str | None = None,
        unit_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        size = check_page_size(first)
        where = groups.VisitFilter(
            round_id=parse_optional_id(round_id, "roundId"),
            group_id=parse_optional_id(group_id, "groupId"),
            unit_id=parse_optional_id(unit_id, "unitId"),
        )
        with reading(info, min_position, views=[GroupsView.name]) as conn:
            page = groups.visits_page(conn, where, first=size, after=after)
        return to_connection(page)

    @staticmethod
    def resolve_inspection_groups(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        kind: Any = None,
        home_township_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        size = check_page_size(first)
        office = parse_id(tenant_id, "tenantId")
        where = groups.GroupFilter(
            tenant_id=office,
            kind=getattr(kind, "value", kind),
            home_township_id=parse_optional_id(home_township_id, "homeTownshipId"),
        )
        with reading(info, min_position, views=[GroupsView.name]) as conn:
            if not scope_in(info).reads(office):
                raise NotFound.no("tenant", office)
            page = groups.groups_page(conn, where, first=size, after=after)
        return to_connection(page)
