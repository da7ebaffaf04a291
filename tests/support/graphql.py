"""A tiny GraphQL-over-HTTP client for the tests, working over any httpx client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class GraphQL:
    http: httpx.Client

    def execute(
        self, query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.execute(query, variables)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The single error a refused operation answers with."""
        body = self.execute(query, variables)
        assert body.get("errors"), body
        assert len(body["errors"]) == 1, body
        error: dict[str, Any] = body["errors"][0]
        return error


REGISTER_TENANT = """
mutation($input: RegisterTenantInput!) { registerTenant(input: $input) { id position } }
"""
REGISTER_UNIT = """
mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { id position } }
"""
REGISTER_CLUE = """
mutation($input: RegisterClueInput!) { registerClue(input: $input) { id position } }
"""
CLUE_LEDGER = """
query($tenantId: ID, $first: Int, $after: String, $minPosition: BigInt) {
  clueLedger(tenantId: $tenantId, first: $first, after: $after, minPosition: $minPosition) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node {
      id tenantId category summary source status amountInvolved registeredBy version
      personsConcerned { role name }
      unit { id name unitType }
    } }
  }
}
"""


def register_city_with_village(gql: GraphQL) -> dict[str, str]:
    """A city, one county and one village of that county; returns their ids."""
    city = gql.data(REGISTER_TENANT, {"input": {"code": "3701", "name": "济南市", "level": "CITY"}})
    city_id = city["registerTenant"]["id"]
    county = gql.data(
        REGISTER_TENANT,
        {"input": {"code": "370102", "name": "历下区", "level": "COUNTY", "parentId": city_id}},
    )
    county_id = county["registerTenant"]["id"]
    village = gql.data(
        REGISTER_UNIT,
        {"input": {"tenantId": county_id, "code": "V001", "name": "甲村", "unitType": "VILLAGE"}},
    )
    return {"city": city_id, "county": county_id, "village": village["registerUnit"]["id"]}
