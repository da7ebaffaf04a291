"""What a newcomer reads first: GraphQL answers carry Chinese as text (not `\\uXXXX`), and a
refusal's details are named in camelCase, like the schema's fields, over GraphQL and REST."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from infrastructure.auth import Role
from tests.support.auth import TokenMint
from tests.support.graphql import REGISTER_UNIT, GraphQL, register_city_with_village

TENANTS = "{ tenants { name } }"


def test_chinese_is_answered_as_text(app: FastAPI, gql: GraphQL, tokens: TokenMint) -> None:
    register_city_with_village(gql)

    with TestClient(app, headers=tokens.headers()) as http:
        answer = http.post("/graphql", json={"query": TENANTS})

    assert "济南市" in answer.text
    assert "\\u" not in answer.text
    assert answer.headers["content-type"].startswith("application/json")


def test_a_refusals_details_are_named_like_the_schemas_fields(
    app: FastAPI, gql: GraphQL, tokens: TokenMint
) -> None:
    ids = register_city_with_village(gql)
    unit = {"tenantId": ids["county"], "code": "V002", "name": "乙村", "unitType": "VILLAGE"}
    team = tokens.headers(Role.COUNTY_TEAM, ids["county"])

    with TestClient(app, headers=team) as http:
        answer = http.post("/graphql", json={"query": REGISTER_UNIT, "variables": {"input": unit}})

    extensions = answer.json()["errors"][0]["extensions"]
    assert (extensions["code"], extensions["requiredRole"]) == ("FORBIDDEN", "ADMIN")
    assert [key for key in extensions if "_" in key] == []
