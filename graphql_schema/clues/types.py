from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import ClueSort as DomainClueSort
from domain.clues.values import ClueSource as DomainClueSource
from domain.clues.values import ClueStatus as DomainClueStatus
from domain.clues.values import CorrectableField as DomainCorrectableField
from domain.clues.values import Disposition as DomainDisposition
from domain.clues.values import HandlingBody as DomainHandlingBody
from domain.clues.values import InformantStatus as DomainInformantStatus
from domain.clues.values import PriorityClass as DomainPriorityClass
from domain.clues.values import SupervisionStep as DomainSupervisionStep
from graphql_schema.context import context_of
from graphql_schema.dataloaders import crossings, informants, load_tenant, load_unit
from graphql_schema.groups.crossing import RoundCrossing
from graphql_schema.labels import labelled_enum
from graphql_schema.relay import connection_for
from graphql_schema.tenants.types import Tenant, Unit
from projections.clue_ledger_read import COUNT_LIMIT

ClueSource = labelled_enum(DomainClueSource)
ClueStatus = labelled_enum(DomainClueStatus)
PriorityClass = labelled_enum(DomainPriorityClass)
HandlingBody = labelled_enum(DomainHandlingBody)
Disposition = labelled_enum(DomainDisposition)
SupervisionStep = labelled_enum(DomainSupervisionStep)
CorrectableField = labelled_enum(DomainCorrectableField)
InformantStatus = labelled_enum(DomainInformantStatus)


class Informant(graphene.ObjectType):
    """The informant (举报人) of a clue. Name and contact only with informant clearance."""

    status = graphene.Field(InformantStatus, required=True)
    name = graphene.String()
    contact = graphene.String()


class PersonConcerned(graphene.ObjectType):
    role = graphene.String(required=True)
    name = graphene.String(required=True)


class Clue(graphene.ObjectType):
    """A problem clue (问题线索) as the ledger shows it now."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    tenant = graphene.Field(Tenant, description="The office that registered it.")
    round_id = graphene.ID()
    crossing = graphene.Field(
        RoundCrossing,
        description="For a clue found by a cross round inside an office: the group that "
        "found it and the township inspected.",
    )
    unit = graphene.Field(Unit)
    source = graphene.Field(ClueSource, required=True)
    category = graphene.String(required=True)
    summary = graphene.String(required=True)
    persons_concerned = graphene.List(graphene.NonNull(PersonConcerned), required=True)
    amount_involved = graphene.Decimal()
    status = graphene.Field(ClueStatus, required=True)
    registered_at = graphene.DateTime(required=True)
    registered_by = graphene.String(required=True)
    version = graphene.Int(required=True)
    priority = graphene.Field(PriorityClass)
    proposed_route = graphene.String()
    handling_body = graphene.Field(HandlingBody)
    receiving_tenant_id = graphene.ID()
    receiving_tenant = graphene.Field(Tenant, description="The office it was transferred to.")
    transferred_on = graphene.Date()
    due_date = graphene.Date()
    due_provisional = graphene.Boolean(
        required=True,
        description="The due date runs through a year whose official schedule is not loaded; "
        "it was counted Monday–Friday and is recounted when the year is loaded.",
    )
    working_days = graphene.Int(description="The due date was set as this many working days.")
    overdue = graphene.Boolean(
        required=True, description="Past its due date and not concluded (judged on `today`)."
    )
    supervision_step = graphene.Field(SupervisionStep)
    warning_final_date = graphene.Date()
    last_progress = graphene.String()
    disposition = graphene.Field(Disposition)
    persons_disciplined = graphene.Int()
    funds_recovered = graphene.Decimal()
    closed_in_ledger = graphene.Boolean(required=True)
    concluded_on = graphene.Date()
    informant = graphene.Field(Informant, required=True)

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.clue_id)

    @staticmethod
    def resolve_tenant(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_tenant(info, row.tenant_id)

    @staticmethod
    def resolve_receiving_tenant(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_tenant(info, row.receiving_tenant_id)

    @staticmethod
    def resolve_unit(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.unit_id)

    @staticmethod
    def resolve_crossing(row: Any, info: GraphQLResolveInfo) -> Any:
        return crossings(info).load(row.round_id) if row.round_id else None

    @staticmethod
    def resolve_informant(row: Any, info: GraphQLResolveInfo) -> Informant:
        if row.informant_status != "SEALED" or row.informant_sealed is None:
            return Informant(status=row.informant_status)
        if not context_of(info).informant_clearance:
            return Informant(status="WITHHELD")
        identity = informants(info).load((row.clue_id, row.informant_sealed))
        if identity is None:  # the key is already gone; the ledger has not caught up
            return Informant(status="ERASED")
        return Informant(status="SEALED", name=identity.name, contact=identity.contact)


ClueConnection = connection_for(
    Clue,
    "Clue",
    total_count_description=(
        "How many clues you may see match the filter. Exact when the filter uses only "
        "tenantId, receivingTenantId, status, priority and category; with any other filter "
        f"(round, unit, overdue, supervision step, due before) counted up to {COUNT_LIMIT:,}, "
        f"so {COUNT_LIMIT:,} then means at least that many."
    ),
)


ClueSort = labelled_enum(DomainClueSort)
