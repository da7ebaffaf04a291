"""Malformed requests are refused with 400 (422: readable JSON not of a REST endpoint's
shape) and VALIDATION_FAILED, a message naming the problem, and never a 500: odd JSON bodies,
bytes that are not UTF-8, absurd nesting or numbers, lone surrogates and NUL characters in
text, and implausible working-day counts."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import httpx
import pytest

from graphql_schema.context import MIN_POSITION_HEADER
from tests.e2e.clue_support import act, refusal, register
from tests.support.graphql import GraphQL, register_city_with_village

JSON = {"content-type": "application/json"}
HUGE_NUMBER = "9" * 5_000
DEEP_JSON = "[" * 5_000 + "]" * 5_000
TENANTS = '"query": "{ tenants { id } }"'
REGISTER = "mutation($input: RegisterClueInput!) { registerClue(input: $input) { id } }"


@pytest.fixture
def ids(gql: GraphQL) -> dict[str, str]:
    return register_city_with_village(gql)


def refused(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED", error
    assert "Traceback" not in response.text
    return error


def post_graphql(gql: GraphQL, body: bytes) -> httpx.Response:
    return gql.http.post("/graphql", content=body, headers=JSON)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b'[{"query": "{ tenants { id } }"}]', "object"),
        (b'"{ tenants { id } }"', "object"),
        (b'{"query": "{ tenants { id } }", "x": "\xff\xfe"}', "UTF-8"),
        (f'{{{TENANTS}, "x": {DEEP_JSON}}}'.encode(), "depth"),
        (f'{{{TENANTS}, "x": {HUGE_NUMBER}}}'.encode(), "number"),
    ],
    ids=["batch", "string", "not-utf8", "deep", "huge-number"],
)
def test_a_graphql_body_that_is_no_request_object_is_refused(
    gql: GraphQL, body: bytes, named: str
) -> None:
    error = refused(post_graphql(gql, body))
    assert named in error["message"]


def test_a_huge_min_position_header_is_refused(gql: GraphQL) -> None:
    response = gql.http.post(
        "/graphql", json={"query": "{ tenants { id } }"}, headers={MIN_POSITION_HEADER: HUGE_NUMBER}
    )
    assert MIN_POSITION_HEADER in refused(response)["message"]


def test_a_lone_surrogate_in_a_text_field_is_refused(gql: GraphQL, ids: dict[str, str]) -> None:
    variables = {"input": {**clue_input(ids), "summary": "收入LONE未入账"}}
    body = json.dumps({"query": REGISTER, "variables": variables}).replace("LONE", "\\ud800")
    error = refused(post_graphql(gql, body.encode()))
    assert "surrogate" in error["message"]


def test_an_implausible_working_day_count_is_refused(gql: GraphQL, ids: dict[str, str]) -> None:
    clue = register(gql, ids)["id"]
    act(gql, "triageClue", clueId=clue, priority="KEY", proposedRoute="移交纪委监委")
    error = refusal(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="DISCIPLINE_COMMISSION",
        receivingTenantId=ids["county"],
        workingDays=2_147_483_647,
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "workingDays"


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("query($v: String) { clueLedger(category: $v) { totalCount } }", "category"),
        ("query($v: String) { inspectors(nameContains: $v) { totalCount } }", "nameContains"),
        ("query($v: String) { statistics(category: $v) { byCategory { category } } }", "category"),
    ],
    ids=["ledger-category", "inspectors-name", "statistics-category"],
)
def test_a_nul_character_in_a_filter_is_refused(gql: GraphQL, query: str, argument: str) -> None:
    error = gql.error(query, {"v": "三资\x00管理"})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert argument in error["message"]


def test_a_nul_character_in_the_unit_class_filter_is_refused(
    gql: GraphQL, ids: dict[str, str]
) -> None:
    query = "query($t: ID!, $v: String) { units(tenantId: $t, classCode: $v) { totalCount } }"
    error = gql.error(query, {"t": ids["county"], "v": "A\x00"})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert "classCode" in error["message"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b'{"items": [], "x": "\xff\xfe"}', "UTF-8"),
        (f'{{"items": [], "x": {DEEP_JSON}}}'.encode(), "depth"),
        (f'{{"items": [], "x": {HUGE_NUMBER}}}'.encode(), "number"),
        (b'{"items": [], "x": "\\ud800"}', "surrogate"),
    ],
    ids=["not-utf8", "deep", "huge-number", "lone-surrogate"],
)
def test_a_malformed_batch_submission_is_refused_naming_why(
    gql: GraphQL, body: bytes, named: str
) -> None:
    response = gql.http.post(f"/api/v1/tenants/{uuid4()}/submissions", content=body, headers=JSON)
    assert named in refused(response)["message"]


def test_a_nul_character_in_a_command_input_is_refused_naming_the_field(
    gql: GraphQL, ids: dict[str, str]
) -> None:
    error = refusal_to_register(gql, ids, summary="收入\x00未入账")
    assert error["extensions"] == {
        "code": "VALIDATION_FAILED",
        "label": "输入有误",
        "messageZh": "输入有误，请检查后重新提交",
        "field": "input.summary",
    }
    assert "input.summary" in error["message"]


def test_a_huge_number_in_the_document_is_refused(gql: GraphQL) -> None:
    error = gql.error(f"{{ clueLedger(minPosition: {HUGE_NUMBER}) {{ totalCount }} }}")
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert "BigInt" in error["message"]


def refusal_to_register(gql: GraphQL, ids: dict[str, str], **fields: str) -> dict[str, Any]:
    written = {**clue_input(ids), **fields}
    return gql.error(REGISTER, {"input": written})


def clue_input(ids: dict[str, str]) -> dict[str, str]:
    return {
        "tenantId": ids["county"],
        "unitId": ids["village"],
        "source": "PETITION",
        "category": "三资管理",
        "summary": "收入未入账",
    }


@pytest.mark.parametrize("kind", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_refused_alike_by_graphql_and_the_batch_endpoint(
    gql: GraphQL, ids: dict[str, str], kind: str | None
) -> None:
    headers = {"content-type": kind} if kind else {}
    body = b'{"query": "{ tenants { id } }", "items": []}'
    submissions = f"/api/v1/tenants/{ids['county']}/submissions"

    for path in ("/graphql", submissions):
        response = gql.http.post(path, content=body, headers=headers)
        refused(response, 400)
