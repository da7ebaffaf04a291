from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.clues.types import ClueConnection
from graphql_schema.context import parse_optional_id, reading
from graphql_schema.dataloaders import want_units
from graphql_schema.relay import to_connection
from projections import clue_ledger
from projections.paging import check_page_size


class ClueQueries(graphene.ObjectType):
    clue_ledger = graphene.Field(
        ClueConnection,
        required=True,
        tenant_id=graphene.ID(description="Only clues registered by this office."),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(description="Wait until projections reach this position."),
    )

    @staticmethod
    def resolve_clue_ledger(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str | None = None,
        first: int | None = None,
        after: str | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        size = check_page_size(first)
        with reading(info, min_position) as conn:
            page = clue_ledger.page(
                conn, tenant_id=parse_optional_id(tenant_id, "tenantId"), first=size, after=after
            )
        want_units(info, [row.unit_id for _, row in page.items])
        return to_connection(page)
