"""`coverage(tenantId, termStart, termEnd)`: 全覆盖 of a term, by unit type and by county."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.errors import ValidationFailed
from graphql_schema.as_of import RECORDED_AS_OF_ARGUMENT, day_of
from graphql_schema.context import parse_id, reading
from graphql_schema.dataloaders import load_tenant, prime_tenants
from graphql_schema.tenants.acting import scope_in
from graphql_schema.tenants.types import Tenant, UnitType
from projections import coverage as coverage_view
from projections.coverage import Coverage as CoverageResult
from projections.coverage import CoverageRow, CoverageView


class _Share(graphene.Interface):
    units = graphene.Int(required=True)
    inspected = graphene.Int(required=True, description="Inspected at least once in the term.")
    rate = graphene.Decimal(required=True, description="inspected ÷ units, 4 decimals.")

    @staticmethod
    def resolve_rate(row: CoverageRow, _info: Any) -> Any:
        return row.rate


class CoverageByUnitType(graphene.ObjectType):
    class Meta:
        interfaces = (_Share,)

    unit_type = graphene.Field(UnitType, required=True)

    @staticmethod
    def resolve_unit_type(row: CoverageRow, _info: Any) -> str:
        return row.key


class CoverageByCounty(graphene.ObjectType):
    class Meta:
        interfaces = (_Share,)

    tenant_id = graphene.ID(required=True, description="The county (or the city itself).")
    tenant = graphene.Field(Tenant)

    @staticmethod
    def resolve_tenant_id(row: CoverageRow, _info: Any) -> str:
        return row.key

    @staticmethod
    def resolve_tenant(row: CoverageRow, info: GraphQLResolveInfo) -> Any:
        return load_tenant(info, row.key)


class Coverage(graphene.ObjectType):
    class Meta:
        interfaces = (_Share,)

    tenant_id = graphene.ID(required=True)
    term_start = graphene.Date(required=True)
    term_end = graphene.Date(required=True)
    as_of = graphene.Date(required=True)
    remaining = graphene.Int(required=True)
    years_left = graphene.Decimal(required=True, description="Years of 365.25 days, 2 decimals.")
    yearly_pace_needed = graphene.Int(
        description="Units still to inspect per year to finish the term; null once it is over."
    )
    by_unit_type = graphene.List(graphene.NonNull(CoverageByUnitType), required=True)
    by_county = graphene.List(graphene.NonNull(CoverageByCounty), required=True)


class CoverageQueries(graphene.ObjectType):
    coverage = graphene.Field(
        Coverage,
        required=True,
        tenant_id=graphene.ID(required=True),
        term_start=graphene.Date(required=True),
        term_end=graphene.Date(required=True),
        as_of=graphene.Date(
            description="Count the pace from this day (default today, or recordedAsOf's day)."
        ),
        min_position=graphene.BigInt(),
        recorded_as_of=RECORDED_AS_OF_ARGUMENT,
    )

    @staticmethod
    def resolve_coverage(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str,
        term_start: date,
        term_end: date,
        as_of: date | None = None,
        min_position: int | None = None,
        recorded_as_of: datetime | None = None,
    ) -> CoverageResult:
        if term_end < term_start:
            raise ValidationFailed("termEnd is before termStart", field="termEnd")
        office = parse_id(tenant_id, "tenantId")
        with reading(info, min_position, views=[CoverageView.name], as_of=recorded_as_of) as conn:
            scope_in(info).require_read(office, "tenant")
            found = coverage_view.coverage(
                conn,
                tenant_id=office,
                term_start=term_start,
                term_end=term_end,
                as_of=as_of or day_of(recorded_as_of),
            )
        prime_tenants(info, [row.key for row in found.by_county])
        return found
