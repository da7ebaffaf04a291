"""Batch submission over HTTP (`POST /api/v1/tenants/{tenantId}/submissions`): each item is
accepted (committed, with its position) or rejected (nothing written, with code and rule); a
batch sent again answers the same and writes nothing; later items may refer to clues that
earlier items registered; limits, authentication and the office check hold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

import jsonschema_rs
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.audited import AuditedAggregate
from domain.clues.clue import Clue
from domain.clues.values import CorrectableField
from domain.context import acting_as
from domain.rectification.feedback import feedback_id_for
from domain.rectification.task import Task
from entrypoints.http.submission_models import MAX_ITEMS
from infrastructure.auth import Role
from infrastructure.held_writes import HeldWrites
from services.authorization import DEPLOYMENT_TENANT, Acting
from services.runtime import Runtime
from services.submissions.batch import Item
from services.submissions.commands import BATCH_COMMANDS
from tests.e2e.clue_support import only_node
from tests.e2e.conftest import GraphQLAs
from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL, register_city_with_village
from tests.support.rectification import (
    RECTIFICATION,
    plan_round,
    problem,
    responsibility,
    seed,
    task,
)
from tests.support.rounds import PLAN_ROUND, ROUND, tenant, write

SUBJECT = "county-team-li"
INSPECTORS = """
query($home: ID, $minPosition: BigInt) {
  inspectors(homeTenantId: $home, minPosition: $minPosition) {
    edges { node { id homeTenantId staffNumber name postings { unitId start end } } }
  }
}
"""


def task_events(runtime: Runtime, task_id: str) -> list[AuditedAggregate.Event]:
    return [cast(AuditedAggregate.Event, e) for e in runtime.store.events.get(UUID(task_id))]


@pytest.fixture
def ids(gql: GraphQL) -> dict[str, str]:
    return register_city_with_village(gql)


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def team(tokens: TokenMint, ids: dict[str, str]) -> dict[str, str]:
    """The headers of the county's team."""
    return tokens.headers(Role.COUNTY_TEAM, ids["county"], subject=SUBJECT)


def submit(
    http: TestClient, tenant_id: str, items: list[dict[str, Any]], headers: dict[str, str]
) -> Any:
    return http.post(
        f"/api/v1/tenants/{tenant_id}/submissions", json={"items": items}, headers=headers
    )


def registration(ids: dict[str, str], client_id: str, **changes: Any) -> dict[str, Any]:
    fields = {
        "unitId": ids["village"],
        "source": "PETITION",
        "category": "三资管理",
        "summary": "村集体土地流转收入未入账",
        "amountInvolved": "120000",
    }
    fields.update(changes)
    return {"clientId": client_id, "command": "registerClue", "input": fields}


def item(client_id: str, command: str, **fields: Any) -> dict[str, Any]:
    return {"clientId": client_id, "command": command, "input": fields}


def mixed_batch(ids: dict[str, str]) -> list[dict[str, Any]]:
    return [
        registration(ids, "c-1"),
        registration(ids, "c-2", source="CARRIER_PIGEON"),
        item("c-3", "triageClue", clueRef="c-1", priority="KEY", proposedRoute="移交纪委监委"),
        item("c-4", "acceptClue", clueRef="c-1"),
        item("c-5", "triageClue", clueId=str(UUID(int=7)), priority="KEY", proposedRoute="x"),
    ]


def events_of(runtime: Runtime, clue_id: str) -> list[Any]:
    return list(runtime.store.events.get(UUID(clue_id)))


def test_a_mixed_batch_commits_the_good_items_and_rejects_the_bad_ones(
    http: TestClient, gql: GraphQL, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    response = submit(http, ids["county"], mixed_batch(ids), team)

    assert response.status_code == 200, response.text
    body = response.json()
    results = {r["clientId"]: r for r in body["results"]}
    assert [r["clientId"] for r in body["results"]] == ["c-1", "c-2", "c-3", "c-4", "c-5"]
    assert [r["status"] for r in body["results"]] == [
        "ACCEPTED",
        "REJECTED",
        "ACCEPTED",
        "REJECTED",
        "REJECTED",
    ]
    assert (body["accepted"], body["rejected"]) == (2, 3)
    assert results["c-2"]["error"]["code"] == "VALIDATION_FAILED"
    assert results["c-2"]["error"]["field"] == "source"
    assert results["c-4"]["error"] == {
        "code": "RULE_VIOLATION",
        "label": "违反业务规则",
        "message": results["c-4"]["error"]["message"],
        "messageEn": None,
        "messageZh": "问题线索尚未移交，不能受理",
        "rule": "CLUE_ACCEPT_BEFORE_TRANSFER",
        "field": None,
    }
    assert results["c-5"]["error"]["code"] == "NOT_FOUND"
    clue = results["c-1"]["id"]
    assert results["c-3"]["id"] == clue
    assert body["position"] == results["c-3"]["position"] > results["c-1"]["position"]

    stored = events_of(runtime, clue)
    assert [type(e) for e in stored] == [Clue.Registered, Clue.Triaged]
    assert {e.actor for e in stored} == {SUBJECT}
    assert {e.tenant_id for e in stored} == {UUID(ids["county"])}
    assert runtime.store.max_position() == body["position"]  # nothing else was written
    node = only_node(gql, minPosition=body["position"])
    assert (node["id"], node["status"], node["priority"]) == (clue, "TRIAGED", "KEY")


def test_the_same_batch_again_answers_the_same_and_writes_nothing(
    http: TestClient, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    first = submit(http, ids["county"], mixed_batch(ids), team).json()
    head = runtime.store.max_position()

    again = submit(http, ids["county"], mixed_batch(ids), team)

    assert again.status_code == 200
    assert again.json() == first
    assert runtime.store.max_position() == head


def test_the_same_batch_sent_twice_at_once_is_written_once(
    app: FastAPI, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    items = [registration(ids, f"c-{n}", summary=f"线索{n}") for n in range(120)]
    head = runtime.store.max_position()

    def send(_: int) -> Any:
        with TestClient(app) as client:
            return submit(client, ids["county"], items, team).json()

    with ThreadPoolExecutor(2) as both:
        first, second = both.map(send, range(2))

    assert first == second
    assert first["accepted"] == 120
    assert runtime.store.max_position() == head + 120


def test_a_client_id_reused_for_another_command_is_a_conflict(
    http: TestClient, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    submit(http, ids["county"], [registration(ids, "c-1")], team)
    head = runtime.store.max_position()

    changed = submit(http, ids["county"], [registration(ids, "c-1", summary="另一条线索")], team)

    assert changed.json()["results"][0]["error"]["code"] == "CONFLICT"
    assert runtime.store.max_position() == head


def test_later_items_act_on_a_clue_an_earlier_item_registered(
    http: TestClient, gql: GraphQL, ids: dict[str, str], team: dict[str, str]
) -> None:
    batch = [
        registration(ids, "r-1"),
        item("r-2", "triageClue", clueRef="r-1", priority="ATTENTION", proposedRoute="函询"),
        item(
            "r-3",
            "transferClue",
            clueRef="r-1",
            handlingBody="DISCIPLINE_COMMISSION",
            receivingTenantId=ids["county"],
            workingDays=20,
        ),
        item("r-4", "acceptClue", clueRef="r-1", expectedVersion=3),
        item("r-5", "reportClueProgress", clueRef="r-1", progress="已谈话函询"),
        item("r-6", "concludeClue", clueRef="r-1", disposition="INQUIRY"),
        item("r-7", "triageClue", clueRef="nothing-like-it", priority="KEY", proposedRoute="x"),
    ]

    body = submit(http, ids["county"], batch, team).json()

    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["ACCEPTED"] * 6 + ["REJECTED"]
    assert body["results"][6]["error"]["code"] == "NOT_FOUND"
    assert body["results"][6]["error"]["field"] == "clueRef"
    node = only_node(gql, minPosition=body["position"])
    assert (node["id"], node["status"], node["disposition"]) == (
        body["results"][0]["id"],
        "CONCLUDED",
        "INQUIRY",
    )


def test_an_item_refers_to_a_clue_registered_in_an_earlier_batch(
    http: TestClient, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    first = submit(http, ids["county"], [registration(ids, "monday-1")], team).json()
    triage = item("tuesday-1", "triageClue", clueRef="monday-1", priority="KEY", proposedRoute="x")

    later = submit(http, ids["county"], [triage], team).json()["results"][0]

    assert (later["status"], later["id"]) == ("ACCEPTED", first["results"][0]["id"])
    assert [type(e) for e in events_of(runtime, later["id"])] == [Clue.Registered, Clue.Triaged]


def test_an_auditor_submits_nothing(
    http: TestClient, runtime: Runtime, ids: dict[str, str], tokens: TokenMint
) -> None:
    head = runtime.store.max_position()
    headers = tokens.headers(Role.AUDITOR, ids["county"], subject="audit")

    response = submit(http, ids["county"], [registration(ids, "c-1")], headers)

    assert response.status_code == 403
    assert runtime.store.max_position() == head


def test_text_with_a_nul_character_is_rejected_and_reads_stay_current(
    http: TestClient, gql: GraphQL, ids: dict[str, str], team: dict[str, str]
) -> None:
    batch = [registration(ids, "n-1", summary="a\x00b"), registration(ids, "n-2")]

    body = submit(http, ids["county"], batch, team).json()

    assert body["results"][0]["error"]["code"] == "VALIDATION_FAILED"
    assert only_node(gql, minPosition=body["position"])["id"] == body["results"][1]["id"]


def test_a_round_is_stationed_and_its_petition_channel_opened_and_closed_in_one_batch(
    http: TestClient, gql: GraphQL, ids: dict[str, str], team: dict[str, str]
) -> None:
    round_id = county_round(gql, ids)
    batch = [
        item("p-1", "advanceRoundPhase", roundId=round_id, phase="PREPARING", on="2026-02-20"),
        item("p-2", "advanceRoundPhase", roundId=round_id, phase="STATIONED", on="2026-03-02"),
        item(
            "p-3",
            "openPetitionChannel",
            roundId=round_id,
            channel="HOTLINE",
            address="0531-12388",
            openedOn="2026-03-02",
        ),
        registration(ids, "p-4", roundId=round_id, source="HOTLINE"),
        item(
            "p-5",
            "closePetitionChannel",
            roundId=round_id,
            channel="HOTLINE",
            closedOn="2026-04-01",
        ),
        item("p-6", "advanceRoundPhase", roundId=round_id, phase="CLOSED", on="2026-04-02"),
    ]

    body = submit(http, ids["county"], batch, team).json()

    assert [r["status"] for r in body["results"]] == ["ACCEPTED"] * 5 + ["REJECTED"]
    assert body["results"][5]["error"]["code"] == "RULE_VIOLATION"
    found = gql.data(ROUND, {"id": round_id, "minPosition": body["position"]})["round"]
    assert found["phase"] == "STATIONED"
    assert found["petitionChannels"] == [
        {
            "channel": "HOTLINE",
            "address": "0531-12388",
            "openedOn": "2026-03-02",
            "closesOn": None,
            "closedOn": "2026-04-01",
        }
    ]
    assert found["progress"]["cluesRegistered"] == 1


def test_a_county_team_reports_rectification_tasks_done_in_a_batch(
    http: TestClient,
    gql: GraphQL,
    gql_as: GraphQLAs,
    runtime: Runtime,
    tokens: TokenMint,
) -> None:
    scenario = seed(gql, gql_as, runtime)
    lixia = scenario.ids["lixia"]
    headers = tokens.headers(Role.COUNTY_TEAM, lixia, subject=SUBJECT)
    t3 = scenario.tasks["T3"]
    batch = [
        item("t-1", "reportTaskDone", taskId=t3, evidence="退缴凭证", doneOn="2026-08-01"),
        item("t-2", "reportTaskDone", taskId=t3, evidence="again", expectedVersion=1),
    ]

    body = submit(http, lixia, batch, headers).json()

    assert [r["status"] for r in body["results"]] == ["ACCEPTED", "REJECTED"]
    assert body["results"][1]["error"]["code"] == "CONFLICT"
    stored = task_events(runtime, t3)
    assert (type(stored[-1]), stored[-1].actor) == (Task.ReportedDone, SUBJECT)


def test_a_batch_over_the_item_limit_is_refused_whole(
    http: TestClient, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    head = runtime.store.max_position()
    batch = [registration(ids, f"many-{n}") for n in range(MAX_ITEMS + 1)]

    response = submit(http, ids["county"], batch, team)

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert runtime.store.max_position() == head


def test_a_batch_may_be_larger_than_the_general_request_limit(
    http: TestClient, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    long = "村集体资金使用不规范" * 200  # 2,000 characters, 6,000 bytes
    batch = [registration(ids, f"long-{n}", summary=long, source="?") for n in range(200)]
    assert len(json.dumps({"items": batch}, ensure_ascii=False).encode()) > (
        runtime.settings.max_request_bytes
    )

    response = http.post(
        f"/api/v1/tenants/{ids['county']}/submissions",
        content=json.dumps({"items": batch}, ensure_ascii=False).encode(),
        headers={**team, "content-type": "application/json"},
    )

    assert response.status_code == 200, response.text[:500]
    assert response.json()["rejected"] == 200


def test_a_batch_without_a_token_is_unauthenticated(
    http: TestClient, runtime: Runtime, ids: dict[str, str]
) -> None:
    head = runtime.store.max_position()

    response = submit(http, ids["county"], [registration(ids, "c-1")], {})

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert runtime.store.max_position() == head


@pytest.mark.parametrize(
    "body",
    [
        b'{"items": [{"clientId": "c-1", "command": "noSuchCommand", "input": {}}]}',
        b'{"items": [',
        b"\xff\xfe not utf-8",
        b"[" * 5000,
    ],
    ids=["unknown command", "truncated JSON", "not UTF-8", "nested deep"],
)
@pytest.mark.parametrize(
    "authorization", [None, "Bearer forged.token.here"], ids=["no token", "forged token"]
)
def test_an_anonymous_batch_is_refused_before_its_body_is_read(
    http: TestClient, ids: dict[str, str], body: bytes, authorization: str | None
) -> None:
    headers = {"content-type": "application/json"}
    if authorization:
        headers["authorization"] = authorization

    response = http.post(
        f"/api/v1/tenants/{ids['county']}/submissions", content=body, headers=headers
    )

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "registerClue" not in response.text  # no list of commands for an anonymous caller
    assert "noSuchCommand" not in response.text


def test_another_countys_team_may_not_submit_for_this_county(
    http: TestClient, gql: GraphQL, runtime: Runtime, ids: dict[str, str], tokens: TokenMint
) -> None:
    other = tenant(gql, "370103", "市中区", ids["city"])
    head = runtime.store.max_position()
    headers = tokens.headers(Role.COUNTY_TEAM, other, subject="wang")

    response = submit(http, ids["county"], [registration(ids, "c-1")], headers)

    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert runtime.store.max_position() == head


def test_the_city_office_submits_for_its_county(
    http: TestClient, runtime: Runtime, ids: dict[str, str], tokens: TokenMint
) -> None:
    headers = tokens.headers(Role.CITY_OFFICE, ids["city"], subject="zhao")

    body = submit(http, ids["county"], [registration(ids, "c-1")], headers).json()

    assert body["results"][0]["status"] == "ACCEPTED"
    assert events_of(runtime, body["results"][0]["id"])[0].tenant_id == UUID(ids["county"])


REFUSE_RECEIPTS = """
CREATE FUNCTION refuse_receipt() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'the disk is gone'; END $$;
CREATE TRIGGER refuse_receipt BEFORE INSERT ON submission_results
    FOR EACH ROW EXECUTE FUNCTION refuse_receipt();
"""


@pytest.mark.parametrize("command", ["registerClue", "registerInspector"])
def test_an_item_is_written_with_its_receipt_or_not_at_all(
    app: FastAPI, runtime: Runtime, ids: dict[str, str], tokens: TokenMint, command: str
) -> None:
    office, submitted = (
        ("county", registration(ids, "c-1"))
        if command == "registerClue"
        else ("city", cadre("i-1", "张巡察"))
    )
    headers = tokens.headers(Role.CITY_OFFICE, ids[office], subject=SUBJECT)
    head = runtime.store.max_position()
    with runtime.reads.connection() as conn:
        conn.execute(REFUSE_RECEIPTS)
    with TestClient(app, raise_server_exceptions=False) as http:
        crashed = submit(http, ids[office], [submitted], headers)
        assert crashed.status_code == 500
        assert runtime.store.max_position() == head  # the receipt failed: no event either
        with runtime.reads.connection() as conn:
            conn.execute("DROP TRIGGER refuse_receipt ON submission_results")

        first = submit(http, ids[office], [submitted], headers).json()["results"][0]
        again = submit(http, ids[office], [submitted], headers).json()["results"][0]

    assert first["status"] == "ACCEPTED"
    assert again == first
    assert runtime.store.max_position() == first["position"]
    assert [e.originator_version for e in events_of(runtime, first["id"])] == [1]


def test_an_item_interrupted_under_the_two_phase_form_is_not_run_again(
    http: TestClient, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    registering = registration(ids, "c-1")
    print_ = Item("c-1", "registerClue", registering["input"]).fingerprint
    head = runtime.store.max_position()
    with runtime.reads.connection() as conn:  # as the earlier form left it: outcome unknown
        conn.execute(
            "INSERT INTO submission_results (tenant_id, client_id, command, fingerprint, subject)"
            " VALUES (%s, 'c-1', 'registerClue', %s, %s)",
            (ids["county"], print_, SUBJECT),
        )

    answered = submit(http, ids["county"], [registering], team).json()["results"][0]

    assert answered["status"] == "REJECTED"
    assert answered["error"]["code"] == "CONFLICT"
    assert "earlier version" in answered["error"]["message"]
    assert runtime.store.max_position() == head


def test_a_chunk_another_writer_got_in_the_way_of_runs_again_item_by_item(
    http: TestClient,
    runtime: Runtime,
    ids: dict[str, str],
    team: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clue = submit(http, ids["county"], [registration(ids, "c-1")], team).json()["results"][0]
    flush = HeldWrites.flush
    interfered: list[int] = []

    def after_another_writer(held: HeldWrites, *args: Any) -> Any:
        if not interfered:  # before the first save, another writer corrects the clue
            with ThreadPoolExecutor(1) as other:
                interfered.append(other.submit(correct_summary, runtime, ids, clue["id"]).result())
        return flush(held, *args)

    monkeypatch.setattr(HeldWrites, "flush", after_another_writer)
    body = submit(
        http,
        ids["county"],
        [
            item("c-2", "triageClue", clueRef="c-1", priority="KEY", proposedRoute="移交"),
            registration(ids, "c-3"),
        ],
        team,
    ).json()

    triage, registered = body["results"]
    assert (triage["status"], registered["status"]) == ("ACCEPTED", "ACCEPTED")
    assert triage["position"] > interfered[0]
    assert [type(e) for e in events_of(runtime, clue["id"])] == [
        Clue.Registered,
        Clue.Corrected,
        Clue.Triaged,
    ]
    assert [e.originator_version for e in events_of(runtime, registered["id"])] == [1]


def correct_summary(runtime: Runtime, ids: dict[str, str], clue_id: str) -> int:
    with acting_as("another-writer"):
        return runtime.clues.correct_clue(
            UUID(clue_id),
            field=CorrectableField.SUMMARY,
            new_value="村集体土地流转收入未入账（更正）",
            reason="笔误",
            acting=Acting(role="COUNTY_TEAM", tenant_id=UUID(ids["county"])),
        ).position


def test_the_request_schema_names_every_command_and_refuses_others(
    http: TestClient, runtime: Runtime, ids: dict[str, str], team: dict[str, str]
) -> None:
    spec = http.get("/openapi.json").json()
    head = runtime.store.max_position()

    unknown = submit(http, ids["county"], [item("x-1", "eraseInformant", reason="x")], team)

    command = spec["components"]["schemas"]["SubmissionItem"]["properties"]["command"]
    assert command["enum"] == list(BATCH_COMMANDS)
    assert (unknown.status_code, unknown.json()["errors"][0]["extensions"]["code"]) == (
        422,
        "VALIDATION_FAILED",
    )
    assert runtime.store.max_position() == head


def test_the_endpoint_is_documented_with_examples_and_result_models(http: TestClient) -> None:
    spec = http.get("/openapi.json").json()

    operation = spec["paths"]["/api/v1/tenants/{tenantId}/submissions"]["post"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["examples"]["field_day"]["value"]["items"][0]["command"] == "registerClue"
    assert "SubmissionResult" in str(operation["responses"]["200"])
    assert "ItemResult" in spec["components"]["schemas"]


CLIENT_IDS = st.text(min_size=1, max_size=6).filter(str.isprintable)
FIELD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**66), max_value=2**66),
    st.text(max_size=12),
    st.just("a\x00b"),
    st.dates().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.lists(st.dictionaries(st.sampled_from(["role", "name"]), st.text(max_size=4)), max_size=2),
)


@pytest.mark.parametrize("command", sorted(BATCH_COMMANDS))
def test_generated_items_are_answered_item_by_item_never_with_a_server_error(
    http: TestClient, ids: dict[str, str], team: dict[str, str], command: str
) -> None:
    fields = sorted(BATCH_COMMANDS[command].input.model_fields)
    names = [BATCH_COMMANDS[command].input.model_fields[f].alias or f for f in fields]
    known = st.sampled_from([ids["county"], ids["village"], ids["city"], str(UUID(int=3)), "r-0"])
    values = st.one_of(known, FIELD_VALUES)

    @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        inputs=st.lists(st.dictionaries(st.sampled_from(names), values), min_size=1, max_size=3),
        client_ids=st.lists(CLIENT_IDS, min_size=3, max_size=3),
    )
    def check(inputs: list[dict[str, Any]], client_ids: list[str]) -> None:
        batch = [registration(ids, "r-0")] + [
            {"clientId": c, "command": command, "input": i}
            for c, i in zip(client_ids, inputs, strict=False)
        ]
        response = submit(http, ids["county"], batch, team)
        assert response.status_code < 500, response.text
        if response.status_code == 200:
            for result in response.json()["results"]:
                assert result["status"] == "ACCEPTED" or result["error"]["code"], result

    check()


def test_a_refusal_does_not_tell_whether_another_office_exists(
    http: TestClient, gql: GraphQL, ids: dict[str, str], tokens: TokenMint
) -> None:
    other = tenant(gql, "370103", "市中区", ids["city"])
    outsider = tokens.headers(Role.COUNTY_TEAM, other, subject="wang")

    existing = submit(http, ids["county"], [registration(ids, "c-1")], outsider)
    missing = submit(http, str(uuid4()), [registration(ids, "c-1")], outsider)

    assert (existing.status_code, missing.status_code) == (403, 403)
    assert existing.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert missing.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "370102" not in existing.text  # nothing about the office it refused
    assert "历下" not in existing.text


def test_the_deployment_admin_is_told_an_office_does_not_exist(
    http: TestClient, ids: dict[str, str], tokens: TokenMint
) -> None:
    headers = tokens.headers(Role.ADMIN, str(DEPLOYMENT_TENANT), subject="ops")

    response = submit(http, str(uuid4()), [registration(ids, "c-1")], headers)

    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


# -- the team, rectification and feedback, submitted by the offices in the field -------------


def county_round(gql: GraphQL, ids: dict[str, str]) -> str:
    """A round of the county over its village, March to May 2026."""
    return str(
        write(
            gql,
            PLAN_ROUND,
            {
                "tenantId": ids["county"],
                "kind": "REGULAR",
                "linkage": "STANDALONE",
                "title": "历下区第一轮巡察",
                "periodStart": "2026-03-01",
                "periodEnd": "2026-05-31",
                "targetUnitIds": [ids["village"]],
            },
        )["id"]
    )


def cadre(client_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return item(client_id, "registerInspector", name=name, **fields)


def test_the_city_office_registers_its_inspectors_in_a_batch(
    http: TestClient, gql: GraphQL, runtime: Runtime, ids: dict[str, str], tokens: TokenMint
) -> None:
    office = tokens.headers(Role.CITY_OFFICE, ids["city"], subject="zhao")
    posting = {"unitId": ids["village"], "start": "2019-01-01", "end": "2020-12-31"}
    batch = [
        cadre("i-1", "张巡察", staffNumber="JN-001", postings=[posting]),
        cadre("i-2", "王巡察"),
        cadre("i-3", "李巡察", homeTenantId=ids["county"]),  # another office's cadre
        cadre("i-4", "赵巡察", staffNumber="JN-001"),  # the number is taken
        cadre("i-5", "钱巡察", postings=[{**posting, "end": "2018-12-31"}]),  # ends before start
    ]

    body = submit(http, ids["city"], batch, office).json()

    results = body["results"]
    assert [r["status"] for r in results] == ["ACCEPTED"] * 2 + ["REJECTED"] * 3
    assert [(r["error"]["code"], r["error"]["field"]) for r in results[2:]] == [
        ("FORBIDDEN", "homeTenantId"),
        ("CONFLICT", None),
        ("VALIDATION_FAILED", "postings"),
    ]
    assert body["position"] == results[1]["position"] > results[0]["position"]
    assert runtime.store.max_position() == body["position"]  # the refusals wrote nothing
    found = gql.data(INSPECTORS, {"home": ids["city"], "minPosition": body["position"]})
    cadres = {n["node"]["id"]: n["node"] for n in found["inspectors"]["edges"]}
    assert set(cadres) == {results[0]["id"], results[1]["id"]}
    first = cadres[results[0]["id"]]
    assert (first["name"], first["staffNumber"], first["homeTenantId"]) == (
        "张巡察",
        "JN-001",
        ids["city"],
    )
    assert first["postings"] == [posting]
    assert events_of(runtime, results[1]["id"])[0].actor == "zhao"


def test_a_county_team_staffs_its_round_and_records_a_recusal(
    http: TestClient,
    gql: GraphQL,
    runtime: Runtime,
    ids: dict[str, str],
    team: dict[str, str],
    tokens: TokenMint,
) -> None:
    round_id = county_round(gql, ids)
    office = tokens.headers(Role.CITY_OFFICE, ids["city"], subject="zhao")
    registered = submit(http, ids["city"], [cadre("i-1", "张组长"), cadre("i-2", "王组员")], office)
    leader, member = (r["id"] for r in registered.json()["results"])
    on_round = {"roundId": round_id}
    batch = [
        item("s-1", "assignInspector", **on_round, inspectorId=leader, role="LEADER"),
        item("s-2", "assignInspector", **on_round, inspectorId=member, role="MEMBER"),
        item(
            "s-3",
            "declareRecusal",
            **on_round,
            inspectorId=member,
            unitId=ids["village"],
            reason="其配偶任该村村委会主任",
            declaredOn="2026-03-01",
        ),
        item("s-4", "assignInspector", **on_round, inspectorId=leader, role="MEMBER"),
        item(
            "s-5",
            "declareRecusal",
            **on_round,
            inspectorId=leader,
            unitId=ids["county"],  # not a target of the round
            reason="x",
            declaredOn="2026-03-01",
        ),
        item("s-6", "assignInspector", **on_round, inspectorId=member, role="MEMBER"),
    ]

    body = submit(http, ids["county"], batch, team).json()

    results = body["results"]
    assert [r["status"] for r in results] == ["ACCEPTED"] * 3 + ["REJECTED"] * 3
    assert [r["error"]["rule"] for r in results[3:]] == [
        "TEAM_ALREADY_ASSIGNED",
        "RECUSAL_UNIT_NOT_TARGET",
        "TEAM_ALREADY_ASSIGNED",
    ]
    assert {r["id"] for r in results[:3]} == {round_id}
    assert body["position"] == results[2]["position"] == runtime.store.max_position()
    found = gql.data(ROUND, {"id": round_id, "minPosition": body["position"]})["round"]
    assert [(m["inspectorId"], m["role"]) for m in found["team"]] == [(leader, "LEADER")]
    assert found["recusals"] == [
        {
            "inspectorId": member,
            "unitId": ids["village"],
            "reason": "其配偶任该村村委会主任",
            "declaredOn": "2026-03-01",
        }
    ]


def test_a_county_team_verifies_a_task_and_records_its_revisit_in_a_batch(
    http: TestClient,
    gql: GraphQL,
    gql_as: GraphQLAs,
    runtime: Runtime,
    tokens: TokenMint,
) -> None:
    scenario = seed(gql, gql_as, runtime)
    lixia = scenario.ids["lixia"]
    headers = tokens.headers(Role.COUNTY_TEAM, lixia, subject=SUBJECT)
    t3, t5 = scenario.tasks["T3"], scenario.tasks["T5"]
    ballots = {"channel": "PAPER", "heldOn": "2026-09-01"}
    batch = [
        item("v-1", "reportTaskDone", taskId=t3, evidence="退缴凭证", doneOn="2026-08-01"),
        item("v-2", "verifyTask", taskId=t3, verifiedOn="2026-08-05", expectedVersion=2),
        item(
            "v-3",
            "recordSatisfactionBallots",
            taskId=t3,
            satisfied=12,
            basicallySatisfied=3,
            dissatisfied=1,
            **ballots,
        ),
        item("v-4", "verifyTask", taskId=t3),
        item(
            "v-5",
            "recordSatisfactionBallots",
            taskId=t3,
            satisfied=0,
            basicallySatisfied=0,
            dissatisfied=0,
            **ballots,
        ),
        item("v-6", "verifyTask", taskId=t5, verifiedOn="2026-09-25"),  # 市中's round
    ]

    body = submit(http, lixia, batch, headers).json()

    results = body["results"]
    assert [r["status"] for r in results] == ["ACCEPTED"] * 3 + ["REJECTED"] * 3
    assert [(r["error"]["code"], r["error"]["rule"]) for r in results[3:]] == [
        ("RULE_VIOLATION", "TASK_ALREADY_VERIFIED"),
        ("RULE_VIOLATION", "BALLOTS_EMPTY"),
        ("NOT_FOUND", None),  # 历下 reads nothing of 市中's round, so not its tasks either
    ]
    assert body["position"] == results[2]["position"] == runtime.store.max_position()
    stored = task_events(runtime, t3)
    assert [type(e) for e in stored[-3:]] == [
        Task.ReportedDone,
        Task.Verified,
        Task.BallotsRecorded,
    ]
    assert {e.actor for e in stored[-3:]} == {SUBJECT}
    found = scenario.office.data(
        RECTIFICATION, {"roundId": scenario.ids["R1"], "minPosition": body["position"]}
    )
    verified = next(t for t in found["rectification"]["tasks"] if t["id"] == t3)
    assert (verified["status"], verified["verifiedOn"]) == ("VERIFIED", "2026-08-05")
    assert verified["ballots"] == {
        "satisfied": 12,
        "basicallySatisfied": 3,
        "dissatisfied": 1,
        "revisits": 1,
    }


def test_a_county_team_records_a_rounds_feedback_with_its_lists(
    http: TestClient,
    gql: GraphQL,
    gql_as: GraphQLAs,
    runtime: Runtime,
    tokens: TokenMint,
) -> None:
    scenario = seed(gql, gql_as, runtime)
    ids = scenario.ids
    headers = tokens.headers(Role.COUNTY_TEAM, ids["lixia"], subject=SUBJECT)
    later = plan_round(runtime, ids["lixia"], date(2026, 9, 1), date(2026, 10, 15), ids["V2"])
    lists = [
        problem("P1", "三资管理", "扶贫资金拨付滞后"),
        task("T1", "P1", "按进度拨付扶贫资金"),
        responsibility("R1", "T1", "2026-12-31"),
    ]
    feedback = {
        "roundId": later,
        "unitId": ids["V2"],
        "givenOn": "2026-10-20",
        "report": "关于乙村的巡察反馈意见",
        "items": lists,
    }
    batch = [
        item("f-1", "recordFeedback", **feedback),
        item("f-2", "recordFeedback", **{**feedback, "report": "再次反馈"}),
        item("f-3", "recordFeedback", **{**feedback, "unitId": ids["V3"]}),
    ]

    body = submit(http, ids["lixia"], batch, headers).json()

    results = body["results"]
    assert [r["status"] for r in results] == ["ACCEPTED", "REJECTED", "REJECTED"]
    assert [r["error"]["rule"] for r in results[1:]] == [
        "FEEDBACK_ALREADY_RECORDED",
        "FEEDBACK_UNIT_NOT_A_TARGET",
    ]
    assert results[0]["id"] == str(feedback_id_for(UUID(later), UUID(ids["V2"])))
    assert body["position"] == results[0]["position"] == runtime.store.max_position()
    found = scenario.office.data(RECTIFICATION, {"roundId": later, "minPosition": body["position"]})
    rectification = found["rectification"]
    assert [(f["id"], f["givenOn"]) for f in rectification["feedbacks"]] == [
        (results[0]["id"], "2026-10-20")
    ]
    assert [(t["key"], t["status"], t["dueOn"]) for t in rectification["tasks"]] == [
        ("T1", "OPEN", "2026-12-31")
    ]


# -- the OpenAPI document ----------------------------------------------------------------------

OPERATION = ("paths", "/api/v1/tenants/{tenantId}/submissions", "post")


def refusal_schema(spec: dict[str, Any], status: str) -> dict[str, Any]:
    """The documented JSON schema of the endpoint's answer with `status`, resolvable alone."""
    operation = spec[OPERATION[0]][OPERATION[1]][OPERATION[2]]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def test_the_endpoint_documents_its_bearer_scheme_refusals_and_commands(
    http: TestClient, runtime: Runtime, ids: dict[str, str], tokens: TokenMint
) -> None:
    spec = http.get("/openapi.json").json()
    operation = spec[OPERATION[0]][OPERATION[1]][OPERATION[2]]
    team = tokens.headers(Role.COUNTY_TEAM, ids["county"], subject=SUBJECT)
    refusals = {
        "401": submit(http, ids["county"], [registration(ids, "c-1")], {}),
        "403": submit(
            http,
            ids["county"],
            [registration(ids, "c-1")],
            tokens.headers(Role.AUDITOR, ids["county"]),
        ),
        "404": submit(
            http,
            str(uuid4()),
            [registration(ids, "c-1")],
            tokens.headers(Role.ADMIN, str(DEPLOYMENT_TENANT)),
        ),
        "413": submit(http, ids["county"], [registration(ids, "c-1")] * (MAX_ITEMS + 1), team),
        "422": submit(http, ids["county"], [{"command": "registerClue"}], team),
    }

    assert spec["components"]["securitySchemes"]["bearer"] | {"description": ""} == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "",
    }
    assert operation["security"] == [{"bearer": []}]
    assert "authorization" not in {p["name"].lower() for p in operation["parameters"]}
    for status, response in refusals.items():
        assert response.status_code == int(status), response.text
        schema = refusal_schema(spec, status)
        assert jsonschema_rs.validator_for(schema).is_valid(response.json()), (status, schema)
        example = operation["responses"][status]["content"]["application/json"]["example"]
        assert jsonschema_rs.validator_for(schema).is_valid(example), status
        assert (
            example["errors"][0]["extensions"]["code"]
            == response.json()["errors"][0]["extensions"]["code"]
        )
    assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]
    accepted = operation["responses"]["200"]["content"]["application/json"]
    assert jsonschema_rs.validator_for(refusal_schema(spec, "200")).is_valid(accepted["example"])
    for name in BATCH_COMMANDS:
        assert f"`{name}`" in operation["description"]


CONCLUDE = """
mutation($input: ConcludeClueInput!) { concludeClue(input: $input) { id position } }
"""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"personsDisciplined": 2_000_000}, "personsDisciplined"),
        ({"clueId": ""}, "clueId"),
        ({"clueId": "not-an-id"}, "clueId"),
    ],
)
def test_graphql_and_a_batch_refuse_a_bad_input_alike_and_write_nothing(
    http: TestClient,
    gql_as: GraphQLAs,
    runtime: Runtime,
    ids: dict[str, str],
    team: dict[str, str],
    changes: dict[str, Any],
    field: str,
) -> None:
    registered = submit(http, ids["county"], [registration(ids, "c-1")], team).json()
    clue_id = registered["results"][0]["id"]
    fields = {"clueId": clue_id, "disposition": "SHELVED"} | changes
    before = len(events_of(runtime, clue_id))

    graphql_error = gql_as(Role.COUNTY_TEAM, ids["county"]).error(CONCLUDE, {"input": fields})
    batch = submit(http, ids["county"], [item("c-2", "concludeClue", **fields)], team).json()

    batch_error = batch["results"][0]["error"]
    assert batch["results"][0]["status"] == "REJECTED"
    assert graphql_error["extensions"] == {
        "code": "VALIDATION_FAILED",
        "label": "输入有误",
        "messageZh": "输入有误，请检查后重新提交",
        "field": field,
    }
    assert (batch_error["code"], batch_error["field"]) == ("VALIDATION_FAILED", field)
    assert graphql_error["message"] == batch_error["message"]
    assert len(events_of(runtime, clue_id)) == before
