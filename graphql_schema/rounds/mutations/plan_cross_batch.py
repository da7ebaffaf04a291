from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import CrossMode as DomainCrossMode
from domain.rounds.values import Period
from domain.rounds.values import RoundKind as DomainRoundKind
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.rounds.types import CrossMode, RoundKind, as_domain
from graphql_schema.tenants.acting import acting_of
from services.rounds import CrossTargets


class CrossCountyInput(graphene.InputObjectType):
    county_id = graphene.ID(required=True)
    target_unit_ids = graphene.List(
        graphene.NonNull(graphene.ID), required=True, description="The county's units inspected."
    )


class PlanCrossBatchInput(graphene.InputObjectType):
    city_id = graphene.ID(required=True, description="The authorising city.")
    mode = graphene.Field(CrossMode, required=True)
    kind = graphene.Field(RoundKind, required=True)
    title = graphene.String(required=True)
    theme = graphene.String()
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    counties = graphene.List(graphene.NonNull(CrossCountyInput), required=True)
    shift = graphene.Int(description="Ring step: county i works with county i+shift (default 1).")


class PlanCrossBatchPayload(graphene.ObjectType):
    batch_id = graphene.ID(required=True)
    round_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    position = graphene.BigInt(required=True)


class PlanCrossBatch(graphene.Mutation):
    """Generate and plan a batch of cross rounds (交叉巡察), all or none."""

    class Arguments:
        input = graphene.Argument(PlanCrossBatchInput, required=True)

    Output = PlanCrossBatchPayload

    @staticmethod
    def mutate(
        _root: Any, info: GraphQLResolveInfo, input: dict[str, Any]
    ) -> PlanCrossBatchPayload:
        written = runtime_of(info).rounds.plan_cross_batch(
            city_id=parse_id(input["city_id"], "cityId"),
            mode=as_domain(DomainCrossMode, input["mode"]),
            kind=as_domain(DomainRoundKind, input["kind"]),
            title=input["title"],
            theme=input.get("theme"),
            period=Period(input["period_start"], input["period_end"]),
            targets=[
                CrossTargets(
                    parse_id(c["county_id"], "countyId"),
                    [parse_id(u, "targetUnitIds") for u in c["target_unit_ids"]],
                )
                for c in input["counties"]
            ],
            shift=input.get("shift") or 1,
            acting=acting_of(info),
        )
        return PlanCrossBatchPayload(
            batch_id=str(written.batch_id),
            round_ids=[str(r) for r in written.round_ids],
            position=written.position,
        )
