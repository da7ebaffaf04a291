"""What a caller may not see is answered exactly as what does not exist: a clue, round, unit,
office or task of another city, named in any query or mutation, gets the answer a random id
gets — same code, same message, same details — apart from the id itself. Otherwise probing ids
tells a caller which exist elsewhere. Within a city, a county may know of its city's offices
(it transfers clues to them: services/visibility.py), but not of the clues and rounds it does
not read. The worlds: tests/support/matrix_world.py (every operation, cities A and B) and
tests/support/two_cities.py."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL
from tests.support.matrix_documents import MUTATIONS, QUERIES, mutation, query, takes_as_of
from tests.support.matrix_world import World, seed
from tests.support.matrix_writes import INPUTS
from tests.support.two_cities import seed_two_cities

AN_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Mutations acting on an existing clue, round or rectification task (not naming an office).
ON_CLUES_AND_ROUNDS = {
    name
    for name in MUTATIONS
    if ("Clue" in name and not name.startswith("register"))
    or name
    in {
        "assignInspector",
        "declareRecusal",
        "advanceRoundPhase",
        "openPetitionChannel",
        "closePetitionChannel",
        "recordFeedback",
        "groupCommonProblem",
        "reportTaskDone",
        "verifyTask",
        "recordSatisfactionBallots",
    }
}


def random_ids(value: Any, keep: set[str], chosen: dict[str, str]) -> Any:
    """`value` with every id but those in `keep` replaced by a random one (the same one for
    each occurrence)."""
    if isinstance(value, str) and AN_ID.fullmatch(value) and value not in keep:
        return chosen.setdefault(value, str(uuid4()))
    if isinstance(value, dict):
        return {key: random_ids(item, keep, chosen) for key, item in value.items()}
    if isinstance(value, list):
        return [random_ids(item, keep, chosen) for item in value]
    return value


def without_ids(answer: dict[str, Any]) -> str:
    return AN_ID.sub("<id>", json.dumps(answer, sort_keys=True, ensure_ascii=False))


@pytest.fixture
def world(runtime: Runtime) -> World:
    return seed(runtime)


@pytest.fixture
def client_of(app: FastAPI, world: World, tokens: TokenMint) -> Iterator[Any]:
    clients: list[TestClient] = []

    def client(role: Role, office: str) -> GraphQL:
        http = TestClient(app, headers=tokens.headers(role, world.ids[office], subject="probe"))
        clients.append(http)
        return GraphQL(http)

    yield client
    for http in clients:
        http.close()


def tells_apart(
    gql: GraphQL, world: World, caller: str, target: str, mutations: set[str]
) -> list[str]:
    """Every operation whose answer about `target`'s objects differs from its answer about
    random ids, besides the ids."""
    keep = {world.ids[caller], world.ids[caller[0]]}  # the caller's own office and city
    reads = [(name, None) for name in sorted(QUERIES)] + [
        (name, world.moment.isoformat()) for name in sorted(QUERIES) if takes_as_of(name)
    ]
    operations = [query(name, world.ids, target, as_of) for name, as_of in reads]
    operations += [
        (mutation(name), {"input": INPUTS[name](world, target)}) for name in sorted(mutations)
    ]
    told = []
    for document, variables in operations:
        foreign = gql.execute(document, variables)
        random = gql.execute(document, random_ids(variables, keep, {}))
        if without_ids(foreign) != without_ids(random):
            told.append(f"{document[:60]}…\n  theirs: {foreign}\n  random: {random}")
    return told


@pytest.mark.parametrize(
    ("role", "office"),
    [
        (Role.COUNTY_TEAM, "A1"),
        (Role.CITY_OFFICE, "A"),
        (Role.ADMIN, "A1"),
        (Role.ADMIN, "A"),
        (Role.AUDITOR, "A"),
    ],
)
def test_another_citys_objects_are_answered_as_if_they_did_not_exist(
    client_of: Any, world: World, role: Role, office: str
) -> None:
    gql = client_of(role, office)
    assert tells_apart(gql, world, office, "B1", set(MUTATIONS)) == []


@pytest.mark.parametrize("role", [Role.COUNTY_TEAM, Role.ADMIN])
def test_a_sibling_countys_clues_and_rounds_are_answered_as_if_they_did_not_exist(
    client_of: Any, world: World, role: Role
) -> None:
    gql = client_of(role, "A1")
    assert tells_apart(gql, world, "A1", "A2", ON_CLUES_AND_ROUNDS) == []


CLUE = "query($id: ID!) { clue(id: $id) { id summary } }"
TRIAGE = "mutation($input: TriageClueInput!) { triageClue(input: $input) { id } }"
CORRECT = "mutation($input: CorrectClueInput!) { correctClue(input: $input) { id } }"


def test_a_foreign_clue_read_triaged_or_corrected_answers_as_a_random_id(
    runtime: Runtime, gql_as: GraphQLAs
) -> None:
    two = seed_two_cities(runtime)
    y1 = gql_as(Role.COUNTY_TEAM, two.y1)
    triage = {"priority": "KEY", "proposedRoute": "移交纪委监委"}
    correct = {"field": "SUMMARY", "newValue": "更正", "reason": "笔误"}
    for document, fields in ((CLUE, None), (TRIAGE, triage), (CORRECT, correct)):
        answers = []
        for clue in (str(two.x1_clue), str(uuid4())):
            variables = {"id": clue} if fields is None else {"input": {"clueId": clue, **fields}}
            error = y1.error(document, variables)
            assert error["extensions"] == {
                "code": "NOT_FOUND",
                "label": "未找到",
                "messageZh": "未找到该对象，或无权查看",
                "id": clue,
            }
            assert error["message"] == f"No clue with id {clue}"
            answers.append(error["message"].replace(clue, "<id>"))
        assert answers[0] == answers[1]
