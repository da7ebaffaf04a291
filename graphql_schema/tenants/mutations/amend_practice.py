from __future__ import annotations

from dataclasses import replace
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.configuration.values import (
    DEFAULT_PRIORITY_NAMES,
    DisclosureExemption,
    LadderStep,
    SupervisionStep,
    Trigger,
)
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.tenants.types import DisclosureExemption as DisclosureExemptionEnum
from graphql_schema.tenants.types import LadderStepName, LadderTrigger
from graphql_schema.written import WriteResult


class LadderStepInput(graphene.InputObjectType):
    step = graphene.Field(LadderStepName, required=True)
    trigger = graphene.Field(LadderTrigger, required=True)
    days = graphene.Int(required=True)


class PriorityClassNamesInput(graphene.InputObjectType):
    key = graphene.String(name="KEY", required=True, description="Default 重点关注类.")
    attention = graphene.String(name="ATTENTION", required=True, description="Default 了解关注类.")
    reference = graphene.String(name="REFERENCE", required=True, description="Default 参考类.")


class AmendPracticeInput(graphene.InputObjectType):
    """Fields left out keep the values in force on `effectiveFrom`."""

    tenant_id = graphene.ID(required=True)
    effective_from = graphene.Date(required=True, description="Today or later.")
    transfer_due_working_days = graphene.Int()
    rectification_report_due_months = graphene.Int()
    supervision_ladder = graphene.List(graphene.NonNull(LadderStepInput))
    priority_class_names = graphene.Field(PriorityClassNamesInput)
    disclosure_exemptions = graphene.List(graphene.NonNull(DisclosureExemptionEnum))


def _value(member: Any) -> Any:
    return getattr(member, "value", member)


class AmendPractice(graphene.Mutation):
    """Change the office's time limits and names from a date on; earlier records keep theirs."""

    class Arguments:
        input = graphene.Argument(AmendPracticeInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        runtime = runtime_of(info)
        tenant_id = parse_id(input["tenant_id"], "tenantId")
        practice = runtime.configuration.practice_on(tenant_id, input["effective_from"])
        changes: dict[str, Any] = {}
        for name in ("transfer_due_working_days", "rectification_report_due_months"):
            if input.get(name) is not None:
                changes[name] = input[name]
        if input.get("supervision_ladder") is not None:
            changes["supervision_ladder"] = tuple(
                LadderStep(
                    SupervisionStep(_value(s["step"])), Trigger(_value(s["trigger"])), s["days"]
                )
                for s in input["supervision_ladder"]
            )
        if input.get("priority_class_names") is not None:
            names = input["priority_class_names"]
            changes["priority_class_names"] = {
                key: names[key.lower()] for key in DEFAULT_PRIORITY_NAMES
            }
        if input.get("disclosure_exemptions") is not None:
            changes["disclosure_exemptions"] = tuple(
                DisclosureExemption(_value(e)) for e in input["disclosure_exemptions"]
            )
        written = runtime.configuration.amend_practice(
            acting=acting_of(info),
            tenant_id=tenant_id,
            practice=replace(practice, **changes),
            effective_from=input["effective_from"],
        )
        return WriteResult.of(written)
