"""Hostile input, generated: schemathesis against /openapi.json and against the GraphQL schema,
and hypothesis-graphql queries and mutations (valid ones and ones with a schema violation).

The world holds two cities (tests/support/fuzz_world.py). The fuzzers are fed city A's ids and
send every request as A's county team and as A's city office, and also as the deployment's
ADMIN and with a forged, an expired and no token. City B is never named to a fuzzer; every one
of its names, codes, summaries and texts carries a marker. No answer is a 5xx; every error has
a code and no stack trace; and no answer to anyone but the ADMIN shows B's marker or any of
B's ids that the request itself did not contain. Runs are bounded (max_examples) so the suite
stays fast."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import hypothesis_graphql
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from graphql import (
    FieldNode,
    GraphQLID,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationDefinitionNode,
    StringValueNode,
    get_named_type,
    is_non_null_type,
    parse,
    print_ast,
    print_schema,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode
from schemathesis import GenerationMode
from schemathesis.graphql import nodes

from entrypoints.http.app import create_app
from graphql_schema.api import schema as api_schema
from infrastructure.auth import Role
from infrastructure.settings import Settings
from services.runtime import Runtime, running
from tests.support.auth import TokenMint
from tests.support.fuzz_world import LEAK_MARKER, City, seed_city

FORGED_TOKEN = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"}
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

# Well-formed scalars make generated reads succeed and answer with data, where a leak would
# show; hostile ones (any of those, or junk) probe the parsers and the domain's refusals.
DECIMALS = st.decimals(0, 10**9, allow_nan=False, allow_infinity=False, places=2).map(str)
JSON_VALUES = st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=3)
DATES = st.dates(date(2015, 1, 1), date(2030, 12, 31))
JUNK = st.text(max_size=12)
WELL_FORMED: dict[str, st.SearchStrategy[Any]] = {
    "Int": st.integers(min_value=1, max_value=20).map(nodes.Int),
    "BigInt": st.integers(min_value=0, max_value=10).map(nodes.Int),  # positions already read
    "Decimal": DECIMALS.map(nodes.String),
    "JSONString": JSON_VALUES.map(json.dumps).map(nodes.String),
    "Date": DATES.map(str).map(nodes.String),
    "DateTime": st.datetimes(datetime(2020, 1, 1), datetime(2027, 12, 31))
    .map(lambda d: d.isoformat() + "Z")
    .map(nodes.String),
}
HOSTILE: dict[str, st.SearchStrategy[Any]] = {
    "BigInt": st.integers(min_value=-(2**70), max_value=2**70).map(nodes.Int),
    "Decimal": (st.decimals(allow_nan=False, allow_infinity=False).map(str) | JUNK).map(
        nodes.String
    ),
    "JSONString": (JSON_VALUES.map(json.dumps) | JUNK).map(nodes.String),
    "Date": (st.dates().map(str) | JUNK).map(nodes.String),
    "DateTime": (st.datetimes().map(lambda d: d.isoformat() + "Z") | JUNK).map(nodes.String),
}
for _name, _hostile in HOSTILE.items():
    schemathesis.graphql.scalar(_name, st.one_of(WELL_FORMED[_name], _hostile))


@dataclass(frozen=True)
class Caller:
    who: str
    headers: dict[str, str]
    may_see_city_b: bool = False


@dataclass(frozen=True)
class Callers:
    city_a: tuple[Caller, ...]  # A's county team and A's city office
    others: tuple[Caller, ...]  # the deployment's ADMIN; forged, expired and no token

    @property
    def everyone(self) -> tuple[Caller, ...]:
        return (*self.city_a, *self.others)


@dataclass(frozen=True)
class World:
    a: City
    b: City


def leaks(city_b: City, request: str, body: bytes) -> list[str]:
    """What of city B an answer shows: its marker, and any of its ids the request did not
    contain (an error may repeat the id a client sent)."""
    answer = body.decode(errors="replace").lower()
    sent = request.lower()
    shown = [LEAK_MARKER] if LEAK_MARKER.lower() in answer else []
    ids = (str(i) for i in city_b.ids)
    return shown + [i for i in ids if i in answer and i not in sent]


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


def assert_safe_answer(
    caller: Caller, city_b: City, request: str, status: int, body: bytes
) -> None:
    assert_well_refused(status, body)
    if caller.may_see_city_b:
        return
    shown = leaks(city_b, request, body)
    assert not shown, (
        f"{caller.who} was shown city B's {shown}\nrequest: {request[:2000]}\n"
        f"answer ({status}): {body[:2000]!r}"
    )


@pytest.fixture
def fuzzed_app(settings: Settings) -> Iterator[FastAPI]:
    """A server of its own on the test's database, whose reads wait only briefly: a
    `minPosition` far ahead is answered STALE after the read wait."""
    with running(settings.model_copy(update={"read_wait_seconds": 0.05})) as impatient:
        yield create_app(impatient)


@pytest.fixture
def world(runtime: Runtime) -> World:
    return World(a=seed_city(runtime, "FUZZ-A"), b=seed_city(runtime, LEAK_MARKER))


@pytest.fixture
def callers(tokens: TokenMint, world: World) -> Callers:
    county, city = world.a.county, world.a.city
    expired = tokens.token(Role.COUNTY_TEAM, county, subject="a-county", ttl=timedelta(hours=-1))
    return Callers(
        city_a=(
            Caller("A's COUNTY_TEAM", tokens.headers(Role.COUNTY_TEAM, county, subject="a-county")),
            Caller("A's CITY_OFFICE", tokens.headers(Role.CITY_OFFICE, city, subject="a-city")),
        ),
        others=(
            Caller("the deployment's ADMIN", tokens.headers(), may_see_city_b=True),
            Caller("a forged token", FORGED_TOKEN),
            Caller("A's expired COUNTY_TEAM token", {"Authorization": f"Bearer {expired}"}),
            Caller("no token", {}),
        ),
    )


@pytest.fixture
def a_ids(world: World) -> st.SearchStrategy[Any]:
    """Well-formed IDs for generated input: mostly city A's (so reads find data and commands
    reach the domain rules), some unknown; never city B's."""
    offices = st.sampled_from([str(world.a.city), str(world.a.county)])  # most lists need one
    existing = st.sampled_from([str(i) for i in world.a.ids])
    return st.one_of(offices, offices, existing, st.uuids().map(str)).map(nodes.String)


@pytest.fixture
def known_ids(a_ids: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """IDs as `a_ids`, and some malformed."""
    return st.one_of(a_ids, a_ids, JUNK.map(nodes.String))


def sent(request: Any) -> str:
    """The URL and body of a request schemathesis sent."""
    body = request.body or b""
    return f"{request.url}\n{body.decode(errors='replace') if isinstance(body, bytes) else body}"


def as_office(case: Any, office: UUID | None) -> None:
    """Point a generated REST request at one of A's offices (its path's or form's tenantId)."""
    if office is None:
        return
    if case.path_parameters and "tenantId" in case.path_parameters:
        case.path_parameters["tenantId"] = str(office)
    if isinstance(case.body, dict) and "tenantId" in case.body:
        case.body["tenantId"] = str(office)


def every_operation_survives(
    api: Any, callers: Callers, city_b: City, per_operation: int, offices: Sequence[UUID] = ()
) -> int:
    """Fuzz each operation of a schemathesis schema with valid and invalid input, sent by
    every caller; returns how many operations were fuzzed."""
    operations = [result.ok() for result in api.get_all_operations()]
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(FUZZ, max_examples=per_operation)
        @given(case=strategy, office=st.sampled_from([None, *offices]))
        def check(case: Any, office: UUID | None) -> None:
            as_office(case, office)
            for caller in callers.everyone:
                response = case.call(headers=caller.headers)
                request = sent(response.request)
                assert_safe_answer(caller, city_b, request, response.status_code, response.content)

        check()
    return len(operations)


def test_no_graphql_operation_answers_with_a_server_error_or_another_citys_data(
    fuzzed_app: FastAPI,
    tokens: TokenMint,
    world: World,
    callers: Callers,
    known_ids: st.SearchStrategy[Any],
) -> None:
    schemathesis.graphql.scalar("ID", known_ids)
    api = schemathesis.graphql.from_asgi("/graphql", fuzzed_app, headers=tokens.headers())
    fuzzed = every_operation_survives(api, callers, world.b, per_operation=4)
    assert fuzzed == len(api_schema.graphql_schema.query_type.fields) + len(
        api_schema.graphql_schema.mutation_type.fields
    )


def test_no_rest_operation_answers_with_a_server_error_or_another_citys_data(
    fuzzed_app: FastAPI, world: World, callers: Callers
) -> None:
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    offices = (world.a.county, world.a.city)
    assert every_operation_survives(api, callers, world.b, per_operation=10, offices=offices) >= 1


SDL = print_schema(api_schema.graphql_schema)
QUERY = api_schema.graphql_schema.query_type


def test_generated_queries_and_mutations_get_no_server_error_and_no_other_citys_data(
    fuzzed_app: FastAPI,
    world: World,
    callers: Callers,
    a_ids: st.SearchStrategy[Any],
    known_ids: st.SearchStrategy[Any],
) -> None:
    well_formed = {**WELL_FORMED, "ID": a_ids}
    hostile = {**HOSTILE, "ID": known_ids}
    generated = st.one_of(
        hypothesis_graphql.queries(SDL, custom_scalars=well_formed),
        hypothesis_graphql.mutations(SDL, custom_scalars=well_formed),
        hypothesis_graphql.queries(SDL, custom_scalars=hostile),
        hypothesis_graphql.mutations(SDL, custom_scalars=hostile),
        hypothesis_graphql.queries(SDL, custom_scalars=hostile, mode=Mode.NEGATIVE),
        hypothesis_graphql.mutations(SDL, custom_scalars=hostile, mode=Mode.NEGATIVE),
    )
    with TestClient(fuzzed_app, raise_server_exceptions=False) as http:

        @settings(FUZZ, max_examples=120)
        @given(document=generated, other=st.sampled_from(callers.others))
        def check(document: str, other: Caller) -> None:
            for caller in (*callers.city_a, other):
                response = http.post("/graphql", json={"query": document}, headers=caller.headers)
                assert_safe_answer(
                    caller, world.b, document, response.status_code, response.content
                )

        check()


def ids_for(argument: str, field: str, city: City) -> list[UUID]:
    """City A's ids an argument most likely wants, by its name."""
    offices = [city.city, city.county]
    if (argument, field) == ("tenantId", "units"):
        return [city.county]  # the city office owns no units
    if argument == "roundId" or (argument, field) == ("id", "round"):
        return [city.round]
    if argument in {"unitId", "townshipId", "postedAtUnitId"}:
        return list(city.villages)
    if (argument, field) == ("id", "clue"):
        return [city.clue]
    return offices


def every_leaf(output: GraphQLOutputType, depth: int) -> str:
    """A selection of every field of `output` that needs no argument, `depth` objects down."""
    selections = []
    named = get_named_type(output)
    assert isinstance(named, GraphQLObjectType)
    for name, field in named.fields.items():
        if any(is_non_null_type(argument.type) for argument in field.args.values()):
            continue
        if not isinstance(get_named_type(field.type), GraphQLObjectType):
            selections.append(name)
        elif depth and (inner := every_leaf(field.type, depth - 1)):
            selections.append(f"{name} {inner}")
    return f"{{ {' '.join(selections)} }}" if selections else ""


@st.composite
def broad_reads(draw: st.DrawFn, field: str, city: City) -> str:
    """Reads of one Query field that show whatever they find: every field of the answer
    (four objects down), the field's required arguments and at most two optional ones, with
    IDs of city A of the kind each argument names. (One Query field a document: they are
    all non-null, so one refused field would null the whole answer, leak and all.)"""
    generated = draw(
        hypothesis_graphql.queries(
            SDL, fields=[field], custom_scalars={**WELL_FORMED, "ID": st.just(nodes.String(""))}
        )
    )
    operation = parse(generated).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    selected = operation.selection_set.selections[0]
    assert isinstance(selected, FieldNode)
    declared = QUERY.fields[field]
    optional = [
        name for name, argument in declared.args.items() if not is_non_null_type(argument.type)
    ]
    kept = draw(st.frozensets(st.sampled_from(optional), max_size=2)) if optional else frozenset()
    arguments = []
    for argument in selected.arguments:
        name = argument.name.value
        if name in optional and name not in kept:
            continue
        if get_named_type(declared.args[name].type) is GraphQLID:
            likely = st.sampled_from(ids_for(name, field, city))
            chosen = draw(st.one_of(likely, likely, likely, st.sampled_from(city.ids)))
            argument.value = StringValueNode(value=str(chosen))
        arguments.append(print_ast(argument))
    passed = f"({', '.join(arguments)})" if arguments else ""
    return f"{{ {field}{passed} {every_leaf(declared.type, 4)} }}"


def test_generated_reads_show_city_as_offices_nothing_of_city_b(
    fuzzed_app: FastAPI, world: World, callers: Callers
) -> None:
    with TestClient(fuzzed_app, raise_server_exceptions=False) as http:
        for field in QUERY.fields:

            @settings(FUZZ, max_examples=10)
            @given(document=broad_reads(field, world.a))
            def check(document: str) -> None:
                for caller in callers.city_a:
                    response = http.post(
                        "/graphql", json={"query": document}, headers=caller.headers
                    )
                    assert_safe_answer(
                        caller, world.b, document, response.status_code, response.content
                    )

            check()


CITY_B_SHOWING = [
    "{ tenants { id code name } }",
    "{ clueLedger { edges { node { id summary personsConcerned { name } unit { name } } } } }",
    "{ inspectors { edges { node { id name } } } }",
]


@pytest.mark.parametrize("document", CITY_B_SHOWING)
def test_the_leak_check_sees_city_b_where_it_is_shown(
    fuzzed_app: FastAPI, world: World, callers: Callers, document: str
) -> None:
    """The check is not vacuous: the ADMIN, who reads every city, is shown B's marker and ids
    by queries that name no office; A's callers, by the same queries, are shown none."""
    admin = callers.others[0]
    with TestClient(fuzzed_app, raise_server_exceptions=False) as http:
        answer = http.post("/graphql", json={"query": document}, headers=admin.headers)
        shown = leaks(world.b, document, answer.content)
        assert LEAK_MARKER in shown
        assert set(shown) & {str(i) for i in world.b.ids}
        for caller in callers.city_a:
            answer = http.post("/graphql", json={"query": document}, headers=caller.headers)
            assert answer.status_code == 200
            assert "errors" not in answer.json(), answer.json()
            assert leaks(world.b, document, answer.content) == []
