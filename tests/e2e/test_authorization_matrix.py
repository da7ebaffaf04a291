"""Who may see and do what, for every field of the schema: each query and mutation × each
caller × a target in the caller's own county (A1), in another county of the same city (A2),
or in another city (B1). `EXPECTED` says, per field, which rule decides; a new field without
an entry fails the test, and so does a new mutation without an input in
tests/support/matrix_writes.py.

Rules (services/authorization.py): reads outside the scope answer NOT_FOUND (or null, as for
an unknown id), `asOf` replays included, and lists never show another tenant's ids; an
allowed write succeeds; a refused write answers FORBIDDEN (or NOT_FOUND when the target is
outside the caller's read scope), names no office the caller may not know of, and writes
nothing. Every write is tried with an input that is valid for a caller with the right
(tests/support/matrix_writes.py), so its answer is about rights alone.

The callers: a CITY_OFFICE (also one with informant clearance), an AUDITOR and an ADMIN of
city A; a COUNTY_TEAM, an AUDITOR and an ADMIN of county A1; and the deployment's ADMIN
(tenant `DEPLOYMENT_TENANT`), who may do all but what needs informant clearance."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from entrypoints.http.app import create_app
from infrastructure.auth import Role
from infrastructure.settings import Settings
from services.authorization import DEPLOYMENT_TENANT
from services.runtime import Runtime, running
from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL
from tests.support.matrix_documents import MUTATIONS, QUERIES, mutation, query, takes_as_of
from tests.support.matrix_world import (
    BEFORE_RENAMING,
    CODES,
    NAMES,
    PARENT,
    SUMMARY_NOW,
    SUMMARY_THEN,
    World,
    seed,
)
from tests.support.matrix_writes import INPUTS, Input


class Rule(Enum):
    READ = "read"  # the caller reads the target's county
    ANYONE = "anyone"  # any caller with a token: no office's data (the enums' labels)
    AUDIT = "audit"  # READ, but not by a county team (the backdating report)
    WRITE = "write"  # a writing role of the target county or of its city
    CITY = "city"  # a writing role of the target's city only
    ADMIN = "admin"  # an ADMIN of the target county or of its city
    CITY_ADMIN = "city admin"  # an ADMIN of the target's city only
    CLEARED = "cleared"  # WRITE, and only with informant clearance
    # data comparison needs the data clearance, which no caller here has: every one is refused
    # FORBIDDEN before anything is looked up (the cleared callers: tests/integration/
    # test_comparison.py)
    DATA_CLEARED = "data cleared"


EXPECTED: dict[str, Rule] = {
    # queries
    "tenants": Rule.READ,
    "tenant": Rule.READ,
    "units": Rule.READ,
    "statistics": Rule.READ,
    "coverage": Rule.READ,
    "round": Rule.READ,
    "rounds": Rule.READ,
    "escalatedRounds": Rule.READ,
    "linkedRounds": Rule.READ,
    "jointRounds": Rule.READ,
    "crossRounds": Rule.READ,
    "rectification": Rule.READ,
    "clueLedger": Rule.READ,
    "clue": Rule.READ,
    "report": Rule.READ,  # an issued report of the office, recomputed
    "deadlines": Rule.READ,  # the office's (and a city's counties') items due or overdue
    "documents": Rule.READ,  # the documents of the offices in scope
    "inspectors": Rule.READ,  # filtered to the home offices in scope
    "backdatedEvents": Rule.AUDIT,  # the events of the scope recorded late
    "officeChains": Rule.AUDIT,  # an office's events, link by link
    "inspectionGroups": Rule.READ,
    "townshipCrossRounds": Rule.READ,
    "guidanceVisits": Rule.READ,  # the visits in the caller's scope
    "zones": Rule.READ,
    "enumLabels": Rule.ANYONE,
    "comparisonModels": Rule.ANYONE,  # the library: no office's data
    "comparisonRuns": Rule.READ,
    "comparisonJobs": Rule.READ,
    "comparisonCandidates": Rule.READ,
    "comparisonModelFigures": Rule.READ,
    # mutations
    "registerTenant": Rule.CITY_ADMIN,  # a county of the target's city
    "registerUnit": Rule.ADMIN,
    "renameCounty": Rule.CITY_ADMIN,
    "mergeCounty": Rule.CITY_ADMIN,  # a new county of the city merges into the target
    "defineUnitClasses": Rule.ADMIN,
    "adoptChecklist": Rule.ADMIN,
    "amendPractice": Rule.ADMIN,
    "declareTerm": Rule.ADMIN,
    "setWarningChannel": Rule.ADMIN,
    "planRound": Rule.WRITE,
    "planCrossBatch": Rule.CITY,  # the target county and a new one, by their city
    "assignInspector": Rule.WRITE,
    "declareRecusal": Rule.WRITE,
    "advanceRoundPhase": Rule.WRITE,
    "openPetitionChannel": Rule.WRITE,
    "closePetitionChannel": Rule.WRITE,
    "recordFeedback": Rule.WRITE,
    "groupCommonProblem": Rule.WRITE,
    "reportTaskDone": Rule.WRITE,
    "verifyTask": Rule.WRITE,
    "recordSatisfactionBallots": Rule.WRITE,
    "registerInspector": Rule.WRITE,
    "openAccount": Rule.ADMIN,
    "registerClue": Rule.WRITE,
    "triageClue": Rule.WRITE,
    "transferClue": Rule.WRITE,
    "acceptClue": Rule.WRITE,
    "reportClueProgress": Rule.WRITE,
    "concludeClue": Rule.WRITE,
    "superviseClue": Rule.WRITE,
    "issueDocument": Rule.WRITE,  # by the clue's office or its city
    "correctClue": Rule.WRITE,
    "eraseInformant": Rule.CLEARED,
    "issueReport": Rule.WRITE,
    "formInspectionGroup": Rule.WRITE,
    "changeGroupMembers": Rule.WRITE,
    "planTownshipCrossBatch": Rule.WRITE,
    "recordGuidanceVisit": Rule.WRITE,
    "defineZone": Rule.WRITE,
    "runComparison": Rule.DATA_CLEARED,
    "startComparison": Rule.DATA_CLEARED,
    "cancelComparison": Rule.DATA_CLEARED,
    "defineComparisonModel": Rule.DATA_CLEARED,
    "deleteDataset": Rule.DATA_CLEARED,
    "dismissCandidate": Rule.DATA_CLEARED,
    "promoteCandidate": Rule.DATA_CLEARED,
    "viewCandidateEvidence": Rule.DATA_CLEARED,
}
# What an allowed read shows of the target county: the seeded object of this key.
SHOWS = {
    "tenants": "",
    "tenant": "",
    "units": ".unit",
    "coverage": "",
    "round": ".round",
    "rectification": ".round",
    "clueLedger": ".clue",
    "clue": ".clue",
    "inspectors": ".inspector",
}
# Lists answer the caller's share (possibly nothing) rather than a refusal.
LISTS = {"tenants", "clueLedger", "statistics", "inspectors", "backdatedEvents", "guidanceVisits"}
DEPLOYMENT = "deployment"
WRITING = {Role.CITY_OFFICE, Role.COUNTY_TEAM, Role.ADMIN}
TARGETS = {"own": "A1", "other_county": "A2", "other_city": "B1"}
_databases = itertools.count(1)


@dataclass(frozen=True)
class Caller:
    role: Role
    office: str  # a key of the world's offices, or DEPLOYMENT
    cleared: bool = False  # informant clearance

    def __str__(self) -> str:
        return f"{self.role.value} of {self.office}{' (cleared)' * self.cleared}"

    def reads(self, county: str) -> bool:
        return self.office in {DEPLOYMENT, county, PARENT[county]}

    def knows(self, office: str) -> bool:
        """Whether the caller may learn that `office` exists: it reads it or it is its city."""
        return self.reads(office) or office == PARENT.get(self.office)


CALLERS = (
    Caller(Role.CITY_OFFICE, "A"),
    Caller(Role.CITY_OFFICE, "A", cleared=True),
    Caller(Role.COUNTY_TEAM, "A1"),
    Caller(Role.AUDITOR, "A"),
    Caller(Role.AUDITOR, "A1"),
    Caller(Role.ADMIN, "A"),
    Caller(Role.ADMIN, "A1"),
    Caller(Role.ADMIN, DEPLOYMENT),
)


def allowed(rule: Rule, caller: Caller, county: str) -> bool:
    city = PARENT[county]
    everywhere = caller.office == DEPLOYMENT
    if rule is Rule.ANYONE:
        return True
    if rule is Rule.DATA_CLEARED:
        return False
    if rule is Rule.READ:
        return caller.reads(county)
    if rule is Rule.AUDIT:
        return caller.reads(county) and caller.role is not Role.COUNTY_TEAM
    if rule is Rule.CLEARED and not caller.cleared:
        return False
    if rule in (Rule.ADMIN, Rule.CITY_ADMIN) and caller.role is not Role.ADMIN:
        return False
    if rule in (Rule.WRITE, Rule.CITY, Rule.CLEARED) and caller.role not in WRITING:
        return False
    offices = {city} if rule in (Rule.CITY, Rule.CITY_ADMIN) else {county, city}
    return everywhere or caller.office in offices


def unknown_marks(caller: Caller) -> list[str]:
    """Codes and names of the offices `caller` may not know of (their units' too)."""
    offices = [o for o in CODES if not caller.knows(o)]
    return [CODES[o] for o in offices] + [NAMES[o][:2] for o in offices]


# -- the world ----------------------------------------------------------------------------


@dataclass
class Matrix:
    world: World
    clients: dict[Caller, GraphQL]
    inputs: dict[tuple[str, str], Input]  # inputs no write has used yet, by (field, county)


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
def matrix(world_runtime: Runtime) -> Iterator[Matrix]:
    world = seed(world_runtime)
    mint = TokenMint.of(world_runtime.settings)
    app = create_app(world_runtime)
    https = {
        caller: TestClient(
            app,
            headers=mint.headers(
                caller.role,
                DEPLOYMENT_TENANT if caller.office == DEPLOYMENT else world.ids[caller.office],
                subject=f"{caller.role.value}-{caller.office}",
                informant_clearance=caller.cleared,
            ),
        )
        for caller in CALLERS
    }
    yield Matrix(world, {c: GraphQL(h) for c, h in https.items()}, {})
    for http in https.values():
        http.close()


# -- the matrix -----------------------------------------------------------------------------


def test_every_field_of_the_schema_has_an_expected_outcome() -> None:
    fields = {*QUERIES, *MUTATIONS}
    assert sorted(fields - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - fields) == []
    assert sorted(set(MUTATIONS) ^ set(INPUTS)) == []


def as_of_for(field_name: str, world: World) -> str:
    """A moment after the world's objects were made and before they changed, or a day
    before its counties were renamed."""
    if takes_as_of(field_name) == "DateTime":
        return world.moment.isoformat()
    return (BEFORE_RENAMING if field_name == "tenant" else world.today).isoformat()


def check_replay(field_name: str, as_of: bool, found: dict[str, Any], county: str) -> None:
    """What the seeded objects with a past show, now or replayed as of the world's moment."""
    if field_name == "clue":
        assert (found["summary"], found["version"]) == (
            (SUMMARY_THEN, 1) if as_of else (SUMMARY_NOW, 2)
        )
        assert len(found["history"]) == found["version"]
    if field_name == "round":
        assert found["phase"] == ("PLANNED" if as_of else "PREPARING")
    if field_name == "tenant" and as_of:
        assert (found["name"], found["asOf"]) == (NAMES[county], BEFORE_RENAMING.isoformat())


READS = [(f, False) for f in sorted(QUERIES)] + [
    (f, True) for f in sorted(QUERIES) if takes_as_of(f)
]


@pytest.mark.parametrize(("field_name", "as_of"), READS)
def test_each_caller_reads_only_its_scope(matrix: Matrix, field_name: str, as_of: bool) -> None:
    world, ids = matrix.world, matrix.world.ids
    for caller, county in itertools.product(CALLERS, TARGETS.values()):
        document, variables = query(
            field_name, ids, county, as_of_for(field_name, world) if as_of else None
        )
        answer = matrix.clients[caller].execute(document, variables)
        where = f"{field_name}{' asOf' * as_of} by {caller} on {county}: {answer}"
        codes = [e.get("extensions", {}).get("code") for e in answer.get("errors") or []]
        assert set(codes) <= {"FORBIDDEN", "NOT_FOUND"}, where
        # a county's own city is named as a reference (parentId, cityId), never as a row
        unreadable = {ids[o] for o in CODES if not caller.knows(o)}
        data = json.dumps(answer.get("data"))
        assert not [i for i in unreadable if i in data], f"leak: {where}"
        assert not [m for m in unknown_marks(caller) if m in json.dumps(answer)], f"leak: {where}"
        found = (answer.get("data") or {}).get(field_name)
        if allowed(EXPECTED[field_name], caller, county):
            assert not codes, where
            assert found is not None, where
            if field_name in SHOWS:
                assert ids[county + SHOWS[field_name]] in json.dumps(found), where
            check_replay(field_name, as_of, found, county)
        else:
            assert codes or found is None or field_name in LISTS, where


@pytest.mark.parametrize("field_name", sorted(MUTATIONS))
def test_each_caller_writes_only_where_the_rules_allow(
    matrix: Matrix, world_runtime: Runtime, field_name: str
) -> None:
    document = mutation(field_name)
    for caller, county in itertools.product(CALLERS, TARGETS.values()):
        key = (field_name, county)
        fields = matrix.inputs.pop(key, None) or INPUTS[field_name](matrix.world, county)
        before = world_runtime.store.max_position()
        answer = matrix.clients[caller].execute(document, {"input": fields})
        where = f"{field_name} by {caller} on {county}: {answer}"
        if allowed(EXPECTED[field_name], caller, county):
            assert "errors" not in answer, where
            assert answer["data"][field_name]["position"] > before, where
            continue
        matrix.inputs[key] = fields  # nothing was written: still a valid input
        errors = answer.get("errors") or []
        codes = {e.get("extensions", {}).get("code") for e in errors}
        refusals = {"FORBIDDEN"} if caller.reads(county) else {"FORBIDDEN", "NOT_FOUND"}
        assert len(errors) == 1, where
        assert codes <= refusals, where
        assert (answer.get("data") or {}).get(field_name) is None, where
        assert world_runtime.store.max_position() == before, where
        assert not [m for m in unknown_marks(caller) if m in json.dumps(errors)], f"leak: {where}"
