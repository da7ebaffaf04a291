"""Dates as written on the document, entered after the fact, over HTTP: a transfer letter of
30 September 2026 entered weeks later (the real today, no clock patched) is due by the
official calendar counted from the letter; history shows the letter's date beside the time the
database recorded it; the backdating report finds it; refused dates name the field and write
nothing; the batch endpoint takes the same `occurredOn`; clue and round read at a version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from infrastructure.auth import Role
from services.clock import today_in_china
from services.runtime import Runtime
from tests.e2e.clue_support import act, only_node, refusal, register, registration
from tests.e2e.conftest import GraphQLAs
from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL, register_city_with_village
from tests.support.rectification import plan_round
from tests.support.rounds import ADVANCE_PHASE

LETTER = date(2026, 9, 30)
CLUE = """
query($id: ID!, $version: Int, $asOf: DateTime) {
  clue(id: $id, version: $version, asOf: $asOf) {
    version status transferredOn dueDate
    history { version type occurredAt occurredOn recordedAt actor }
  }
}
"""
ROUND_AT = """
query($id: ID!, $version: Int, $asOf: DateTime) {
  round(id: $id, version: $version, asOf: $asOf) {
    version phase phaseDates { phase on }
    history { version type occurredOn recordedAt }
  }
}
"""
BACKDATED = """
query($workingDays: Int) {
  backdatedEvents(workingDays: $workingDays) {
    streamId aggregate version event command occurredOn recordedAt workingDaysLate actor tenant
  }
}
"""


@pytest.fixture
def ids(gql: GraphQL) -> dict[str, str]:
    return register_city_with_village(gql)


def transferred_late(gql: GraphQL, ids: dict[str, str]) -> str:
    """Registered on the 20th, triaged on the 25th, transferred by the letter of the 30th."""
    clue = register(gql, ids, occurredOn="2026-09-20")["id"]
    act(gql, "triageClue", clueId=clue, priority="KEY", proposedRoute="移交纪委监委",
        occurredOn="2026-09-25")  # fmt: skip
    act(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="DISCIPLINE_COMMISSION",
        receivingTenantId=ids["county"],
        workingDays=5,
        occurredOn=LETTER.isoformat(),
    )
    return clue


def test_a_transfer_letter_entered_weeks_later_is_due_by_the_calendar_from_its_date(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime
) -> None:
    assert today_in_china() > LETTER + timedelta(days=7)  # entered after the fact, for real
    clue = transferred_late(gql, ids)

    node = only_node(gql, minPosition=runtime.store.max_position())
    # National Day 2026: 1–7 October off, Saturday 10 October a working day.
    assert (node["transferredOn"], node["dueDate"]) == ("2026-09-30", "2026-10-13")
    assert (node["workingDays"], node["dueProvisional"]) == (5, False)
    history = gql.data(CLUE, {"id": clue})["clue"]["history"]
    assert [(e["type"], e["occurredOn"]) for e in history] == [
        ("Clue.Registered", "2026-09-20"),
        ("Clue.Triaged", "2026-09-25"),
        ("Clue.Transferred", "2026-09-30"),
    ]
    recorded = [datetime.fromisoformat(e["recordedAt"]) for e in history]
    assert recorded == sorted(recorded)
    assert {r.astimezone().date() >= today_in_china() - timedelta(days=1) for r in recorded} == {
        True
    }


def test_the_backdating_report_lists_what_was_entered_late_for_an_auditor(
    gql: GraphQL, gql_as: GraphQLAs, ids: dict[str, str]
) -> None:
    clue = transferred_late(gql, ids)
    act(gql, "acceptClue", clueId=clue)  # dated today: not backdated

    auditor = gql_as(Role.AUDITOR, ids["city"], subject="auditor-zhao")
    found = auditor.data(BACKDATED, {})["backdatedEvents"]

    assert [(e["event"], e["command"], e["occurredOn"]) for e in found] == [
        ("Clue.Registered", "registerClue", "2026-09-20"),
        ("Clue.Triaged", "triageClue", "2026-09-25"),
        ("Clue.Transferred", "transferClue", "2026-09-30"),
    ]
    assert {(e["streamId"], e["aggregate"], e["tenant"]) for e in found} == {
        (clue, "Clue", ids["county"])
    }
    assert all(e["workingDaysLate"] > 5 for e in found)
    assert all(e["actor"] for e in found)
    late = min(e["workingDaysLate"] for e in found)
    # the transfer, the least late, is left out once N reaches its lag
    assert auditor.data(BACKDATED, {"workingDays": late})["backdatedEvents"] == found[:-1]
    team = gql_as(Role.COUNTY_TEAM, ids["county"])
    assert team.error(BACKDATED, {})["extensions"]["code"] == "FORBIDDEN"
    other_city = gql_as(Role.AUDITOR, UUID(int=42))
    assert other_city.data(BACKDATED, {})["backdatedEvents"] == []


@pytest.mark.parametrize(
    ("mutation", "when", "rule"),
    [
        ("acceptClue", "future", "OCCURRED_ON_IN_FUTURE"),
        ("acceptClue", "2026-09-29", "OCCURRED_ON_BEFORE_PREVIOUS_STEP"),
        ("reportClueProgress", "2026-09-19", "OCCURRED_ON_BEFORE_START"),
    ],
)
def test_a_document_date_out_of_order_is_refused_by_its_field_and_writes_nothing(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime, mutation: str, when: str, rule: str
) -> None:
    clue = transferred_late(gql, ids)
    if mutation == "reportClueProgress":
        act(gql, "acceptClue", clueId=clue, occurredOn="2026-10-02")
    version = runtime.clues.clue(UUID(clue)).version
    on = (today_in_china() + timedelta(days=1)).isoformat() if when == "future" else when
    extra: dict[str, Any] = {"progress": "谈话"} if mutation == "reportClueProgress" else {}

    error = refusal(gql, mutation, clueId=clue, occurredOn=on, **extra)

    future = rule == "OCCURRED_ON_IN_FUTURE"
    assert error["extensions"]["code"] == ("VALIDATION_FAILED" if future else "RULE_VIOLATION")
    assert error["extensions"]["rule"] == rule
    assert error["extensions"]["field"] == "occurredOn"
    assert "occurredOn" in error["message"]
    assert on in error["message"]
    assert runtime.clues.clue(UUID(clue)).version == version


def test_a_registration_in_a_round_is_not_dated_before_its_planned_start(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime
) -> None:
    round_id = plan_round(
        runtime, ids["county"], date(2026, 9, 1), date(2026, 11, 30), ids["village"]
    )
    before = runtime.store.max_position()

    error = gql.error(
        """mutation($input: RegisterClueInput!) { registerClue(input: $input) { id } }""",
        {"input": registration(ids, roundId=round_id, occurredOn="2026-08-31")},
    )

    assert (error["extensions"]["rule"], error["extensions"]["field"]) == (
        "OCCURRED_ON_BEFORE_START",
        "occurredOn",
    )
    assert runtime.store.max_position() == before
    assert register(gql, ids, roundId=round_id, occurredOn="2026-09-01")["id"]


def test_a_clue_and_a_round_are_read_as_they_stood_at_a_version(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime
) -> None:
    clue = transferred_late(gql, ids)
    at_two = gql.data(CLUE, {"id": clue, "version": 2})["clue"]
    assert (at_two["version"], at_two["status"], at_two["dueDate"]) == (2, "TRIAGED", None)
    assert [e["type"] for e in at_two["history"]] == ["Clue.Registered", "Clue.Triaged"]

    for variables, code in (
        ({"version": 4}, "NOT_FOUND"),
        ({"version": 0}, "NOT_FOUND"),
        ({"version": 1, "asOf": "2026-10-01T00:00:00Z"}, "VALIDATION_FAILED"),
    ):
        error = gql.error(CLUE, {"id": clue, **variables})
        assert error["extensions"]["code"] == code, variables

    round_id = plan_round(
        runtime, ids["county"], date(2026, 9, 1), date(2026, 11, 30), ids["village"]
    )
    for phase, on in (("PREPARING", "2026-08-25"), ("STATIONED", "2026-09-01")):
        gql.data(ADVANCE_PHASE, {"input": {"roundId": round_id, "phase": phase, "occurredOn": on}})
    then = gql.data(ROUND_AT, {"id": round_id, "version": 2})["round"]
    assert (then["version"], then["phase"]) == (2, "PREPARING")
    now = gql.data(ROUND_AT, {"id": round_id})["round"]
    assert now["phaseDates"][1:] == [  # after PLANNED, the day it was planned
        {"phase": "PREPARING", "on": "2026-08-25"},
        {"phase": "STATIONED", "on": "2026-09-01"},
    ]
    assert [e["occurredOn"] for e in now["history"]][1:] == ["2026-08-25", "2026-09-01"]
    error = gql.error(ROUND_AT, {"id": round_id, "version": 9})
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def test_the_batch_endpoint_takes_the_same_document_dates(
    http: TestClient, gql: GraphQL, ids: dict[str, str], tokens: TokenMint, runtime: Runtime
) -> None:
    items = [
        {"clientId": "r", "command": "registerClue",
         "input": registration(ids, occurredOn="2026-09-20", tenantId=ids["county"])},
        {"clientId": "t", "command": "triageClue",
         "input": {"clueRef": "r", "priority": "KEY", "proposedRoute": "移交纪委监委",
                   "occurredOn": "2026-09-25"}},
        {"clientId": "x", "command": "transferClue",
         "input": {"clueRef": "r", "handlingBody": "DISCIPLINE_COMMISSION",
                   "receivingTenantId": ids["county"], "workingDays": 5,
                   "occurredOn": "2026-09-30"}},
        {"clientId": "a", "command": "acceptClue",
         "input": {"clueRef": "r", "occurredOn": "2026-09-29"}},
    ]  # fmt: skip
    headers = tokens.headers(Role.COUNTY_TEAM, ids["county"], subject="li")

    response = http.post(
        f"/api/v1/tenants/{ids['county']}/submissions", json={"items": items}, headers=headers
    )

    assert response.status_code == 200, response.text
    results = {r["clientId"]: r for r in response.json()["results"]}
    assert [results[k]["status"] for k in "rtxa"] == ["ACCEPTED"] * 3 + ["REJECTED"]
    assert results["a"]["error"]["rule"] == "OCCURRED_ON_BEFORE_PREVIOUS_STEP"
    assert results["a"]["error"]["field"] == "occurredOn"
    node = only_node(gql, minPosition=runtime.store.max_position())
    assert (node["transferredOn"], node["dueDate"], node["version"]) == (
        "2026-09-30",
        "2026-10-13",
        3,
    )
