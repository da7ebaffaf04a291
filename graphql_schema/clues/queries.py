from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.as_of import AS_OF_ARGUMENT, day_of
from graphql_schema.clues.types import (
    ClueConnection,
    ClueSort,
    ClueStatus,
    PriorityClass,
    SupervisionStep,
)
from graphql_schema.context import context_of, parse_optional_id, reading
from graphql_schema.dataloaders import informants, prime_tenants, units
from graphql_schema.relay import to_connection
from graphql_schema.tenants.acting import scope_in
from projections import clue_ledger_read
from projections.clue_ledger import ClueLedger
from projections.paging import check_page_size


def _value(member: Any) -> Any:
    """An enum argument's plain value (graphene hands enum members to resolvers)."""
    return getattr(member, "value", member)


class ClueQueries(graphene.ObjectType):
    clue_ledger = graphene.Field(
        ClueConnection,
        required=True,
        tenant_id=graphene.ID(description="Only clues registered by this office."),
        receiving_tenant_id=graphene.ID(description="Only clues transferred to this office."),
        round_id=graphene.ID(),
        unit_id=graphene.ID(),
        status=graphene.Argument(ClueStatus),
        priority=graphene.Argument(PriorityClass),
        category=graphene.String(),
        overdue=graphene.Boolean(description="Only overdue (true) or not overdue (false) clues."),
        supervision_step=graphene.Argument(SupervisionStep),
        due_before=graphene.Date(description="Only clues due before this date."),
        today=graphene.Date(
            description="The date overdue is judged on; today in China when not given."
        ),
        sort=graphene.Argument(ClueSort, description="Order (default: registration)."),
        descending=graphene.Boolean(),
        first=graphene.Int(description="Page size (default 50, at most 500)."),
        after=graphene.String(),
        min_position=graphene.BigInt(description="Wait until projections reach this position."),
        as_of=AS_OF_ARGUMENT,
    )

    @staticmethod
    def resolve_clue_ledger(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str | None = None,
        receiving_tenant_id: str | None = None,
        round_id: str | None = None,
        unit_id: str | None = None,
        status: str | None = None,
        priority: str | None = None,
        category: str | None = None,
        overdue: bool | None = None,
        supervision_step: str | None = None,
        due_before: date | None = None,
        today: date | None = None,
        sort: str | None = None,
        descending: bool | None = None,
        first: int | None = None,
        after: str | None = None,
        min_position: int | None = None,
        as_of: datetime | None = None,
    ) -> dict[str, Any]:
        size = check_page_size(first)
        which = clue_ledger_read.LedgerFilter(
            tenant_id=parse_optional_id(tenant_id, "tenantId"),
            receiving_tenant_id=parse_optional_id(receiving_tenant_id, "receivingTenantId"),
            round_id=parse_optional_id(round_id, "roundId"),
            unit_id=parse_optional_id(unit_id, "unitId"),
            status=_value(status),
            priority=_value(priority),
            category=category,
            overdue=overdue,
            supervision_step=_value(supervision_step),
            due_before=due_before,
        )
        with reading(info, min_position, views=[ClueLedger.name], as_of=as_of) as conn:
            which = replace(which, visible_tenants=scope_in(info).tenants)
            page = clue_ledger_read.page(
                conn,
                which=which,
                today=today or day_of(as_of),
                first=size,
                after=after,
                sort=_value(sort) or "REGISTERED",
                descending=bool(descending),
            )
        _prime(info, [row for _, row in page.items])
        return to_connection(page)


def _prime(info: GraphQLResolveInfo, rows: list[clue_ledger_read.ClueRow]) -> None:
    """Announce what the page's rows refer to, so each kind loads in one query."""
    units(info).prime(row.unit_id for row in rows)
    prime_tenants(info, [t for row in rows for t in (row.tenant_id, row.receiving_tenant_id)])
    if context_of(info).informant_clearance:
        informants(info).prime(
            (row.clue_id, row.informant_sealed)
            for row in rows
            if row.informant_status == "SEALED" and row.informant_sealed is not None
        )
