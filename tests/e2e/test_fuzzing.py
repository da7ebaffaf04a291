"""Hostile input, generated: schemathesis against /openapi.json and against the GraphQL schema,
and hypothesis-graphql queries and mutations (valid ones and ones with a schema violation), each
sent with a valid and with an invalid token. No answer is a 5xx; every error has a code and no
stack trace. Runs are bounded (max_examples) so the suite stays fast."""

from __future__ import annotations

import json
from typing import Any

import hypothesis_graphql
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from graphql import print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode
from schemathesis import GenerationMode
from schemathesis.graphql import nodes

from graphql_schema.api import schema as api_schema
from services.runtime import Runtime
from tests.support.auth import TokenMint
from tests.support.graphql import REGISTER_CLUE, GraphQL, register_city_with_village

INVALID_TOKEN = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"}
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str)
JSON_VALUES = st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=3)
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "BigInt": st.integers(min_value=-(2**70), max_value=2**70).map(nodes.Int),
    "Decimal": (DECIMALS | st.text(max_size=12)).map(nodes.String),
    "JSONString": (JSON_VALUES.map(json.dumps) | st.text(max_size=12)).map(nodes.String),
    "Date": (st.dates().map(str) | st.text(max_size=12)).map(nodes.String),
    "DateTime": (st.datetimes().map(lambda d: d.isoformat() + "Z") | st.text(max_size=12)).map(
        nodes.String
    ),
}
for _name, _strategy in SCALARS.items():
    schemathesis.graphql.scalar(_name, _strategy)


def assert_well_refused(status: int, body: bytes) -> None:
    """No server error; any error names its code; nothing internal leaks."""
    assert status < 500, body[:2000]
    text = body.decode(errors="replace")
    assert "Traceback" not in text
    assert 'File "' not in text
    if not text.startswith("{"):
        return
    payload = json.loads(text)
    for error in payload.get("errors", []) if isinstance(payload, dict) else []:
        assert isinstance(error, dict)
        assert error.get("extensions", {}).get("code"), error


@pytest.fixture
def fuzzed_app(app: FastAPI, runtime: Runtime) -> FastAPI:
    # A `minPosition` far ahead is answered STALE after the read wait; keep that wait short.
    runtime.settings.read_wait_seconds = 0.05
    return app


@pytest.fixture
def known_ids(gql: GraphQL) -> st.SearchStrategy[Any]:
    """IDs for generated input: mostly of things that exist (so commands reach the domain
    rules), some unknown, some malformed."""
    ids = register_city_with_village(gql)
    clue = gql.data(
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
    )["registerClue"]["id"]
    existing = st.sampled_from([*ids.values(), clue])
    ids_strategy = st.one_of(existing, existing, st.uuids().map(str), st.text(max_size=8))
    return ids_strategy.map(nodes.String)


def every_operation_survives(api: Any, tokens: TokenMint, per_operation: int) -> int:
    """Fuzz each operation of a schemathesis schema with valid and invalid input, sent with a
    valid and with an invalid token; returns how many operations were fuzzed."""
    operations = [result.ok() for result in api.get_all_operations()]
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(FUZZ, max_examples=per_operation)
        @given(case=strategy)
        def check(case: Any) -> None:
            for headers in (tokens.headers(), INVALID_TOKEN):
                response = case.call(headers=headers)
                assert_well_refused(response.status_code, response.content)

        check()
    return len(operations)


def test_no_graphql_operation_answers_with_a_server_error(
    fuzzed_app: FastAPI, tokens: TokenMint, known_ids: st.SearchStrategy[Any]
) -> None:
    schemathesis.graphql.scalar("ID", known_ids)
    api = schemathesis.graphql.from_asgi("/graphql", fuzzed_app, headers=tokens.headers())
    fuzzed = every_operation_survives(api, tokens, per_operation=4)
    assert fuzzed == len(api_schema.graphql_schema.query_type.fields) + len(
        api_schema.graphql_schema.mutation_type.fields
    )


def test_no_rest_operation_answers_with_a_server_error(
    fuzzed_app: FastAPI, tokens: TokenMint
) -> None:
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    assert every_operation_survives(api, tokens, per_operation=10) >= 1


SDL = print_schema(api_schema.graphql_schema)


def test_generated_queries_and_mutations_never_get_a_server_error(
    fuzzed_app: FastAPI, tokens: TokenMint, known_ids: st.SearchStrategy[Any]
) -> None:
    scalars = {**SCALARS, "ID": known_ids}
    generated = st.one_of(
        hypothesis_graphql.queries(SDL, custom_scalars=scalars),
        hypothesis_graphql.mutations(SDL, custom_scalars=scalars),
        hypothesis_graphql.queries(SDL, custom_scalars=scalars, mode=Mode.NEGATIVE),
        hypothesis_graphql.mutations(SDL, custom_scalars=scalars, mode=Mode.NEGATIVE),
    )
    with TestClient(fuzzed_app, raise_server_exceptions=False) as http:

        @settings(FUZZ, max_examples=120)
        @given(document=generated, valid=st.booleans())
        def check(document: str, valid: bool) -> None:
            headers = tokens.headers() if valid else INVALID_TOKEN
            response = http.post("/graphql", json={"query": document}, headers=headers)
            assert_well_refused(response.status_code, response.content)

        check()
