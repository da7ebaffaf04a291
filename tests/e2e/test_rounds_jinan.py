"""Jinan's "提级+联动" (济南): an escalated city round on villages of two districts, with a
linked district round under it in each, seen by the city through `linkedRounds`."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.tenants.tenant import tenant_id_for
from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import REGISTER_CLUE, GraphQL
from tests.support.rounds import (
    LINKED_ROUNDS,
    PLAN_ROUND,
    ROUND,
    advance,
    round_list,
    tenant,
    unit,
    write,
)

PERIOD = {"periodStart": "2026-03-01", "periodEnd": "2026-05-31"}


@pytest.fixture
def office(gql_as: GraphQLAs) -> GraphQL:
    """The city's inspection office, which plans and runs the rounds of these tests."""
    return gql_as(Role.CITY_OFFICE, tenant_id_for("3701"))


@pytest.fixture
def jinan(gql: GraphQL) -> dict[str, Any]:
    city = tenant(gql, "3701", "济南市")
    districts = {"lixia": tenant(gql, "370102", "历下区", city)}
    districts["licheng"] = tenant(gql, "370112", "历城区", city)
    villages = {
        name: [unit(gql, d, f"{name}-V{i}", f"{name}{i}村") for i in (1, 2, 3)]
        for name, d in districts.items()
    }
    return {"city": city, **districts, "villages": villages}


def plan(client: GraphQL, **fields: Any) -> dict[str, Any]:
    base = {"kind": "REGULAR", "title": "提级巡察", **PERIOD}
    return write(client, PLAN_ROUND, {**base, **fields})


def clue(gql: GraphQL, tenant_id: str, unit_id: str, round_id: str) -> int:
    fields = {
        "tenantId": tenant_id,
        "unitId": unit_id,
        "roundId": round_id,
        "source": "PETITION",
        "category": "三资管理",
        "summary": "村集体资金未入账",
    }
    return int(gql.data(REGISTER_CLUE, {"input": fields})["registerClue"]["position"])


def test_the_city_sees_its_escalated_round_and_the_linked_district_rounds_at_a_glance(
    gql: GraphQL, jinan: dict[str, Any], office: GraphQL
) -> None:
    v = jinan["villages"]
    parent = plan(
        office,
        tenantId=jinan["city"],
        linkage="ESCALATED",
        targetUnitIds=[v["lixia"][0], v["lixia"][1], v["licheng"][0], v["licheng"][1]],
    )
    lixia_child = plan(
        office,
        tenantId=jinan["lixia"],
        linkage="LINKED",
        parentRoundId=parent["id"],
        title="历下区联动巡察",
        periodStart="2026-03-10",
        targetUnitIds=[v["lixia"][2]],
    )
    licheng_child = plan(
        office,
        tenantId=jinan["licheng"],
        linkage="LINKED",
        parentRoundId=parent["id"],
        title="历城区联动巡察",
        targetUnitIds=[v["licheng"][2]],
    )
    advance(office, parent["id"], ("PREPARING", "2026-03-01"), ("STATIONED", "2026-03-08"))
    advance(office, lixia_child["id"], ("PREPARING", "2026-03-10"), ("STATIONED", "2026-03-15"))
    clue(gql, jinan["city"], v["lixia"][0], parent["id"])
    clue(gql, jinan["lixia"], v["lixia"][2], lixia_child["id"])
    last = clue(gql, jinan["lixia"], v["lixia"][2], lixia_child["id"])

    linked = gql.data(LINKED_ROUNDS, {"cityId": jinan["city"], "minPosition": last, "first": 5})
    assert linked["linkedRounds"]["totalCount"] == 1
    node = linked["linkedRounds"]["edges"][0]["node"]
    assert node["parent"]["id"] == parent["id"]
    assert node["parent"]["linkage"] == "ESCALATED"
    assert node["parent"]["organiser"] == {"code": "3701"}
    assert node["parent"]["progress"] == {
        "targetsTotal": 4,
        "targetsStationed": 4,
        "cluesRegistered": 1,
        "cluesOpen": 1,
        "cluesOverdue": 0,
        "problemsFound": 1,
    }
    assert [c["id"] for c in node["children"]] == [lixia_child["id"], licheng_child["id"]]
    assert [c["parentId"] for c in node["children"]] == [parent["id"]] * 2
    assert [row["county"]["code"] for row in node["counties"]] == ["370102", "370112"]
    rows = {row["countyId"]: row for row in node["counties"]}
    # 历下: the parent's 2 villages (stationed, 1 clue) + its child's village (stationed, 2).
    assert rows[jinan["lixia"]] == {
        "countyId": jinan["lixia"],
        "county": {"code": "370102"},
        "childRounds": 1,
        "progress": {
            "targetsTotal": 3,
            "targetsStationed": 3,
            "cluesRegistered": 3,
            "cluesOpen": 3,
            "cluesOverdue": 0,
            "problemsFound": 3,
        },
    }
    # 历城: the parent's 2 villages (stationed) + its child's village (still planned).
    assert rows[jinan["licheng"]]["childRounds"] == 1
    assert rows[jinan["licheng"]]["progress"] == {
        "targetsTotal": 3,
        "targetsStationed": 2,
        "cluesRegistered": 0,
        "cluesOpen": 0,
        "cluesOverdue": 0,
        "problemsFound": 0,
    }
    assert set(rows) == {jinan["lixia"], jinan["licheng"]}

    child = gql.data(ROUND, {"id": lixia_child["id"]})["round"]
    assert child["phase"] == "STATIONED"
    assert child["phaseDates"] == [
        {"phase": "PLANNED", "on": child["phaseDates"][0]["on"]},
        {"phase": "PREPARING", "on": "2026-03-10"},
        {"phase": "STATIONED", "on": "2026-03-15"},
    ]
    assert child["progress"]["cluesRegistered"] == 2
    assert child["targets"] == [
        {
            "unitId": v["lixia"][2],
            "ownerId": jinan["lixia"],
            "stationed": True,
            "unit": {"name": "lixia3村"},
        }
    ]

    escalated = round_list("escalatedRounds")
    city = jinan["city"]
    assert gql.data(escalated, {"cityId": city})["escalatedRounds"]["totalCount"] == 1
    for filters, expected in [
        ({"countyId": jinan["licheng"]}, 1),
        ({"phase": "STATIONED"}, 1),
        ({"phase": "PLANNED"}, 0),
        ({"periodFrom": "2026-06-01"}, 0),
        ({"periodFrom": "2026-05-31", "periodTo": "2026-12-31"}, 1),
    ]:
        page = gql.data(escalated, {"cityId": city, **filters})["escalatedRounds"]
        assert page["totalCount"] == expected, filters
    assert gql.data(round_list("crossRounds"), {"cityId": city})["crossRounds"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"periodEnd": "2026-06-30"}, "ROUND_LINKED_PERIOD"),
        ({"targetUnitIds": "licheng"}, "ROUND_LINKED_TARGETS"),
        ({"tenantId": "city"}, "ROUND_LINKED_ORGANISER"),
        ({"linkage": "ESCALATED", "parentRoundId": None}, "ROUND_ESCALATED_ORGANISER"),
        ({"targetUnitIds": "parent's"}, "ROUND_TARGET_OCCUPIED"),
    ],
)
def test_a_round_breaking_a_linkage_rule_is_refused_naming_it_and_writes_nothing(
    gql: GraphQL,
    runtime: Runtime,
    jinan: dict[str, Any],
    change: dict[str, Any],
    rule: str,
    office: GraphQL,
) -> None:
    v = jinan["villages"]
    parent = plan(
        office, tenantId=jinan["city"], linkage="ESCALATED", targetUnitIds=[v["lixia"][0]]
    )
    fields: dict[str, Any] = {
        "tenantId": jinan["lixia"],
        "linkage": "LINKED",
        "parentRoundId": parent["id"],
        "targetUnitIds": [v["lixia"][2]],
    }
    fields.update(change)
    if fields["tenantId"] == "city":
        fields["tenantId"] = jinan["city"]
    if fields["targetUnitIds"] == "licheng":
        fields["targetUnitIds"] = [v["licheng"][2]]
    if fields["targetUnitIds"] == "parent's":
        fields["targetUnitIds"] = [v["lixia"][0]]
    before = runtime.store.max_position()

    error = office.error(
        PLAN_ROUND, {"input": {"kind": "REGULAR", "title": "联动", **PERIOD, **fields}}
    )

    assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert error["extensions"]["rule"] == rule
    assert runtime.store.max_position() == before


TRIAGE = "mutation($input: TriageClueInput!) { triageClue(input: $input) { id position } }"
TRANSFER = "mutation($input: TransferClueInput!) { transferClue(input: $input) { id position } }"
ACCEPT = "mutation($input: AcceptClueInput!) { acceptClue(input: $input) { id position } }"
CONCLUDE = "mutation($input: ConcludeClueInput!) { concludeClue(input: $input) { id position } }"
ROUND_AS_OF = """
query($id: ID!, $today: Date, $asOf: DateTime, $minPosition: BigInt) {
  round(id: $id, today: $today, asOf: $asOf, minPosition: $minPosition) {
    version
    progress { cluesRegistered cluesOpen cluesOverdue }
    history { version type actor hash prevHash }
  }
}
"""


def test_a_rounds_progress_counts_open_and_overdue_clues(
    gql: GraphQL, jinan: dict[str, Any], office: GraphQL
) -> None:
    lixia, village = jinan["lixia"], jinan["villages"]["lixia"][0]
    planned = plan(office, tenantId=lixia, linkage="STANDALONE", targetUnitIds=[village])
    before_clues = datetime.now(UTC)
    ids = [
        gql.data(
            REGISTER_CLUE,
            {
                "input": {
                    "tenantId": lixia,
                    "unitId": village,
                    "roundId": planned["id"],
                    "source": "HOTLINE",
                    "category": "工程项目",
                    "summary": f"线索{i}",
                }
            },
        )["registerClue"]["id"]
        for i in range(3)
    ]
    before_transfers = datetime.now(UTC)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    due = today + timedelta(days=5)
    for clue_id in ids[:2]:
        write(
            office, TRIAGE, {"clueId": clue_id, "priority": "KEY", "proposedRoute": "移交纪委监委"}
        )
        write(
            office,
            TRANSFER,
            {
                "clueId": clue_id,
                "handlingBody": "DISCIPLINE_COMMISSION",
                "receivingTenantId": lixia,
                "dueDate": due.isoformat(),
            },
        )
    write(office, ACCEPT, {"clueId": ids[1]})
    last = write(office, CONCLUDE, {"clueId": ids[1], "disposition": "CASE_FILED"})["position"]

    def progress(as_of: date) -> dict[str, int]:
        variables = {"id": planned["id"], "today": as_of.isoformat(), "minPosition": last}
        result: dict[str, int] = gql.data(ROUND_AS_OF, variables)["round"]["progress"]
        return result

    # Clue 0 transferred due in 5 days, clue 1 concluded, clue 2 only registered.
    assert progress(today) == {"cluesRegistered": 3, "cluesOpen": 2, "cluesOverdue": 0}
    later = today + timedelta(days=30)
    assert progress(later) == {"cluesRegistered": 3, "cluesOpen": 2, "cluesOverdue": 1}

    # As it stood at earlier moments, rebuilt from the round's and its clues' events.
    def as_of(moment: datetime) -> dict[str, Any]:
        variables = {"id": planned["id"], "asOf": moment.isoformat(), "today": later.isoformat()}
        result: dict[str, Any] = gql.data(ROUND_AS_OF, variables)["round"]
        return result

    at_start = as_of(before_clues)
    assert at_start["progress"] == {"cluesRegistered": 0, "cluesOpen": 0, "cluesOverdue": 0}
    mid = as_of(before_transfers)
    assert mid["progress"] == {"cluesRegistered": 3, "cluesOpen": 3, "cluesOverdue": 0}
    history = mid["history"]
    assert [entry["version"] for entry in history] == list(range(1, mid["version"] + 1))
    assert history[0]["type"].endswith("Round.Planned")
    assert all(b["prevHash"] == a["hash"] for a, b in itertools.pairwise(history))


ROUNDS = """
query($cityId: ID, $linkage: Linkage, $kind: RoundKind, $minPosition: BigInt) {
  rounds(cityId: $cityId, linkage: $linkage, kind: $kind, minPosition: $minPosition) {
    totalCount edges { node { id linkage kind title } }
  }
}
"""


def test_every_round_a_caller_may_read_is_listed_in_one_place(
    gql_as: GraphQLAs, jinan: dict[str, Any], office: GraphQL
) -> None:
    v = jinan["villages"]
    parent = plan(
        office, tenantId=jinan["city"], linkage="ESCALATED", targetUnitIds=[v["lixia"][0]]
    )
    plan(
        office,
        tenantId=jinan["lixia"],
        linkage="LINKED",
        parentRoundId=parent["id"],
        title="历下区联动巡察",
        targetUnitIds=[v["lixia"][2]],
    )
    special = plan(
        office,
        tenantId=jinan["licheng"],
        kind="THEMATIC",
        theme="村级财务",
        linkage="STANDALONE",
        title="历城区专项巡察",
        targetUnitIds=[v["licheng"][0]],
    )
    seen = {"minPosition": special["position"]}
    lixia_team = gql_as(Role.COUNTY_TEAM, jinan["lixia"])

    def titles(client: GraphQL, **filters: Any) -> list[str]:
        page = client.data(ROUNDS, {**seen, **filters})["rounds"]
        assert page["totalCount"] == len(page["edges"])
        return sorted(edge["node"]["title"] for edge in page["edges"])

    assert titles(office) == sorted(["提级巡察", "历下区联动巡察", "历城区专项巡察"])
    assert titles(office, linkage="LINKED") == ["历下区联动巡察"]
    assert titles(office, kind="THEMATIC") == ["历城区专项巡察"]
    assert titles(lixia_team) == sorted(["提级巡察", "历下区联动巡察"])  # its county's only
    assert titles(lixia_team, cityId=jinan["city"]) == titles(lixia_team)
