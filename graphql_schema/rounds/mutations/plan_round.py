from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import Linkage as DomainLinkage
from domain.rounds.values import Period
from domain.rounds.values import RoundKind as DomainRoundKind
from graphql_schema.context import parse_id, parse_optional_id, runtime_of
from graphql_schema.rounds.types import Linkage, RoundKind, as_domain
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class PlanRoundInput(graphene.InputObjectType):
    tenant_id = graphene.ID(required=True, description="The organising office.")
    kind = graphene.Field(RoundKind, required=True)
    linkage = graphene.Field(Linkage, required=True)
    title = graphene.String(required=True)
    theme = graphene.String(description="The theme of a THEMATIC round.")
    revisit_of_round_id = graphene.ID(description="The round a REVISIT checks.")
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    target_unit_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    co_organiser_ids = graphene.List(
        graphene.NonNull(graphene.ID), description="The counties co-organising a JOINT round."
    )
    parent_round_id = graphene.ID(description="The city round a LINKED child runs under.")
    inspecting_county_id = graphene.ID(description="CROSS: the county whose team inspects.")
    owning_county_id = graphene.ID(description="CROSS: the county whose units are inspected.")


class PlanRound(graphene.Mutation):
    """Plan an inspection round; refused with RULE_VIOLATION when a linkage rule is broken."""

    class Arguments:
        input = graphene.Argument(PlanRoundInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rounds.plan_round(
            tenant_id=parse_id(input["tenant_id"], "tenantId"),
            kind=as_domain(DomainRoundKind, input["kind"]),
            linkage=as_domain(DomainLinkage, input["linkage"]),
            title=input["title"],
            theme=input.get("theme"),
            revisit_of=parse_optional_id(input.get("revisit_of_round_id"), "revisitOfRoundId"),
            period=Period(input["period_start"], input["period_end"]),
            target_unit_ids=[parse_id(u, "targetUnitIds") for u in input["target_unit_ids"]],
            co_organiser_ids=[
                parse_id(c, "coOrganiserIds") for c in input.get("co_organiser_ids") or []
            ],
            parent_round_id=parse_optional_id(input.get("parent_round_id"), "parentRoundId"),
            inspecting_county_id=parse_optional_id(
                input.get("inspecting_county_id"), "inspectingCountyId"
            ),
            owning_county_id=parse_optional_id(input.get("owning_county_id"), "owningCountyId"),
            acting=acting_of(info),
        )
        return WriteResult.of(written)
