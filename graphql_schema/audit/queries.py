from __future__ import annotations

from datetime import date, datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.clue import Clue
from graphql_schema.audit.types import BackdatedEventType, ClueAsOf, OfficeChainsType
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import scope_for
from services.audit import AuditTrail
from services.authorization import ADMIN, AUDITOR, CITY_OFFICE, require_role
from services.backdating import DEFAULT_WORKING_DAYS, BackdatedEvent
from services.history import AggregateState
from services.office_chains import OfficeChains, check_office_chains


class AuditQueries(graphene.ObjectType):
    clue = graphene.Field(
        ClueAsOf,
        required=True,
        id=graphene.ID(required=True),
        as_of=graphene.DateTime(
            description="The moment to see the clue at (default: now). A time without an "
            "offset is UTC."
        ),
        version=graphene.Int(
            description="The version to see the clue at, instead of a moment (not with asOf)."
        ),
        description="A clue rebuilt from its events as it stood at `asOf` or `version`, with "
        "its history.",
    )

    backdated_events = graphene.Field(
        graphene.List(graphene.NonNull(BackdatedEventType)),
        required=True,
        working_days=graphene.Int(
            default_value=DEFAULT_WORKING_DAYS,
            description="List events recorded more than this many working days after the "
            f"date on their document (default {DEFAULT_WORKING_DAYS}).",
        ),
        recorded_since=graphene.Date(description="Only events recorded on or after this day."),
        first=graphene.Int(default_value=100, description="At most this many (1 to 1000)."),
        description="Backdating, as auditors look for it: events of the caller's scope whose "
        "occurredOn lies more than `workingDays` working days before their recordedAt, in "
        "recording order. For auditors, city offices and administrators.",
    )

    office_chains = graphene.Field(
        OfficeChainsType,
        required=True,
        tenant_id=graphene.ID(required=True),
        description="Every event recorded for the office, its hash recomputed from what is "
        "stored and linked to the one before it in its stream: a changed or removed event is "
        "named. For auditors, city offices and administrators of the office's scope.",
    )

    @staticmethod
    def resolve_office_chains(_root: Any, info: GraphQLResolveInfo, tenant_id: str) -> OfficeChains:
        office = parse_id(tenant_id, "tenantId")
        scope = scope_for(info)
        scope.require_read(office, "tenant")
        require_role(scope.acting, {AUDITOR, CITY_OFFICE, ADMIN}, "check an office's history")
        runtime = runtime_of(info)
        return check_office_chains(
            AuditTrail(runtime.store, runtime.reads, runtime.settings), office
        )

    @staticmethod
    def resolve_backdated_events(
        _root: Any,
        info: GraphQLResolveInfo,
        working_days: int,
        first: int,
        recorded_since: date | None = None,
    ) -> list[BackdatedEvent]:
        scope = scope_for(info)
        require_role(scope.acting, {AUDITOR, CITY_OFFICE, ADMIN}, "read the backdating report")
        return runtime_of(info).backdating.report(
            scope, working_days=working_days, recorded_since=recorded_since, first=first
        )

    @staticmethod
    def resolve_clue(
        _root: Any,
        info: GraphQLResolveInfo,
        id: str,
        as_of: datetime | None = None,
        version: int | None = None,
    ) -> AggregateState:
        clue_id = parse_id(id, "id")
        runtime_of(info).clues.require_readable(scope_for(info), clue_id)
        return runtime_of(info).history.state_as_of(
            clue_id, as_of, version=version, kind=Clue, what="clue"
        )
