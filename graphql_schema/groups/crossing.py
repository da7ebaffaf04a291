"""How a cross round inside an office is shown: the groups and townships of its batch. Apart
from the round types so that the clue ledger can show it too."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from domain.rounds.values import CrossMode as DomainCrossMode
from graphql_schema.dataloaders import load_group, load_unit
from graphql_schema.groups.types import InspectionGroup
from graphql_schema.labels import labelled_enum
from graphql_schema.tenants.types import Unit

CrossMode = labelled_enum(DomainCrossMode)


class RoundCrossing(graphene.ObjectType):
    """Where a cross round inside an office stands in its batch: which group, drawn from
    which township, inspects which township; who hosts (EXCHANGE) and who oversees."""

    mode = graphene.Field(CrossMode, required=True)
    owning_township_id = graphene.ID(required=True, description="The township inspected.")
    owning_township = graphene.Field(Unit)
    inspecting_group_id = graphene.ID(required=True)
    inspecting_group = graphene.Field(InspectionGroup)
    home_township_id = graphene.ID(
        required=True, description="The inspecting group's home township."
    )
    home_township = graphene.Field(Unit)
    host_group_id = graphene.ID(
        description="EXCHANGE: the owning township's group, which provides leader and liaison."
    )
    supervisory_group_id = graphene.ID(description="The supervisory group (督导组).")
    supervisory_group = graphene.Field(InspectionGroup)
    zone_id = graphene.ID(description="The zone (片区) the batch was planned over.")
    zone = graphene.String(description="The zone's name.")

    @staticmethod
    def resolve_owning_township(crossing: dict[str, Any], info: GraphQLResolveInfo) -> Any:
        return load_unit(info, UUID(crossing["owning_township_id"]))

    @staticmethod
    def resolve_home_township(crossing: dict[str, Any], info: GraphQLResolveInfo) -> Any:
        return load_unit(info, UUID(crossing["home_township_id"]))

    @staticmethod
    def resolve_inspecting_group(crossing: dict[str, Any], info: GraphQLResolveInfo) -> Any:
        return load_group(info, crossing["inspecting_group_id"])

    @staticmethod
    def resolve_supervisory_group(crossing: dict[str, Any], info: GraphQLResolveInfo) -> Any:
        return load_group(info, crossing.get("supervisory_group_id"))
