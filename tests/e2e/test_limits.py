"""No request makes the server spend unbounded work: too deep, too costly, too large or too
slow is refused with LIMIT_EXCEEDED; every error a client sees has a code and no stack trace."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from graphql import get_introspection_query

from entrypoints.http.submission_models import MAX_SUBMISSION_BYTES
from services.runtime import Runtime
from tests.support.graphql import CLUE_LEDGER, GraphQL, register_city_with_village

PAGE = "clueLedger(first: 500) { edges { node { id summary unit { name } } } }"


@pytest.mark.settings(max_query_depth=3)
def test_an_operation_deeper_than_allowed_is_refused_before_it_runs(gql: GraphQL) -> None:
    error = gql.error(CLUE_LEDGER)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "5 levels deep; at most 3" in error["message"]


def test_an_introspection_bomb_is_refused(gql: GraphQL) -> None:
    bomb = "{ __schema { types { fields { type { fields { type { fields { type { fields {"
    body = gql.execute(bomb + " name } } } } } } } } } }")
    assert body.get("data") is None
    assert "LIMIT_EXCEEDED" in {e["extensions"]["code"] for e in body["errors"]}


def test_the_introspection_graphiql_sends_is_within_the_limits(gql: GraphQL) -> None:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    assert gql.data(query)["__schema"]["queryType"]["name"] == "Query"


def test_many_big_pages_in_one_operation_are_refused_as_too_costly(gql: GraphQL) -> None:
    aliases = " ".join(f"p{i}: {PAGE}" for i in range(40))
    error = gql.error(f"{{ {aliases} }}")
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "cost" in error["message"]


@pytest.mark.settings(max_query_cost=1_000)
def test_the_page_size_in_variables_counts_towards_the_cost(gql: GraphQL) -> None:
    small = gql.execute(CLUE_LEDGER, {"first": 2})
    assert "errors" not in small
    error = gql.error(CLUE_LEDGER, {"first": 400})
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


def test_a_body_larger_than_allowed_is_refused_with_413(gql: GraphQL, runtime: Runtime) -> None:
    runtime_limit = runtime.settings.max_request_bytes
    padding = "#" * (runtime_limit + 1)
    response = gql.http.post(
        "/graphql",
        content=f'{{"query": "{{ tenants {{ id }} }} {padding}"}}'.encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(
    runtime: Runtime, gql: GraphQL
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"query": "{ tenants { id } }", "x": "'
        for _ in range(runtime.settings.max_request_bytes // 10_000 + 2):
            yield b"#" * 10_000
        yield b'"}'

    response = gql.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


def test_a_body_within_the_limit_is_answered(gql: GraphQL, runtime: Runtime) -> None:
    ids = register_city_with_village(gql)
    head = runtime.store.max_position()
    query = "query($p: BigInt) { tenants(minPosition: $p) { id } }"
    tenants = gql.data(query, {"p": head})["tenants"]
    assert ids["city"] in {t["id"] for t in tenants}


def test_bad_json_is_a_graphql_error_with_a_code(gql: GraphQL) -> None:
    response = gql.http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


def test_unknown_paths_and_methods_answer_with_a_code(gql: GraphQL) -> None:
    missing = gql.http.get("/no-such-page")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    wrong = gql.http.put("/graphql", json={"query": "{ tenants { id } }"})
    assert wrong.status_code == 405
    assert wrong.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


def test_an_unexpected_failure_is_a_500_with_a_code_and_no_stack_trace(app: FastAPI) -> None:
    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("secret internals: /srv/xuncha/services/store.py line 42")

    with TestClient(app, raise_server_exceptions=False) as http:
        response = http.get("/explode")
    assert response.status_code == 500
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


@pytest.mark.settings(max_query_cost=1_000)
def test_a_page_size_given_as_a_variable_default_counts_towards_the_cost(gql: GraphQL) -> None:
    defaulted = (
        "query Big($first: Int = 400) { clueLedger(first: $first) { edges { node { id } } } }"
    )
    error = gql.error(defaulted)
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "errors" not in gql.execute(defaulted, {"first": 2})


def test_a_streamed_batch_submission_past_the_limit_is_refused_with_413(
    runtime: Runtime, gql: GraphQL
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"items": [], "x": "'
        for _ in range(MAX_SUBMISSION_BYTES // 100_000 + 2):
            yield b"#" * 100_000
        yield b'"}'

    response = gql.http.post(
        f"/api/v1/tenants/{uuid4()}/submissions",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


def test_a_variable_a_scalar_cannot_parse_is_named_without_python_words(gql: GraphQL) -> None:
    query = "query($p: BigInt) { clueLedger(minPosition: $p) { totalCount } }"
    for value in ([1], "x", {"n": 1}):
        error = gql.error(query, {"p": value})
        assert error["extensions"]["code"] == "VALIDATION_FAILED"
        assert "$p" in error["message"]
        assert "int()" not in error["message"]
        assert "argument" not in error["message"]


def test_thousands_of_aliases_of_a_cheap_field_are_refused_before_they_run(gql: GraphQL) -> None:
    aliases = " ".join(f"t{i}: tenants {{ id }}" for i in range(6_000))
    body = gql.execute(f"{{ {aliases} }}")
    assert body.get("data") is None  # refused before any of them ran (running them took 15 s)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "over 500 fields" in error["message"]


@pytest.mark.settings(max_query_fields=10_000)
def test_an_unpaged_list_costs_the_rows_it_reads(gql: GraphQL) -> None:
    assert "errors" not in gql.execute("{ tenants { id } }")
    aliases = " ".join(f"t{i}: tenants {{ id }}" for i in range(600))
    error = gql.error(f"{{ {aliases} }}")
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "cost" in error["message"]


def test_a_fragment_spread_over_and_over_is_refused_quickly(gql: GraphQL) -> None:
    doubling = [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 40)]
    document = "\n".join(["{ ...F39 }", "fragment F0 on Query { tenants { id } }", *doubling])
    error = gql.error(document)  # expanding 2^39 spreads would never finish
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "fields" in error["message"]


def test_a_document_is_checked_the_same_every_time_it_is_sent(gql: GraphQL) -> None:
    """Documents are parsed and validated once, then remembered: a wrong one stays wrong."""
    for _ in range(2):
        error = gql.error("{ clueLedger(first: 1) { nope } }")
        assert error["extensions"]["code"] == "VALIDATION_FAILED"
        assert "nope" in error["message"]
    long_valid = "{ tenants { id } }" + " " * 20_001  # longer than the remembered ones
    assert "tenants" in gql.data(long_valid)
