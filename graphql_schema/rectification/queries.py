from __future__ import annotations

from datetime import date, datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.errors import ValidationFailed
from graphql_schema.as_of import AS_OF_ARGUMENT, day_of
from graphql_schema.context import parse_optional_id, reading, runtime_of
from graphql_schema.dataloaders import units
from graphql_schema.rectification.types import Rectification
from graphql_schema.tenants.acting import scope_in
from projections import rectification_levels, rectification_read
from projections.rectification import Rectification as RectificationView


class RectificationQueries(graphene.ObjectType):
    rectification = graphene.Field(
        Rectification,
        required=True,
        round_id=graphene.ID(description="The lists of this round's feedback."),
        tenant_id=graphene.ID(description="The lists of feedback given by or to this office."),
        disclosable_only=graphene.Boolean(
            default_value=False,
            description="Leave out lines withheld from disclosure (state secret, under "
            "investigation, sensitive), as for publication.",
        ),
        today=graphene.Date(description="The day overdue is judged on (default: today)."),
        min_position=graphene.BigInt(description="Wait until projections reach this position."),
        as_of=AS_OF_ARGUMENT,
    )

    @staticmethod
    def resolve_rectification(
        _root: Any,
        info: GraphQLResolveInfo,
        round_id: str | None = None,
        tenant_id: str | None = None,
        disclosable_only: bool = False,
        today: date | None = None,
        min_position: int | None = None,
        as_of: datetime | None = None,
    ) -> dict[str, Any]:
        if (round_id is None) == (tenant_id is None):
            raise ValidationFailed("Give exactly one of roundId and tenantId", field="roundId")
        round_key = parse_optional_id(round_id, "roundId")
        office = parse_optional_id(tenant_id, "tenantId")
        with reading(info, min_position, views=[RectificationView.name], as_of=as_of) as conn:
            scope = scope_in(info)
            if round_key is not None:
                runtime_of(info).rounds.require_readable(scope, round_key)
            else:
                scope.require_read(office, "tenant")
            day = today or day_of(as_of)
            lists = rectification_read.lists(
                conn,
                round_id=round_key,
                tenant_id=office,
                today=day,
                disclosable_only=disclosable_only,
            )
            common = rectification_levels.common_problems(
                conn, round_id=round_key, tenant_id=office, today=day
            )
            by_level = rectification_levels.by_level(
                conn, round_id=round_key, tenant_id=office, today=day
            )
        units(info).prime(f.unit_id for f in lists.feedbacks)  # items and tasks are theirs
        return {
            "feedbacks": lists.feedbacks,
            "problems": lists.problems,
            "tasks": lists.tasks,
            "responsibilities": lists.responsibilities,
            "results": lists.results,
            "archive": lists.archive,
            "common_problems": common,
            "by_level": by_level,
        }
