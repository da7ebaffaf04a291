from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.configuration.values import Term
from graphql_schema.context import parse_id, runtime_of
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult


class DeclareTermInput(graphene.InputObjectType):
    tenant_id = graphene.ID(required=True)
    name = graphene.String(required=True, description="E.g. 第十三届.")
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date(required=True)


class DeclareTerm(graphene.Mutation):
    """Declare a committee term (届); coverage is counted per term."""

    class Arguments:
        input = graphene.Argument(DeclareTermInput, required=True)

    Output = WriteResult

    @staticmethod
    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> WriteResult:
        written = runtime_of(info).configuration.declare_term(
            acting=acting_of(info),
            tenant_id=parse_id(input["tenant_id"], "tenantId"),
            term=Term(input["name"], input["starts_on"], input["ends_on"]),
        )
        return WriteResult.of(written)
