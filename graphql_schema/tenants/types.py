from __future__ import annotations

from typing import Any

import graphene

from domain.configuration.values import DisclosureExemption as DomainDisclosureExemption
from domain.configuration.values import SupervisionStep as DomainSupervisionStep
from domain.configuration.values import Trigger as DomainTrigger
from domain.tenants.tenant import TenantLevel as DomainTenantLevel
from domain.tenants.unit import UnitType as DomainUnitType
from graphql_schema.labels import labelled_enum
from graphql_schema.relay import connection_for

TenantLevel = labelled_enum(DomainTenantLevel)
UnitType = labelled_enum(DomainUnitType)
LadderStepName = labelled_enum(DomainSupervisionStep, name="LadderStepName")
LadderTrigger = labelled_enum(DomainTrigger, name="LadderTrigger")
DisclosureExemption = labelled_enum(DomainDisclosureExemption)


class Tenant(graphene.ObjectType):
    """An inspection office: a city or a county/district."""

    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    level = graphene.Field(TenantLevel, required=True)
    parent_id = graphene.ID()
    merged_into = graphene.ID(description="The county this one merged into, if it did.")

    @staticmethod
    def resolve_id(row: Any, _info: Any) -> str:
        return str(row.tenant_id)


class Unit(graphene.ObjectType):
    """An inspected Party organisation (被巡察对象)."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    unit_type = graphene.Field(UnitType, required=True)
    parent_id = graphene.ID()
    class_tags = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The classes most recently recorded for the unit (codes).",
    )

    @staticmethod
    def resolve_id(row: Any, _info: Any) -> str:
        return str(row.unit_id)


UnitConnection = connection_for(Unit, "Unit")


class LadderStep(graphene.ObjectType):
    step = graphene.Field(LadderStepName, required=True)
    trigger = graphene.Field(LadderTrigger, required=True)
    days = graphene.Int(required=True)


class PriorityClassName(graphene.ObjectType):
    priority_class = graphene.String(required=True, description="KEY, ATTENTION or REFERENCE.")
    name = graphene.String(required=True)


class Practice(graphene.ObjectType):
    """Time limits and names in force."""

    transfer_due_working_days = graphene.Int(required=True)
    rectification_report_due_months = graphene.Int(required=True)
    supervision_ladder = graphene.List(graphene.NonNull(LadderStep), required=True)
    priority_class_names = graphene.List(graphene.NonNull(PriorityClassName), required=True)
    disclosure_exemptions = graphene.List(graphene.NonNull(DisclosureExemption), required=True)

    @staticmethod
    def resolve_priority_class_names(practice: Any, _info: Any) -> list[dict[str, str]]:
        return [{"priority_class": k, "name": v} for k, v in practice.priority_class_names.items()]


class UnitClass(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)


class Aspect(graphene.ObjectType):
    name = graphene.String(required=True)
    problem_forms = graphene.List(graphene.NonNull(graphene.String), required=True)


class Checklist(graphene.ObjectType):
    class_code = graphene.String(description="Null for the common checklist (the 1 of 1+X).")
    aspects = graphene.List(graphene.NonNull(Aspect), required=True)


class Term(graphene.ObjectType):
    """A committee term (届)."""

    name = graphene.String(required=True)
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date(required=True)


class TenantOnDate(graphene.ObjectType):
    """An office and its configuration as they were (or will be) on `asOf`."""

    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True, description="Its name on that date.")
    level = graphene.Field(TenantLevel, required=True)
    parent_id = graphene.ID()
    merged_into = graphene.ID()
    as_of = graphene.Date(required=True)
    practice = graphene.Field(Practice, required=True)
    unit_classes = graphene.List(graphene.NonNull(UnitClass), required=True)
    checklists = graphene.List(graphene.NonNull(Checklist), required=True)
    term = graphene.Field(Term, description="The committee term that date falls in.")
    terms = graphene.List(graphene.NonNull(Term), required=True)
