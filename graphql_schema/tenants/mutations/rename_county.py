from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class RenameCountyInput(graphene.InputObjectType):
    county_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    effective_on = graphene.Date(required=True, description="The day the new name applies.")
    reason = graphene.String(required=True, description="E.g. the approval document.")


class RenameCounty(graphene.Mutation):
    """Rename a county (e.g. 撤县设区). Only an ADMIN of its city may."""

    class Arguments:
        input = graphene.Argument(RenameCountyInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).tenants.rename_county(
            acting=acting_of(info),
            county_id=parse_id(input["county_id"], "countyId"),
            name=input["name"],
            effective_on=input["effective_on"],
            reason=input["reason"],
        )
        return WriteResult.of(written)
