"""Haidong's "1+6" (海东): one city round plus six county cross rounds from one
`planCrossBatch`, checked through `round`, `crossRounds` and `coverage`."""

from __future__ import annotations

from typing import Any

import pytest

from domain.tenants.tenant import tenant_id_for
from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import GraphQL
from tests.support.groups import DEFINE_ZONE
from tests.support.rounds import (
    ASSIGN_INSPECTOR,
    COVERAGE,
    PLAN_CROSS_BATCH,
    PLAN_ROUND,
    ROUND,
    advance,
    inspector,
    round_list,
    tenant,
    unit,
    write,
)

COUNTIES = (
    ("630225", "循化县"),
    ("630202", "乐都区"),
    ("630223", "互助县"),
    ("630203", "平安区"),
    ("630224", "化隆县"),
    ("630222", "民和县"),
)
PERIOD = {"periodStart": "2026-04-01", "periodEnd": "2026-06-30"}


@pytest.fixture
def office(gql_as: GraphQLAs) -> GraphQL:
    """The city's inspection office, which plans and runs the rounds of these tests."""
    return gql_as(Role.CITY_OFFICE, tenant_id_for("6302"))


@pytest.fixture
def haidong(gql: GraphQL) -> dict[str, Any]:
    city = tenant(gql, "6302", "海东市")
    counties = {code: tenant(gql, code, name, city) for code, name in COUNTIES}
    townships = {
        code: [unit(gql, county, f"{code}-T{i}", f"{code}第{i}镇", "TOWNSHIP") for i in (1, 2)]
        for code, county in counties.items()
    }
    departments = [unit(gql, city, f"D{i}", f"市直部门{i}", "DEPARTMENT") for i in (1, 2)]
    return {"city": city, "counties": counties, "townships": townships, "departments": departments}


def batch_input(haidong: dict[str, Any], codes: list[str] | None = None) -> dict[str, Any]:
    codes = codes or list(haidong["counties"])
    return {
        "cityId": haidong["city"],
        "mode": "ROTATION",
        "kind": "REGULAR",
        "title": "市县交叉巡察第一轮",
        **PERIOD,
        "counties": [
            {"countyId": haidong["counties"][c], "targetUnitIds": haidong["townships"][c]}
            for c in codes
        ],
    }


def test_one_city_round_and_six_cross_rounds_form_haidongs_one_plus_six(
    gql: GraphQL, haidong: dict[str, Any], office: GraphQL
) -> None:
    city, counties = haidong["city"], haidong["counties"]
    city_round = write(
        office,
        PLAN_ROUND,
        {
            "tenantId": city,
            "kind": "REGULAR",
            "linkage": "STANDALONE",
            "title": "市委第一轮巡察",
            **PERIOD,
            "targetUnitIds": haidong["departments"],
        },
    )
    batch = write(office, PLAN_CROSS_BATCH, batch_input(haidong))
    assert len(batch["roundIds"]) == 6

    crosses = gql.data(
        round_list("crossRounds"), {"cityId": city, "minPosition": batch["position"]}
    )["crossRounds"]
    assert crosses["totalCount"] == 6
    by_id = {code: cid for code, cid in counties.items()}
    code_of = {cid: code for code, cid in by_id.items()}
    pairs = [
        (code_of[n["node"]["inspectingCountyId"]], code_of[n["node"]["owningCountyId"]])
        for n in crosses["edges"]
    ]
    # The ring in code order: each county inspects the next; the last inspects the first.
    assert sorted(pairs) == [
        ("630202", "630203"),
        ("630203", "630222"),
        ("630222", "630223"),
        ("630223", "630224"),
        ("630224", "630225"),
        ("630225", "630202"),
    ]
    for edge in crosses["edges"]:
        node = edge["node"]
        owning = code_of[node["owningCountyId"]]
        assert node["batchId"] == batch["batchId"]
        assert node["organiserId"] == city
        assert node["phase"] == "PLANNED"
        assert {t["unitId"] for t in node["targets"]} == set(haidong["townships"][owning])
        assert all(t["ownerId"] == node["owningCountyId"] for t in node["targets"])
        assert node["progress"]["targetsTotal"] == 2

    city_view = gql.data(ROUND, {"id": city_round["id"]})["round"]
    assert city_view["linkage"] == "STANDALONE"
    assert [t["unit"]["name"] for t in city_view["targets"]] == ["市直部门1", "市直部门2"]

    # A county's team (not the owning county's) staffs its cross round.
    ledu_round = next(
        e["node"] for e in crosses["edges"] if code_of[e["node"]["inspectingCountyId"]] == "630202"
    )
    leader = inspector(office, counties["630202"], "李组长")
    stranger = inspector(office, counties["630203"], "王干部")
    write(
        office,
        ASSIGN_INSPECTOR,
        {"roundId": ledu_round["id"], "inspectorId": leader, "role": "LEADER"},
    )
    refused = office.error(
        ASSIGN_INSPECTOR,
        {"input": {"roundId": ledu_round["id"], "inspectorId": stranger, "role": "MEMBER"}},
    )
    assert refused["extensions"]["rule"] == "TEAM_HOME_OFFICE"

    # The city round and the 乐都→平安 round are stationed: coverage counts their targets.
    advance(office, city_round["id"], ("PREPARING", "2026-04-01"), ("STATIONED", "2026-04-08"))
    last = advance(
        office, ledu_round["id"], ("PREPARING", "2026-04-01"), ("STATIONED", "2026-04-10")
    )
    coverage = gql.data(
        COVERAGE,
        {
            "tenantId": city,
            "termStart": "2022-01-01",
            "termEnd": "2026-12-31",
            "asOf": "2026-07-02",
            "minPosition": last,
        },
    )["coverage"]
    # 14 units: 2 city departments + 6 × 2 townships; 4 inspected (2 departments, 平安's 2).
    assert coverage["units"] == 14
    assert coverage["inspected"] == 4
    assert coverage["rate"] == "0.2857"
    assert coverage["remaining"] == 10
    # 183 days left (2026-07-02 … 2026-12-31) = 0.50 years: ceil(10 × 365.25 / 183) = 20.
    assert coverage["yearsLeft"] == "0.50"
    assert coverage["yearlyPaceNeeded"] == 20
    assert coverage["byUnitType"] == [
        {"unitType": "DEPARTMENT", "units": 2, "inspected": 2, "rate": "1.0000"},
        {"unitType": "TOWNSHIP", "units": 12, "inspected": 2, "rate": "0.1667"},
    ]
    by_county = {row["tenantId"]: (row["units"], row["inspected"]) for row in coverage["byCounty"]}
    assert by_county == {
        city: (2, 2),
        **{cid: (2, 2 if code == "630203" else 0) for code, cid in counties.items()},
    }


def test_a_batch_clashing_with_open_rounds_writes_none_of_its_rounds(
    gql: GraphQL, runtime: Runtime, haidong: dict[str, Any], office: GraphQL
) -> None:
    first = write(office, PLAN_CROSS_BATCH, batch_input(haidong))
    before = runtime.store.max_position()

    error = office.error(PLAN_CROSS_BATCH, {"input": batch_input(haidong)})

    assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert error["extensions"]["rule"] == "ROUND_TARGET_OCCUPIED"
    assert runtime.store.max_position() == before
    crosses = gql.data(
        round_list("crossRounds"), {"cityId": haidong["city"], "minPosition": first["position"]}
    )["crossRounds"]
    assert crosses["totalCount"] == 6


@pytest.mark.parametrize(
    ("codes", "mode", "rule"),
    [
        (["630202", "630203"], "ROTATION", "CROSS_BATCH_TOO_FEW_COUNTIES"),
        (["630202"], "EXCHANGE", "CROSS_BATCH_TOO_FEW_COUNTIES"),
    ],
)
def test_a_batch_without_a_valid_assignment_is_refused_with_the_reason(
    gql: GraphQL,
    runtime: Runtime,
    haidong: dict[str, Any],
    codes: list[str],
    mode: str,
    rule: str,
    office: GraphQL,
) -> None:
    before = runtime.store.max_position()
    error = office.error(PLAN_CROSS_BATCH, {"input": {**batch_input(haidong, codes), "mode": mode}})
    assert error["extensions"]["rule"] == rule
    assert "at least" in error["message"]
    assert runtime.store.max_position() == before


def test_an_exchange_batch_takes_leaders_from_hosts_and_members_from_senders(
    gql: GraphQL, haidong: dict[str, Any], office: GraphQL
) -> None:
    codes = ["630202", "630203", "630222"]
    batch = write(office, PLAN_CROSS_BATCH, {**batch_input(haidong, codes), "mode": "EXCHANGE"})
    counties = haidong["counties"]
    view = gql.data(ROUND, {"id": batch["roundIds"][0], "minPosition": batch["position"]})
    node = view["round"]
    # 乐都 hosts (its townships are inspected); 平安 sends deputy and members.
    assert (node["owningCountyId"], node["inspectingCountyId"]) == (
        counties["630202"],
        counties["630203"],
    )
    host_leader = inspector(office, counties["630202"], "乐都组长")
    sender_member = inspector(office, counties["630203"], "平安组员")
    write(
        office,
        ASSIGN_INSPECTOR,
        {"roundId": node["id"], "inspectorId": host_leader, "role": "LEADER"},
    )
    last = write(
        office,
        ASSIGN_INSPECTOR,
        {"roundId": node["id"], "inspectorId": sender_member, "role": "MEMBER"},
    )
    team = gql.data(ROUND, {"id": node["id"], "minPosition": last["position"]})["round"]["team"]
    assert [(m["name"], m["role"]) for m in team] == [
        ("乐都组长", "LEADER"),
        ("平安组员", "MEMBER"),
    ]


def test_a_batch_over_a_zone_of_counties_takes_only_its_counties(
    runtime: Runtime, haidong: dict[str, Any], office: GraphQL
) -> None:
    counties = haidong["counties"]
    zone = write(
        office,
        DEFINE_ZONE,
        {
            "tenantId": haidong["city"],
            "name": "湟水片区",
            "memberIds": [counties[c] for c in ("630202", "630203", "630223")],
        },
    )["id"]
    before = runtime.store.max_position()
    error = office.error(PLAN_CROSS_BATCH, {"input": {**batch_input(haidong), "zoneId": zone}})
    assert error["extensions"]["rule"] == "ZONE_OUTSIDE"
    assert runtime.store.max_position() == before
    inside = batch_input(haidong, ["630202", "630203", "630223"])
    assert len(write(office, PLAN_CROSS_BATCH, {**inside, "zoneId": zone})["roundIds"]) == 3
