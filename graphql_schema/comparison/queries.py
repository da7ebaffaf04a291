from __future__ import annotations

from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from domain.comparison.library import LIBRARY
from graphql_schema.comparison.types import (
    CandidateStatus,
    ComparisonCandidate,
    ComparisonJob,
    ComparisonModel,
    ComparisonModelFigures,
    ComparisonRun,
)
from graphql_schema.context import parse_id, reading, runtime_of
from graphql_schema.tenants.acting import scope_in
from infrastructure.comparison.jobs import Job
from projections import comparison, deadlines_read
from projections.comparison import ComparisonView
from projections.directory import Directory

MAX_FIRST = 500
VIEWS = [ComparisonView.name, Directory.name]
OFFICE = "The office (a city: with its counties')."


def _first(first: int) -> int:
    return max(1, min(first, MAX_FIRST))


class ComparisonQueries(graphene.ObjectType):
    comparison_models = graphene.List(
        graphene.NonNull(ComparisonModel),
        required=True,
        description="The library of comparison models shipped with XunCha.",
    )
    comparison_runs = graphene.List(
        graphene.NonNull(ComparisonRun),
        required=True,
        tenant_id=graphene.ID(required=True, description=OFFICE),
        model_code=graphene.String(),
        first=graphene.Int(default_value=50),
        min_position=graphene.BigInt(),
        description="Comparison runs, newest first.",
    )
    comparison_jobs = graphene.List(
        graphene.NonNull(ComparisonJob),
        required=True,
        tenant_id=graphene.ID(required=True, description=OFFICE),
        first=graphene.Int(default_value=20),
        min_position=graphene.BigInt(),
        description="Comparisons started as jobs, newest first, with their progress.",
    )
    comparison_candidates = graphene.List(
        graphene.NonNull(ComparisonCandidate),
        required=True,
        tenant_id=graphene.ID(required=True, description=OFFICE),
        model_code=graphene.String(),
        status=CandidateStatus(),
        first=graphene.Int(default_value=50),
        min_position=graphene.BigInt(),
        description="Candidate clues the office's comparisons raised or that concern its "
        "units (a county team: its own units' only), newest first.",
    )
    comparison_model_figures = graphene.List(
        graphene.NonNull(ComparisonModelFigures),
        required=True,
        tenant_id=graphene.ID(required=True, description=OFFICE),
        min_position=graphene.BigInt(),
        description="Per model: runs, hits, candidates, promoted and concluded clues — how "
        "many comparisons found real problems.",
    )

    @staticmethod
    def resolve_comparison_models(_root: Any, _info: GraphQLResolveInfo) -> list[ComparisonModel]:
        return [ComparisonModel.of(model) for model in LIBRARY.values()]

    @staticmethod
    def resolve_comparison_runs(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        model_code: str | None = None,
        first: int = 50,
        min_position: int | None = None,
    ) -> list[comparison.RunRow]:
        with reading(info, min_position, views=VIEWS) as conn:
            offices = _offices(info, conn, tenant_id)
            return comparison.runs(conn, offices, model_code, _first(first))

    @staticmethod
    def resolve_comparison_jobs(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        first: int = 20,
        min_position: int | None = None,
    ) -> list[Job]:
        with reading(info, min_position, views=VIEWS) as conn:
            offices = _offices(info, conn, tenant_id)
        return runtime_of(info).comparison_jobs.comparison_jobs(offices, _first(first))

    @staticmethod
    def resolve_comparison_candidates(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        model_code: str | None = None,
        status: Any = None,
        first: int = 50,
        min_position: int | None = None,
    ) -> list[comparison.CandidateRow]:
        with reading(info, min_position, views=VIEWS) as conn:
            offices = _offices(info, conn, tenant_id)
            return comparison.candidates(
                conn,
                offices,
                model_code=model_code,
                status=None if status is None else str(getattr(status, "value", status)),
                first=_first(first),
            )

    @staticmethod
    def resolve_comparison_model_figures(
        _root: Any, info: GraphQLResolveInfo, tenant_id: str, min_position: int | None = None
    ) -> list[comparison.ModelFigures]:
        with reading(info, min_position, views=VIEWS) as conn:
            return comparison.model_figures(conn, _offices(info, conn, tenant_id))


def _offices(info: GraphQLResolveInfo, conn: Any, tenant_id: str) -> list[UUID]:
    office = parse_id(tenant_id, "tenantId")
    scope_in(info).require_read(office, "tenant")
    return deadlines_read.office_and_counties(conn, office)
