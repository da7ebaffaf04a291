from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.rectification.values import Disclosure as DomainDisclosure
from domain.rectification.values import ItemDraft
from domain.rectification.values import ItemKind as DomainItemKind
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.rectification.types import RectificationItemKind
from graphql_schema.tenants.acting import acting_of
from graphql_schema.tenants.types import DisclosureExemption
from graphql_schema.written import WriteResult


class FeedbackItemInput(graphene.InputObjectType):
    kind = graphene.Field(RectificationItemKind, required=True)
    key = graphene.String(
        required=True, description="The office's own reference, unique in the feedback (P1)."
    )
    text = graphene.String(
        required=True, description="The problem, the measure, or the responsibility."
    )
    category = graphene.String(
        description="A problem's checklist aspect (e.g. 三资管理); its lines inherit it."
    )
    refers_to = graphene.String(
        description="The key of a task's problem, or of a responsibility's task."
    )
    immediate = graphene.Boolean(
        default_value=False,
        description="立行立改: fixed during stationing; such a task starts as done.",
    )
    disclosure = graphene.List(
        graphene.NonNull(DisclosureExemption),
        description="Why the line may not be disclosed; passes on to the lines below it.",
    )
    responsible_leader = graphene.String(description="A responsibility's leader.")
    responsible_department = graphene.String(description="A responsibility's department.")
    deadline = graphene.Date(description="A responsibility's deadline; its task is due then.")
    evidence = graphene.String(description="An immediate task's evidence.")


class RecordFeedbackInput(graphene.InputObjectType):
    round_id = graphene.ID(required=True)
    unit_id = graphene.ID(required=True, description="A target unit of the round.")
    given_on = graphene.Date(description="The day of the feedback (default: today).")
    report = graphene.String(required=True, description="The feedback report (反馈意见).")
    items = graphene.List(graphene.NonNull(FeedbackItemInput), required=True)


class RecordFeedback(graphene.Mutation):
    """Record a round's feedback to one unit: the report and its problem, task and
    responsibility lists. Each task gets its own id (see `rectification`)."""

    class Arguments:
        input = graphene.Argument(RecordFeedbackInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).rectification.record_feedback(
            acting=acting_of(info),
            round_id=parse_id(input["round_id"], "roundId"),
            unit_id=parse_id(input["unit_id"], "unitId"),
            given_on=input.get("given_on"),
            report=input["report"],
            items=[_draft(item) for item in input["items"]],
        )
        return WriteResult.of(written)


def _draft(item: dict[str, Any]) -> ItemDraft:
    return ItemDraft(
        kind=DomainItemKind(item["kind"]),
        key=item["key"],
        text=item["text"],
        category=item.get("category"),
        refers_to=item.get("refers_to"),
        immediate=bool(item.get("immediate")),
        disclosure=tuple(DomainDisclosure(d) for d in item.get("disclosure") or []),
        responsible_leader=item.get("responsible_leader"),
        responsible_department=item.get("responsible_department"),
        deadline=item.get("deadline"),
        evidence=item.get("evidence"),
    )
