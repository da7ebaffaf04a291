"""Signing in to the web app: an ADMIN opens an account, the person changes the initial
password, signs in with a cookie session that reads and writes the API like a bearer token (a
write only with the CSRF header), signs out, and the cookie stops working. Every sign-in and
refused sign-in is an event of the account; five wrong passwords lock it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from domain.accounts.account import MAX_FAILURES, Account, account_id_for
from entrypoints.http.web_session import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from services.runtime import Runtime
from tests.support.graphql import GraphQL, register_city_with_village

OPEN_ACCOUNT = """
mutation ($input: OpenAccountInput!) { openAccount(input: $input) { id position } }
"""
INITIAL, CHOSEN = "initial-password-1", "chosen-password-2"
TENANTS = '{"query": "{ tenants { code } }"}'
REGISTER_UNIT = "mutation ($input: RegisterUnitInput!) { registerUnit(input: $input) { id } }"


def open_account(gql: GraphQL, tenant_id: str, role: str = "ADMIN") -> None:
    gql.data(
        OPEN_ACCOUNT,
        {
            "input": {
                "tenantId": tenant_id,
                "username": "Li.Na",
                "displayName": "李娜",
                "role": role,
                "initialPassword": INITIAL,
            }
        },
    )


def sign_in(http: TestClient, password: str) -> Any:
    return http.post("/session", json={"username": "li.na", "password": password})


def events_of(runtime: Runtime) -> list[str]:
    account = runtime.store.load(Account, account_id_for("li.na"), what="account")
    stored = runtime.store.events_of([account.id])
    return [runtime.store.mapper.to_domain_event(e).__class__.__name__ for e in stored]


def test_a_person_changes_the_initial_password_signs_in_writes_and_signs_out(
    app: FastAPI, gql: GraphQL, runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    open_account(gql, ids["county"])
    with TestClient(app) as http:
        first = sign_in(http, INITIAL)
        assert first.status_code == 400
        assert first.json()["errors"][0]["extensions"]["rule"] == "PASSWORD_CHANGE_REQUIRED"
        changed = http.post(
            "/session/password",
            json={"username": "li.na", "currentPassword": INITIAL, "newPassword": CHOSEN},
        )
        assert changed.status_code == 204
        signed_in = sign_in(http, CHOSEN)
        assert signed_in.status_code == 200
        assert signed_in.json()["displayName"] == "李娜"
        assert "httponly" in signed_in.headers["set-cookie"].lower()
        assert "samesite=strict" in signed_in.headers["set-cookie"].lower()
        assert http.cookies.get(SESSION_COOKIE)

        read = http.get("/graphql", params={"query": "{ tenants { code } }"})
        assert read.json()["data"]["tenants"] == [{"code": "370102"}]
        unit = {"tenantId": ids["county"], "code": "V9", "name": "乙村", "unitType": "VILLAGE"}
        body = {"query": REGISTER_UNIT, "variables": {"input": unit}}
        forged = http.post("/graphql", json=body)
        assert forged.status_code == 401
        csrf = {CSRF_HEADER: http.cookies[CSRF_COOKIE]}
        written = http.post("/graphql", json=body, headers=csrf)
        assert written.json()["data"]["registerUnit"]["id"]

        assert http.delete("/session", headers=csrf).status_code == 204
        token = signed_in.cookies[SESSION_COOKIE]
        http.cookies.set(SESSION_COOKIE, token)  # a copy kept of the cookie
        after = http.get("/graphql", params={"query": "{ tenants { code } }"})
        assert after.status_code == 401
        bearer = http.get(
            "/graphql",
            params={"query": "{ tenants { code } }"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert bearer.status_code == 401
    assert events_of(runtime) == [
        "Opened",
        "SignInFailed",
        "PasswordChanged",
        "SignedIn",
        "SignedOut",
    ]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    app: FastAPI, gql: GraphQL, runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    open_account(gql, ids["city"], role="CITY_OFFICE")
    with TestClient(app) as http:
        http.post(
            "/session/password",
            json={"username": "li.na", "currentPassword": INITIAL, "newPassword": CHOSEN},
        )
        for _ in range(MAX_FAILURES):
            wrong = sign_in(http, "not-the-password")
            assert wrong.status_code == 401
            assert wrong.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        locked = sign_in(http, CHOSEN)
    assert locked.status_code == 400
    refusal = locked.json()["errors"][0]
    assert refusal["extensions"]["rule"] == "ACCOUNT_LOCKED"
    assert "已锁定" in refusal["message"]
    assert events_of(runtime).count("SignInFailed") == MAX_FAILURES + 1


def test_an_unknown_name_is_refused_as_a_wrong_password(app: FastAPI) -> None:
    with TestClient(app) as http:
        answer = http.post("/session", json={"username": "nobody", "password": "whatever-1"})
    assert answer.status_code == 401
    refusal = answer.json()["errors"][0]["extensions"]
    assert refusal["messageEn"] == "The user name or the password is wrong"


@pytest.mark.parametrize("role", ["COUNTY_TEAM", "CITY_OFFICE"])
def test_only_an_admin_opens_accounts(
    gql: GraphQL, gql_as: Any, runtime: Runtime, role: str
) -> None:
    from infrastructure.auth import Role

    ids = register_city_with_village(gql)
    caller = gql_as(Role(role), ids["county"])
    answer = caller.execute(
        OPEN_ACCOUNT,
        {
            "input": {
                "tenantId": ids["county"],
                "username": "wang",
                "displayName": "王",
                "role": "ADMIN",
                "initialPassword": INITIAL,
            }
        },
    )
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not runtime.store.exists(account_id_for("wang"))
