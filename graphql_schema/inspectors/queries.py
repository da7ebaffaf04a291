from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.as_of import AS_OF_ARGUMENT
from graphql_schema.context import parse_optional_id, reading
from graphql_schema.inspectors.types import InspectorConnection
from graphql_schema.relay import to_connection
from graphql_schema.tenants.acting import scope_in
from projections import inspectors
from projections.inspectors import InspectorsView
from projections.paging import check_page_size


class InspectorQueries(graphene.ObjectType):
    inspectors = graphene.Field(
        InspectorConnection,
        required=True,
        home_tenant_id=graphene.ID(description="Only cadres of this home office."),
        name_contains=graphene.String(description="Only cadres whose name contains this."),
        posted_at_unit_id=graphene.ID(
            description="Only cadres who hold or held a post at this unit."
        ),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(),
        as_of=AS_OF_ARGUMENT,
        description="Inspectors (巡察干部) with their postings and declared relations.",
    )

    @staticmethod
    def resolve_inspectors(
        _root: Any,
        info: GraphQLResolveInfo,
        home_tenant_id: str | None = None,
        name_contains: str | None = None,
        posted_at_unit_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
        min_position: int | None = None,
        as_of: datetime | None = None,
    ) -> dict[str, Any]:
        size = check_page_size(first)
        where = inspectors.InspectorFilter(
            home_tenant_id=parse_optional_id(home_tenant_id, "homeTenantId"),
            name_contains=name_contains or None,
            posted_at_unit_id=parse_optional_id(posted_at_unit_id, "postedAtUnitId"),
        )
        with reading(info, min_position, views=[InspectorsView.name], as_of=as_of) as conn:
            # Postings and kinship are personal data: only inspectors of offices in scope.
            visible = replace(where, visible_tenants=scope_in(info).tenants)
            page = inspectors.inspectors_page(conn, visible, first=size, after=after)
        return to_connection(page)
