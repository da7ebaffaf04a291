"""Every GraphQL request needs a valid bearer token; the token's subject is who events name as
their actor. Without one the answer is 401 with UNAUTHENTICATED, and nothing runs."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.auth import TokenMint
from tests.support.graphql import (
    CLUE_LEDGER,
    REGISTER_CLUE,
    REGISTER_TENANT,
    GraphQL,
    register_city_with_village,
)

TENANTS = "{ tenants { id code } }"


def test_a_request_without_a_token_is_refused_with_401_and_writes_nothing(
    app: FastAPI, runtime: Runtime
) -> None:
    before = runtime.store.max_position()
    mutation = {"query": REGISTER_TENANT, "variables": {"input": {"code": "X", "name": "某市"}}}
    with TestClient(app) as http:
        response = http.post("/graphql", json=mutation)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == "未认证：请提供有效的访问令牌"  # no Accept-Language: Chinese
    assert "bearer token" in error["extensions"]["messageEn"]
    assert runtime.store.max_position() == before


def test_a_get_query_without_a_token_is_refused_too(app: FastAPI) -> None:
    with TestClient(app) as http:
        response = http.get("/graphql", params={"query": TENANTS})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-token",
        "Basic YWRtaW46YWRtaW4=",
        "Bearer ",
        "Bearer " + "a" * 10_000,
        "Bearer " + jwt.encode({"sub": "x", "role": "ADMIN"}, key="", algorithm="none"),
    ],
    ids=["garbage", "basic-auth", "empty", "huge", "alg-none"],
)
def test_a_malformed_token_is_refused(gql: GraphQL, authorization: str) -> None:
    response = gql.http.post(
        "/graphql", json={"query": TENANTS}, headers={"Authorization": authorization}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_an_expired_token_is_refused(gql: GraphQL, tokens: TokenMint) -> None:
    expired = tokens.token(ttl=timedelta(minutes=-5))
    body = gql.execute(TENANTS, Authorization=f"Bearer {expired}")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in body["errors"][0]["message"]


def test_a_token_signed_with_another_secret_is_refused(gql: GraphQL) -> None:
    forged = jwt.encode(
        {
            "sub": "mallory",
            "tenant": "00000000-0000-4000-8000-000000000000",
            "role": "ADMIN",
            "exp": 4_000_000_000,
        },
        "an-attacker-chosen-secret-of-plenty-of-length",
        algorithm="HS256",
    )
    body = gql.execute(TENANTS, Authorization=f"Bearer {forged}")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "signature does not verify" in body["errors"][0]["message"]


def test_the_token_subject_is_the_actor_of_the_events_written(
    gql: GraphQL, gql_as: GraphQLAs
) -> None:
    ids = register_city_with_village(gql)
    county_team = gql_as(Role.COUNTY_TEAM, ids["county"], subject="li.si@370102")
    written = county_team.data(
        REGISTER_CLUE,
        {
            "input": {
                "tenantId": ids["county"],
                "unitId": ids["village"],
                "source": "HOTLINE",
                "category": "作风问题",
                "summary": "村干部长期不在岗",
            }
        },
    )["registerClue"]

    ledger = gql.data(CLUE_LEDGER, {"minPosition": written["position"]})["clueLedger"]
    assert ledger["edges"][0]["node"]["registeredBy"] == "li.si@370102"


def test_health_needs_no_token(app: FastAPI) -> None:
    with TestClient(app) as http:
        assert http.get("/healthz").status_code == 200
