from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, reading, runtime_of
from graphql_schema.deadlines.types import DueItem
from graphql_schema.tenants.acting import scope_in
from projections import deadlines_read
from projections.clue_ledger import ClueLedger
from projections.directory import Directory
from projections.rectification import Rectification
from services.clock import today_in_china
from services.deadlines import DueItem as DueItemView
from services.deadlines import due_within


class DeadlineQueries(graphene.ObjectType):
    deadlines = graphene.List(
        graphene.NonNull(DueItem),
        required=True,
        tenant_id=graphene.ID(
            required=True, description="The office (a city: with its counties' items)."
        ),
        within_working_days=graphene.Int(
            default_value=3,
            description="Due within this many working days after today (official calendar).",
        ),
        today=graphene.Date(description="The day judged on (default: today in China)."),
        min_position=graphene.BigInt(description="Wait until projections reach this position."),
        description="Open clues and rectification tasks due soon or overdue (超期预警), "
        "earliest first.",
    )

    @staticmethod
    def resolve_deadlines(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        within_working_days: int = 3,
        today: date | None = None,
        min_position: int | None = None,
    ) -> list[DueItemView]:
        office = parse_id(tenant_id, "tenantId")
        views = [ClueLedger.name, Rectification.name, Directory.name]
        with reading(info, min_position, views=views) as conn:
            scope_in(info).require_read(office, "tenant")
            return due_within(
                conn,
                runtime_of(info).calendar,
                offices=deadlines_read.office_and_counties(conn, office),
                today=today or today_in_china(),
                within_working_days=within_working_days,
            )
