"""Data comparison over GraphQL, as an office's client uses it: run a model, list the runs
and candidates (reasons, masked, only with the data clearance), view a candidate's evidence
(recorded), promote it to a clue, and read the per-model figures."""

from __future__ import annotations

import time
from uuid import UUID

from fastapi import FastAPI
from fastapi.testclient import TestClient

from domain.comparison.values import DatasetKind
from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.auth import TokenMint
from tests.support.comparison import WORLD, P, csv_bytes, office_with_units, register_world

RUN = """mutation($input: RunComparisonInput!) {
  runComparison(input: $input) { id position hitCount newCandidates durationMs } }"""
CANDIDATES = """query($t: ID!, $p: BigInt) {
  comparisonCandidates(tenantId: $t, minPosition: $p) {
    id modelCode status reason unitId clueId } }"""
EVIDENCE = """mutation($input: ViewCandidateEvidenceInput!) {
  viewCandidateEvidence(input: $input) { id position reason evidence { column value } } }"""
PROMOTE = """mutation($input: PromoteCandidateInput!) {
  promoteCandidate(input: $input) { id position } }"""
FIGURES = """query($t: ID!, $p: BigInt) {
  comparisonModelFigures(tenantId: $t, minPosition: $p) {
    modelCode runs hits candidates promoted concluded } }"""
RUNS = """query($t: ID!, $p: BigInt) {
  comparisonRuns(tenantId: $t, minPosition: $p) { id modelCode engine hitCount } }"""


def test_an_office_with_the_data_clearance_runs_a_model_and_triages_its_candidate(
    runtime: Runtime, gql_as: GraphQLAs
) -> None:
    city, county = office_with_units(runtime)
    register_world(runtime, city)
    office = gql_as(Role.CITY_OFFICE, city, data_clearance=True)
    ran = office.data(RUN, {"input": {"tenantId": str(city), "modelCode": "DECEASED_STILL_PAID"}})
    assert (ran["runComparison"]["hitCount"], ran["runComparison"]["newCandidates"]) == (1, 1)
    position = ran["runComparison"]["position"]

    runs = office.data(RUNS, {"t": str(city), "p": position})["comparisonRuns"]
    assert [(r["modelCode"], r["engine"], r["hitCount"]) for r in runs] == [
        ("DECEASED_STILL_PAID", "DUCKDB", 1)
    ]
    (candidate,) = office.data(CANDIDATES, {"t": str(city), "p": position})["comparisonCandidates"]
    assert candidate["status"] == "OPEN"
    assert candidate["reason"].startswith(f"{P[9].name[0]}*（{P[9].masked}）已于2026-01-10死亡")

    team = gql_as(Role.COUNTY_TEAM, county)
    (seen,) = team.data(CANDIDATES, {"t": str(county), "p": position})["comparisonCandidates"]
    assert (seen["id"], seen["reason"]) == (candidate["id"], None)  # no data clearance
    refused = team.error(EVIDENCE, {"input": {"candidateId": candidate["id"]}})
    assert refused["extensions"]["code"] == "FORBIDDEN"

    shown = office.data(EVIDENCE, {"input": {"candidateId": candidate["id"]}})
    evidence = {e["column"]: e["value"] for e in shown["viewCandidateEvidence"]["evidence"]}
    assert evidence["id_number_masked"] == P[9].masked
    assert evidence["name_masked"] == P[9].name[0] + "*"
    assert P[9].id_number not in str(shown)
    topics = [e.topic for e in runtime.store.recorder.select_events(UUID(candidate["id"]))]
    assert topics[-1].endswith("EvidenceViewed")

    promoted = office.data(
        PROMOTE, {"input": {"candidateId": candidate["id"], "category": "惠农政策落实"}}
    )
    position = promoted["promoteCandidate"]["position"]
    (after,) = office.data(CANDIDATES, {"t": str(city), "p": position})["comparisonCandidates"]
    assert after["status"] == "PROMOTED"
    assert after["clueId"]
    figures = office.data(FIGURES, {"t": str(city), "p": position})["comparisonModelFigures"]
    assert figures == [
        {
            "modelCode": "DECEASED_STILL_PAID",
            "runs": 1,
            "hits": 1,
            "candidates": 1,
            "promoted": 1,
            "concluded": 0,
        }
    ]
    statistics = office.data(
        "query($t: ID!, $p: BigInt) { statistics(tenantId: $t, minPosition: $p) { "
        "byComparisonModel { modelCode promoted } } }",
        {"t": str(city), "p": position},
    )["statistics"]
    assert statistics["byComparisonModel"] == [{"modelCode": "DECEASED_STILL_PAID", "promoted": 1}]


def test_an_office_model_that_writes_or_reads_elsewhere_is_refused_and_nothing_recorded(
    runtime: Runtime, gql_as: GraphQLAs
) -> None:
    city, _ = office_with_units(runtime)
    office = gql_as(Role.CITY_OFFICE, city, data_clearance=True)
    document = """mutation($input: DefineComparisonModelInput!) {
      defineComparisonModel(input: $input) { id position } }"""
    given = {
        "tenantId": str(city),
        "code": "OWN",
        "title": "自定义",
        "kinds": ["FARM_SUBSIDY"],
        "reasonTemplate": "{amount}元",
    }
    head = runtime.store.max_position()
    for sql in (
        "SELECT unit_code, id_number_key AS match_key, amount FROM public_payroll",
        "DROP TABLE farm_subsidy",
    ):
        error = office.error(document, {"input": {**given, "sql": sql}})
        assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert runtime.store.max_position() == head
    ok = "SELECT unit_code, id_number_key AS match_key, amount FROM farm_subsidy"
    assert office.data(document, {"input": {**given, "sql": ok}})["defineComparisonModel"]["id"]


def test_a_comparison_started_as_a_job_is_followed_until_its_run_is_recorded(
    runtime: Runtime, gql_as: GraphQLAs
) -> None:
    city, _ = office_with_units(runtime)
    register_world(runtime, city)
    office = gql_as(Role.CITY_OFFICE, city, data_clearance=True)
    started = office.data(
        """mutation($input: StartComparisonInput!) {
          startComparison(input: $input) { jobId position } }""",
        {"input": {"tenantId": str(city), "modelCode": "CADRE_KIN_CONTRACTS"}},
    )["startComparison"]
    jobs = """query($t: ID!) { comparisonJobs(tenantId: $t) {
      id status progress runId error } }"""
    ends = time.monotonic() + 60
    while True:
        (job,) = office.data(jobs, {"t": str(city)})["comparisonJobs"]
        if job["status"] != "RUNNING" or time.monotonic() > ends:
            break
        time.sleep(0.1)
    assert (job["id"], job["status"], job["progress"]) == (started["jobId"], "DONE", 100.0)
    runs = office.data(RUNS, {"t": str(city), "p": runtime.store.max_position()})
    assert [r["id"] for r in runs["comparisonRuns"]] == [job["runId"]]
    cancel = """mutation($input: CancelComparisonInput!) {
      cancelComparison(input: $input) { id position } }"""
    refused = gql_as(Role.CITY_OFFICE, city).error(cancel, {"input": {"jobId": job["id"]}})
    assert refused["extensions"]["code"] == "FORBIDDEN"


def test_an_office_with_the_data_clearance_uploads_a_dataset_and_a_bad_one_is_refused_whole(
    runtime: Runtime, app: FastAPI, tokens: TokenMint
) -> None:
    city, _ = office_with_units(runtime)
    kind = DatasetKind.PUBLIC_PAYROLL
    form = {"tenantId": str(city), "kind": kind.value, "period": "2026年10月"}
    good = {"file": ("财政供养.csv", csv_bytes(kind, WORLD[kind], "gbk"))}
    bad_rows = [{**row, "id_number": row["id_number"][:17] + "Y"} for row in WORLD[kind]]
    bad = {"file": ("财政供养.csv", csv_bytes(kind, bad_rows, "gbk"))}
    cleared = tokens.headers(Role.CITY_OFFICE, city, data_clearance=True)
    with TestClient(app, headers=tokens.headers(Role.CITY_OFFICE, city)) as http:
        refused = http.post("/imports/datasets", data=form, files=good)
    with TestClient(app, headers=cleared) as http:
        registered = http.post("/imports/datasets", data=form, files=good)
        head = runtime.store.max_position()
        problems = http.post("/imports/datasets", data=form, files=bad)
    assert refused.status_code == 403
    assert registered.status_code == 200, registered.text
    assert (registered.json()["row_count"], registered.json()["kind"]) == (3, kind.value)
    assert problems.status_code == 400
    error = problems.json()["errors"][0]
    assert [p["row"] for p in error["extensions"]["problems"]] == [2, 3, 4]
    assert bad_rows[0]["id_number"] not in problems.text
    assert runtime.store.max_position() == head
