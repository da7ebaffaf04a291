from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.configuration.values import ChannelKind as DomainChannelKind
from domain.deadlines import DeadlineKind as DomainDeadlineKind
from domain.deadlines import WarningLevel as DomainWarningLevel
from graphql_schema.labels import labelled_enum

WarningLevel = labelled_enum(DomainWarningLevel, name="WarningLevel")
ChannelKind = labelled_enum(DomainChannelKind, name="WarningChannelKind")
DeadlineKind = labelled_enum(DomainDeadlineKind, name="DeadlineKind")


class DueItem(graphene.ObjectType):
    """An open clue or rectification task due soon or overdue (超期预警)."""

    kind = graphene.Field(DeadlineKind, required=True)
    id = graphene.ID(required=True, description="The clue's or the task's id.")
    tenant_id = graphene.ID(
        required=True, description="The office: the clue's registering office, the task's."
    )
    title = graphene.String(required=True, description="The clue's summary, the task's measure.")
    due_on = graphene.Date(required=True)
    due_provisional = graphene.Boolean(
        required=True,
        description="The due date was counted through a year whose official calendar is not "
        "loaded yet (Monday–Friday assumed); it is recounted when it is.",
    )
    working_days_left = graphene.Int(
        required=True,
        description="Working days after `today` up to the due date (0: due today); negative: "
        "overdue by so many working days.",
    )
    step = graphene.String(
        required=True,
        description="Where it stands: the clue's supervision step (or status before any), the "
        "task's status.",
    )
    level = graphene.Field(WarningLevel, required=True)

    @staticmethod
    def resolve_id(item: Any, _info: GraphQLResolveInfo) -> str:
        return str(item.item_id)
