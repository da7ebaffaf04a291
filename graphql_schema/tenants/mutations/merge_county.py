from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.context import parse_id, reading, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult
from projections import directory
from projections.directory import Directory


class MergeCountyInput(graphene.InputObjectType):
    county_id = graphene.ID(required=True, description="The county that ceases.")
    into_id = graphene.ID(required=True, description="The county that takes its units.")
    effective_on = graphene.Date(required=True)
    reason = graphene.String(required=True)


class MergeCounty(graphene.Mutation):
    """Merge a county into another of the same city: the merged county records where it went
    and each of its units is reassigned by an event on its own stream. ADMIN of the city."""

    class Arguments:
        input = graphene.Argument(MergeCountyInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        runtime = runtime_of(info)
        county_id = parse_id(input["county_id"], "countyId")
        with reading(info, runtime.store.max_position(), views=[Directory.name]) as conn:
            units = [row.unit_id for row in directory.units_of(conn, county_id)]
        written = runtime.tenants.merge_county(
            acting=acting_of(info),
            county_id=county_id,
            into_id=parse_id(input["into_id"], "intoId"),
            units=units,
            effective_on=input["effective_on"],
            reason=input["reason"],
        )
        return WriteResult.of(written)
