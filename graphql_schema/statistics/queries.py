from __future__ import annotations

from datetime import date
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.errors import ValidationFailed
from graphql_schema.context import parse_optional_id, reading
from graphql_schema.statistics.types import Statistics
from graphql_schema.tenants.acting import scope_in
from projections import comparison, deadlines_read, statistics
from projections.comparison import ComparisonView
from projections.statistics import StatisticsView
from services.clock import today_in_china


class StatisticsQueries(graphene.ObjectType):
    statistics = graphene.Field(
        Statistics,
        required=True,
        tenant_id=graphene.ID(description="This office and every office below it."),
        round_id=graphene.ID(),
        category=graphene.String(description="One checklist aspect, e.g. 三资管理."),
        period_from=graphene.Date(name="from", description="First day of the period."),
        period_to=graphene.Date(name="to", description="Last day of the period (default today)."),
        min_position=graphene.BigInt(description="Wait until projections reach this position."),
    )

    @staticmethod
    def resolve_statistics(
        _root: Any,
        info: GraphQLResolveInfo,
        tenant_id: str | None = None,
        round_id: str | None = None,
        category: str | None = None,
        period_from: date | None = None,
        period_to: date | None = None,
        min_position: int | None = None,
    ) -> dict[str, Any]:
        end = period_to or today_in_china()
        if period_from is not None and period_from > end:
            raise ValidationFailed(f"The period starts on {period_from}, after {end}", field="from")
        office = parse_optional_id(tenant_id, "tenantId")
        views = [StatisticsView.name, ComparisonView.name]
        with reading(info, min_position, views=views) as conn:
            scope = scope_in(info)
            if office is not None:
                scope.require_read(office, "tenant")
            elif scope.tenants is not None:
                office = scope.acting.tenant_id  # its own office and every office below it
            found = statistics.statistics(
                conn,
                start=period_from,
                end=end,
                tenant_id=office,
                round_id=parse_optional_id(round_id, "roundId"),
                category=category,
            )
            offices = None if office is None else deadlines_read.office_and_counties(conn, office)
            by_model = comparison.model_figures(conn, offices)
        return {
            "by_comparison_model": by_model,
            "period_from": period_from,
            "period_to": end,
            "total": found.total,
            "by_category": [
                {"category": name, "figures": figures}
                for name, figures in found.by_category.items()
            ],
            "by_level": [
                {
                    "level": level,
                    "systemic": systemic,
                    "tasks_due": figures.tasks_due,
                    "tasks_verified": figures.tasks_verified,
                    "rectification_rate": figures.rectification_rate,
                }
                for (level, systemic), figures in found.by_level.items()
            ],
        }
