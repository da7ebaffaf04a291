from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.inspectors.inspector import Kinship as DomainKinship
from domain.inspectors.inspector import Posting, Relation
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.inspectors.types import Kinship
from graphql_schema.rounds.types import as_domain
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class PostingInput(graphene.InputObjectType):
    unit_id = graphene.ID(required=True)
    start = graphene.Date(required=True)
    end = graphene.Date(description="Empty while the post is still held.")


class RelationInput(graphene.InputObjectType):
    kinship = graphene.Field(Kinship, required=True)
    person = graphene.String(required=True, description="The relative's name.")
    position = graphene.String(required=True, description="Their post, e.g. 村党支部书记.")
    unit_id = graphene.ID(required=True, description="The unit whose leadership they are in.")


class RegisterInspectorInput(graphene.InputObjectType):
    home_tenant_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    staff_number = graphene.String(
        description="工号: with it the cadre's id follows from office and number (imports use it)."
    )
    postings = graphene.List(graphene.NonNull(PostingInput))
    relations = graphene.List(graphene.NonNull(RelationInput))


class RegisterInspector(graphene.Mutation):
    """Register a cadre who can serve on inspection teams (巡察干部)."""

    class Arguments:
        input = graphene.Argument(RegisterInspectorInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).inspectors.register_inspector(
            home_tenant_id=parse_id(input["home_tenant_id"], "homeTenantId"),
            name=input["name"],
            postings=[
                Posting(parse_id(p["unit_id"], "postings.unitId"), p["start"], p.get("end"))
                for p in input.get("postings") or []
            ],
            relations=[
                Relation(
                    as_domain(DomainKinship, r["kinship"]),
                    r["person"],
                    r["position"],
                    parse_id(r["unit_id"], "relations.unitId"),
                )
                for r in input.get("relations") or []
            ],
            acting=acting_of(info),
            staff_number=input.get("staff_number") or None,
        )
        return WriteResult.of(written)
