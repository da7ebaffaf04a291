"""Who may see and do what, for every field of the schema: each query and mutation × each role
× a target in the caller's own county, in another county of the same city, or in another
city. Variables are generated from the schema (ids point at the target's seeded objects);
`EXPECTED` says, per field, which rule decides. A new field without an entry fails the test.

Rules (services/authorization.py): reads outside the scope answer NOT_FOUND (or null, as for
an unknown id) and lists never show another tenant's ids; refused writes answer FORBIDDEN and
write nothing. The callers: a CITY_OFFICE, AUDITOR and ADMIN of city A, a COUNTY_TEAM of A1."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
)
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from graphql_schema.api import schema
from services.auth import Role
from services.runtime import Runtime, running
from services.settings import Settings
from services.web import create_app
from tests.support.auth import TokenMint
from tests.support.graphql import REGISTER_CLUE, REGISTER_TENANT, REGISTER_UNIT, GraphQL
from tests.support.rounds import PLAN_ROUND


class Rule(Enum):
    READ = "read"  # the caller reads the target's tenant
    WRITE = "write"  # CITY_OFFICE/COUNTY_TEAM/ADMIN writing for the target's office or its city
    ADMIN = "admin"  # an ADMIN of the target's office or of its city
    CITY = "city"  # WRITE by the city's own office only
    CLEARED = "cleared"  # WRITE, and only with informant clearance (nobody here has it)


EXPECTED: dict[str, Rule] = {
    # queries
    "tenants": Rule.READ,
    "tenant": Rule.READ,
    "units": Rule.READ,
    "statistics": Rule.READ,
    "coverage": Rule.READ,
    "round": Rule.READ,
    "escalatedRounds": Rule.READ,
    "linkedRounds": Rule.READ,
    "jointRounds": Rule.READ,
    "crossRounds": Rule.READ,
    "rectification": Rule.READ,
    "clueLedger": Rule.READ,
    "clue": Rule.READ,
    "inspectors": Rule.READ,  # filtered to the home offices in scope
    # mutations
    "registerTenant": Rule.ADMIN,
    "registerUnit": Rule.ADMIN,
    "renameCounty": Rule.ADMIN,
    "mergeCounty": Rule.ADMIN,
    "defineUnitClasses": Rule.ADMIN,
    "adoptChecklist": Rule.ADMIN,
    "amendPractice": Rule.ADMIN,
    "declareTerm": Rule.ADMIN,
    "planRound": Rule.WRITE,
    "planCrossBatch": Rule.CITY,
    "assignInspector": Rule.WRITE,
    "declareRecusal": Rule.WRITE,
    "advanceRoundPhase": Rule.WRITE,
    "openPetitionChannel": Rule.WRITE,
    "closePetitionChannel": Rule.WRITE,
    "recordFeedback": Rule.WRITE,
    "reportTaskDone": Rule.WRITE,
    "verifyTask": Rule.WRITE,
    "recordSatisfactionBallots": Rule.WRITE,
    "registerInspector": Rule.WRITE,
    "registerClue": Rule.WRITE,
    "triageClue": Rule.WRITE,
    "transferClue": Rule.WRITE,
    "acceptClue": Rule.WRITE,
    "reportClueProgress": Rule.WRITE,
    "concludeClue": Rule.WRITE,
    "superviseClue": Rule.WRITE,
    "correctClue": Rule.WRITE,
    "eraseInformant": Rule.CLEARED,
}
# Writes on objects this small world cannot seed (tasks, inspectors): every caller gets
# NOT_FOUND before any right is judged, so these prove only that nothing is written.
UNSEEDED = {"reportTaskDone", "verifyTask", "assignInspector", "declareRecusal"}
# A cross batch is authorised by a city only (its target is the city itself).
CITY_TARGETED = {"planCrossBatch"}

# Lists answer the caller's share (possibly nothing) rather than a refusal.
LISTS = {"tenants", "clueLedger", "statistics", "inspectors"}
ROLES = (Role.CITY_OFFICE, Role.COUNTY_TEAM, Role.AUDITOR, Role.ADMIN)
TARGETS = ("own", "other_county", "other_city")
COUNTIES = {"own": "A1", "other_county": "A2", "other_city": "B1"}
CALLER_TENANT = {Role.CITY_OFFICE: "A", Role.AUDITOR: "A", Role.ADMIN: "A", Role.COUNTY_TEAM: "A1"}
PARENT = {"A1": "A", "A2": "A", "B1": "B", "B2": "B", "A": "A", "B": "B"}
FIELDS = {
    **{name: "query" for name in schema.graphql_schema.query_type.fields},
    **{name: "mutation" for name in schema.graphql_schema.mutation_type.fields},  # type: ignore[union-attr]
}
_databases = itertools.count(1)


def allowed(rule: Rule, role: Role, target: str) -> bool:
    reads = {"A", "A1", "A2"} if CALLER_TENANT[role] == "A" else {"A1"}
    county = COUNTIES[target]
    if rule is Rule.READ:
        return county in reads
    if rule is Rule.ADMIN:
        return role is Role.ADMIN and county in reads
    if rule is Rule.CLEARED or role is Role.AUDITOR:
        return False
    if rule is Rule.CITY:
        return CALLER_TENANT[role] == "A" and county in reads
    return county in reads


# -- the world ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_runtime(
    postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runtime]:
    name = f"xuncha_matrix_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(postgres_admin_url)
    params["dbname"] = name
    settings = Settings(
        database_url=make_conninfo("", **params),
        data_dir=Path(tmp_path_factory.mktemp("xuncha-matrix")),
        kafka_bootstrap=None,
        read_wait_seconds=10,
    )
    with running(settings) as runtime:
        yield runtime
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="module")
def world(world_runtime: Runtime) -> Iterator[dict[str, Any]]:
    """Cities A and B with counties A1, A2, B1, B2; per county a village, a round and a clue."""
    mint = TokenMint.of(world_runtime.settings)
    app = create_app(world_runtime)
    with TestClient(app, headers=mint.headers()) as http:
        admin = GraphQL(http)
        ids: dict[str, str] = {}
        for city, code in (("A", "3701"), ("B", "3702")):
            ids[city] = write(admin, REGISTER_TENANT, code=code, name=city, level="CITY")
        for n, county in enumerate(("A1", "A2", "B1", "B2")):
            ids[county] = write(
                admin,
                REGISTER_TENANT,
                code=f"37{n}9",
                name=county,
                level="COUNTY",
                parentId=ids[PARENT[county]],
            )
            ids[f"{county}.unit"] = write(
                admin, REGISTER_UNIT, tenantId=ids[county], code="V1", name="村", unitType="VILLAGE"
            )
            ids[f"{county}.round"] = write(
                admin,
                PLAN_ROUND,
                tenantId=ids[county],
                kind="REGULAR",
                linkage="STANDALONE",
                title="第一轮巡察",
                periodStart="2026-03-01",
                periodEnd="2026-05-31",
                targetUnitIds=[ids[f"{county}.unit"]],
            )
            ids[f"{county}.clue"] = write(
                admin,
                REGISTER_CLUE,
                tenantId=ids[county],
                unitId=ids[f"{county}.unit"],
                source="HOTLINE",
                category="作风问题",
                summary="反映问题",
            )
        clients = {
            role: TestClient(app, headers=mint.headers(role, ids[CALLER_TENANT[role]]))
            for role in ROLES
        }
        world_runtime.wait_for_projections(world_runtime.store.max_position())
        yield {"ids": ids, "clients": {r: GraphQL(c) for r, c in clients.items()}, "admin": admin}
        for client in clients.values():
            client.close()


def write(gql: GraphQL, document: str, **fields: Any) -> str:
    data = gql.data(document, {"input": fields})
    (answer,) = data.values()
    return str(answer["id"])


# -- documents generated from the schema --------------------------------------------------


def id_for(arg: str, ids: dict[str, str], county: str) -> str | None:
    city = PARENT[county]
    by_name = {
        "cityId": ids[city],
        "parentId": ids[city],
        "countyId": ids[county],
        "tenantId": ids[county],
        "homeTenantId": ids[county],
        "receivingTenantId": ids[county],
        "id": ids[county],
        "unitId": ids.get(f"{county}.unit"),
        "roundId": ids.get(f"{county}.round"),
        "clueId": ids.get(f"{county}.clue"),
        "intoId": ids["B2"],  # never a valid merge: a refusal of the rules, not of rights
    }
    return by_name.get(arg)


def value_for(name: str, kind: GraphQLInputType, ids: dict[str, str], county: str) -> Any:
    if isinstance(kind, GraphQLNonNull):
        return value_for(name, kind.of_type, ids, county)
    if isinstance(kind, GraphQLList):
        return [value_for(name, kind.of_type, ids, county)]
    if isinstance(kind, GraphQLEnumType) and kind.name == "TenantLevel":
        return "COUNTY"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return {
            field: value_for(field, spec.type, ids, county)
            for field, spec in kind.fields.items()
            if isinstance(spec.type, GraphQLNonNull) or id_for(field, ids, county)
        }
    assert isinstance(kind, GraphQLScalarType)
    scalar = kind.name
    if scalar == "ID":
        return id_for(name, ids, county) or ids.get(f"{county}.unit", ids[county])
    return {
        "String": "x",
        "Int": 1,
        "BigInt": 1,
        "Boolean": False,
        "Date": "2026-12-31" if any(w in name for w in ("nd", "To", "loses")) else "2026-03-02",
        "DateTime": "2026-11-01T00:00:00+08:00",
        "Decimal": "1",
    }.get(scalar, "x")


def selection(kind: Any, depth: int = 0) -> str:
    named = get_named_type(kind)
    if isinstance(named, GraphQLUnionType) or depth > 3:
        return "{ __typename }"
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = ["__typename"]
    for name, field in named.fields.items():
        field: GraphQLField  # type: ignore[no-redef]
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            parts.append(name)
        elif depth < 3:
            parts.append(f"{name} {selection(field.type, depth + 1)}")
    return "{ " + " ".join(parts) + " }"


def operation(field_name: str, ids: dict[str, str], county: str) -> tuple[str, dict[str, Any]]:
    kind = FIELDS[field_name]
    root = (
        schema.graphql_schema.query_type if kind == "query" else schema.graphql_schema.mutation_type
    )
    field = root.fields[field_name]  # type: ignore[union-attr]
    target = PARENT[county] if field_name in CITY_TARGETED else county
    variables: dict[str, Any] = {}
    declared, passed = [], []
    for arg, spec in field.args.items():
        if not (isinstance(spec.type, GraphQLNonNull) or id_for(arg, ids, county)):
            continue
        if field_name == "rectification" and arg == "tenantId":
            continue  # exactly one of roundId and tenantId
        if field_name == "statistics" and arg == "roundId":
            continue
        variables[arg] = value_for(arg, spec.type, ids, target)
        declared.append(f"${arg}: {spec.type}")
        passed.append(f"{arg}: ${arg}")
    if field_name == "registerTenant":
        variables["input"] = {
            "code": f"NEW{county}",
            "name": "新县",
            "level": "COUNTY",
            "parentId": ids[PARENT[county]],
        }
    if field_name in {"tenant", "round", "clue"}:
        variables["id"] = {"tenant": ids[county], "round": ids[f"{county}.round"]}.get(
            field_name, ids[f"{county}.clue"]
        )
    head = f"{kind}({', '.join(declared)})" if declared else kind
    args = f"({', '.join(passed)})" if passed else ""
    return f"{head} {{ {field_name}{args} {selection(field.type)} }}", variables


# -- the matrix -----------------------------------------------------------------------------


def test_every_field_of_the_schema_has_an_expected_outcome() -> None:
    assert sorted(set(FIELDS) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(FIELDS)) == []


@pytest.mark.parametrize("field_name", sorted(EXPECTED))
def test_each_role_reaches_only_its_scope(
    world: dict[str, Any], world_runtime: Runtime, field_name: str
) -> None:
    ids: dict[str, str] = world["ids"]
    rule = EXPECTED[field_name]
    outcomes: list[str] = []
    for role, target in itertools.product(ROLES, TARGETS):
        county = COUNTIES[target]
        document, variables = operation(field_name, ids, county)
        before = world_runtime.store.max_position()
        answer = world["clients"][role].execute(document, variables)
        codes = [e.get("extensions", {}).get("code") for e in answer.get("errors") or []]
        assert "UNAUTHENTICATED" not in codes, answer
        assert None not in codes, answer
        expect = allowed(rule, role, target) and field_name not in UNSEEDED
        where = f"{field_name} as {role.value} on {target}: {answer}"
        if FIELDS[field_name] == "query":
            # a county's own city is named as a reference (parentId, cityId), never as a row
            outside = {ids[t] for t in ("A", "A1", "A2", "B", "B1", "B2")} - {
                ids[t] for t in (("A", "A1", "A2") if CALLER_TENANT[role] == "A" else ("A", "A1"))
            }
            text = json.dumps(answer.get("data"))
            assert not [t for t in outside if t in text], f"leak: {where}"
            if expect:
                assert not {"FORBIDDEN", "NOT_FOUND"} & set(codes), where
                assert (answer.get("data") or {}).get(field_name) is not None, where
            else:
                refused = bool({"FORBIDDEN", "NOT_FOUND"} & set(codes)) or (
                    (answer.get("data") or {}).get(field_name) is None or field_name in LISTS
                )
                assert refused, where
        elif expect:
            assert "FORBIDDEN" not in codes, where
        else:
            assert codes, where
            assert set(codes) <= {"FORBIDDEN", "NOT_FOUND"}, where
            assert world_runtime.store.max_position() == before, where
        outcomes.append(f"{role.value}/{target}: {codes or 'ok'}")
    assert len(outcomes) == len(ROLES) * len(TARGETS)
