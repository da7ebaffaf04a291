from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.clues.values import ClueSource as DomainClueSource
from domain.clues.values import ClueStatus as DomainClueStatus
from graphql_schema.dataloaders import load_unit
from graphql_schema.relay import connection_for
from graphql_schema.tenants.types import Unit

ClueSource = graphene.Enum.from_enum(DomainClueSource)
ClueStatus = graphene.Enum.from_enum(DomainClueStatus)


class PersonConcerned(graphene.ObjectType):
    role = graphene.String(required=True)
    name = graphene.String(required=True)


class Clue(graphene.ObjectType):
    """A problem clue (问题线索) as the ledger shows it now."""

    id = graphene.ID(required=True)
    tenant_id = graphene.ID(required=True)
    round_id = graphene.ID()
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

    @staticmethod
    def resolve_id(row: Any, _info: GraphQLResolveInfo) -> str:
        return str(row.clue_id)

    @staticmethod
    def resolve_unit(row: Any, info: GraphQLResolveInfo) -> Any:
        return load_unit(info, row.unit_id)


ClueConnection = connection_for(Clue, "Clue")
