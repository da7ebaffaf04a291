"""Issued reports (`issueReport`, a command: graphql_schema/commands.py) and `report(id)`: the
view recomputed at its pinned position, whether it still matches, and what differs now."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.audit.report import ReportKind as DomainReportKind
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.labels import labelled_enum
from graphql_schema.tenants.acting import acting_of
from services.reports import ReportCheck

ReportKind = labelled_enum(DomainReportKind)


class ReportChange(graphene.ObjectType):
    """A value of the view that differs now from what was reported (canonical JSON)."""

    path = graphene.String(required=True, description="Where in the view, e.g. total.tasksDue.")
    reported = graphene.String()
    now = graphene.String()


class Report(graphene.ObjectType):
    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    kind = graphene.Field(ReportKind, required=True)
    arguments = graphene.JSONString(required=True, description="As pinned when issued.")
    position = graphene.BigInt(required=True, description="The log position it was computed at.")
    digest = graphene.String(required=True, description="SHA-256 of its content, as issued.")
    recomputed_digest = graphene.String(required=True, description="Recomputed at `position`.")
    matches = graphene.Boolean(required=True, description="The recomputed digest is the issued.")
    current_position = graphene.BigInt(required=True)
    current_digest = graphene.String(required=True, description="The same view now.")
    since_reported = graphene.List(
        graphene.NonNull(ReportChange),
        required=True,
        description="What later events (corrections among them) changed in the view.",
    )

    @staticmethod
    def resolve_id(check: ReportCheck, _info: GraphQLResolveInfo) -> str:
        return str(check.report_id)


class ReportQueries(graphene.ObjectType):
    report = graphene.Field(
        Report,
        required=True,
        id=graphene.ID(required=True),
        description="An issued report, recomputed at the log position it was computed at.",
    )

    @staticmethod
    def resolve_report(_root: Any, info: GraphQLResolveInfo, id: str) -> ReportCheck:
        return runtime_of(info).reports.report(acting_of(info), parse_id(id, "id"))
