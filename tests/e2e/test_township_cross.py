"""Hanjiang's 推磨式 cross inspection inside one district, through GraphQL as a client: the
district forms extension groups drawn from its townships and a supervisory group, plans a
batch in which each group inspects chosen villages of another township, and reads who
inspects whom; refused batches leave nothing behind."""

from __future__ import annotations

from typing import Any

import pytest

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import REGISTER_CLUE, GraphQL
from tests.support.groups import (
    CHANGE_MEMBERS,
    DEFINE_ZONE,
    GROUPS,
    PLAN_TOWNSHIP_BATCH,
    TOWNSHIP_ROUNDS,
    District,
    hanjiang,
    township_unit,
)
from tests.support.rounds import ASSIGN_INSPECTOR, PLAN_ROUND, ROUND, inspector, write


@pytest.fixture
def district(gql: GraphQL) -> District:
    return hanjiang(gql)


@pytest.fixture
def office(gql_as: GraphQLAs, district: District) -> GraphQL:
    """The district's inspection office, which forms the groups and plans the batch."""
    return gql_as(Role.COUNTY_TEAM, district.district)


def rounds_of(gql: GraphQL, district: District, position: int, **args: Any) -> list[Any]:
    found = gql.data(
        TOWNSHIP_ROUNDS, {"tenantId": district.district, "minPosition": position, **args}
    )["townshipCrossRounds"]
    return [edge["node"] for edge in found["edges"]]


def test_each_group_inspects_the_chosen_villages_of_the_next_township_never_its_own(
    office: GraphQL, district: District
) -> None:
    east = write(
        office,
        DEFINE_ZONE,
        {
            "tenantId": district.district,
            "name": "东片区",
            "memberIds": [t.id for t in district.townships.values()],
        },
    )["id"]
    batch_input = district.batch(supervisoryGroupId=district.supervisory, zoneId=east)
    # 第2镇's first village is also hard to manage; the filter finds it by either reason.
    second = district.townships["第2镇"]
    batch_input["townships"][1]["targets"][0]["reasons"] = ["WEAK_AND_LAX", "HARD_TO_MANAGE"]
    batch = write(office, PLAN_TOWNSHIP_BATCH, batch_input)
    assert len(batch["roundIds"]) == 4

    rounds = rounds_of(office, district, batch["position"], batchId=batch["batchId"])
    name_of = {t.id: name for name, t in district.townships.items()}
    who_inspects_whom = sorted(
        (r["crossing"]["homeTownship"]["name"], r["crossing"]["owningTownship"]["name"])
        for r in rounds
    )
    assert who_inspects_whom == [
        ("第1镇", "第2镇"),
        ("第2镇", "第3镇"),
        ("第3镇", "第4镇"),
        ("第4镇", "第1镇"),
    ]
    for node in rounds:
        crossing = node["crossing"]
        home = district.townships[crossing["homeTownship"]["name"]]
        owning = district.townships[name_of[crossing["owningTownshipId"]]]
        assert crossing["mode"] == "ROTATION"
        assert (crossing["zoneId"], crossing["zone"]) == (east, "东片区")
        assert crossing["inspectingGroupId"] == home.group
        assert crossing["inspectingGroup"]["name"] == f"{home.name}延伸巡察组"
        assert crossing["supervisoryGroup"] == {"name": "区委督导组", "kind": "SUPERVISORY"}
        assert node["linkage"] == "STANDALONE"
        assert node["organiserId"] == district.district
        assert {t["unitId"] for t in node["targets"]} == set(owning.villages)
        # the whole group (全建制) is the team
        assert sorted((m["inspectorId"], m["role"]) for m in node["team"]) == sorted(
            [
                (home.cadres["leader"], "LEADER"),
                (home.cadres["deputy"], "DEPUTY_LEADER"),
                (home.cadres["member"], "MEMBER"),
                (home.cadres["liaison"], "LIAISON"),
            ]
        )

    hard = rounds_of(office, district, batch["position"], selectionReason="HARD_TO_MANAGE")
    assert [r["crossing"]["owningTownshipId"] for r in hard] == [second.id]
    reasons = {t["unitId"]: t["reasons"] for t in hard[0]["targets"]}
    assert reasons[second.villages[0]] == ["WEAK_AND_LAX", "HARD_TO_MANAGE"]
    assert reasons[second.villages[1]] == ["WEAK_AND_LAX"]
    by_group = rounds_of(office, district, batch["position"], groupId=second.group)
    assert [r["crossing"]["owningTownship"]["name"] for r in by_group] == ["第3镇"]


def test_the_city_reads_the_districts_groups_and_rounds_and_another_county_does_not(
    gql: GraphQL, gql_as: GraphQLAs, office: GraphQL, district: District
) -> None:
    batch = write(office, PLAN_TOWNSHIP_BATCH, district.batch())
    city = gql_as(Role.CITY_OFFICE, district.city)
    groups = city.data(GROUPS, {"tenantId": district.district, "minPosition": batch["position"]})[
        "inspectionGroups"
    ]
    assert groups["totalCount"] == 5
    supervisory = city.data(GROUPS, {"tenantId": district.district, "kind": "SUPERVISORY"})[
        "inspectionGroups"
    ]
    assert [e["node"]["name"] for e in supervisory["edges"]] == ["区委督导组"]
    first = next(e["node"] for e in groups["edges"] if e["node"]["name"] == "第1镇延伸巡察组")
    assert first["homeTownship"] == {"name": "第1镇"}
    assert first["leaderId"] == district.townships["第1镇"].cadres["leader"]
    assert len(rounds_of(city, district, batch["position"])) == 4

    neighbour = gql.data(
        "mutation($input: RegisterTenantInput!) { registerTenant(input: $input) { id } }",
        {"input": {"code": "429005", "name": "邻区", "level": "COUNTY", "parentId": district.city}},
    )["registerTenant"]["id"]
    stranger = gql_as(Role.COUNTY_TEAM, neighbour)
    refused = stranger.error(GROUPS, {"tenantId": district.district})
    assert refused["extensions"]["code"] == "NOT_FOUND"


def refused(runtime: Runtime, office: GraphQL, batch_input: dict[str, Any]) -> dict[str, Any]:
    """The batch's refusal; nothing was written."""
    before = runtime.store.max_position()
    error = office.error(PLAN_TOWNSHIP_BATCH, {"input": batch_input})
    assert runtime.store.max_position() == before
    return error


def test_a_group_named_for_a_township_it_is_not_drawn_from_is_refused(
    runtime: Runtime, office: GraphQL, district: District
) -> None:
    batch_input = district.batch()
    first, second = batch_input["townships"][:2]
    first["groupId"], second["groupId"] = second["groupId"], first["groupId"]
    error = refused(runtime, office, batch_input)
    assert error["extensions"]["rule"] == "CROSS_GROUP_HOME_TOWNSHIP"


def test_a_village_of_another_township_is_refused(
    runtime: Runtime, office: GraphQL, district: District
) -> None:
    batch_input = district.batch()
    batch_input["townships"][0]["targets"].append(
        {"unitId": district.townships["第3镇"].villages[0], "reasons": []}
    )
    error = refused(runtime, office, batch_input)
    assert error["extensions"]["rule"] == "CROSS_TARGET_TOWNSHIP"
    assert error["extensions"]["unitId"] == district.townships["第3镇"].villages[0]


def test_a_member_posted_in_the_township_to_be_inspected_recuses_by_home_township(
    gql: GraphQL, runtime: Runtime, office: GraphQL, district: District
) -> None:
    # 第1镇's group inspects 第2镇; a new member of it holds a post in a village of 第2镇
    # that is not among the targets: only the home-township rule (地域回避) catches it.
    first, second = district.townships["第1镇"], district.townships["第2镇"]
    other_village = township_unit(gql, district.district, "T2V9", "2镇9村", "VILLAGE", second.id)
    posted = inspector(
        office,
        district.district,
        "赵干部",
        postings=[{"unitId": other_village, "start": "2024-01-01"}],
    )
    write(
        office,
        CHANGE_MEMBERS,
        {
            "groupId": first.group,
            "leaderId": first.cadres["leader"],
            "memberIds": [first.cadres["member"], posted],
            "reason": "补充力量",
        },
    )
    error = refused(runtime, office, district.batch())
    assert error["extensions"]["rule"] == "RECUSAL_HOME_TOWNSHIP"
    assert error["extensions"]["inspectorId"] == posted
    assert error["extensions"]["unitId"] == second.id


def test_two_townships_cannot_rotate(runtime: Runtime, office: GraphQL, district: District) -> None:
    error = refused(runtime, office, district.batch(["第1镇", "第2镇"]))
    assert error["extensions"]["rule"] == "CROSS_BATCH_TOO_FEW_COUNTIES"
    assert "at least 3 townships" in error["message"]


def test_an_exchange_takes_leader_and_liaison_from_the_host_township(
    office: GraphQL, district: District
) -> None:
    names = ["第1镇", "第2镇", "第3镇"]
    batch = write(office, PLAN_TOWNSHIP_BATCH, district.batch(names, mode="EXCHANGE"))
    rounds = rounds_of(office, district, batch["position"])
    host = district.townships["第1镇"]
    hosted = next(r for r in rounds if r["crossing"]["owningTownshipId"] == host.id)
    sender = district.townships["第2镇"]
    assert hosted["crossing"]["hostGroupId"] == host.group
    assert hosted["crossing"]["inspectingGroupId"] == sender.group
    assert sorted((m["inspectorId"], m["role"]) for m in hosted["team"]) == sorted(
        [
            (host.cadres["leader"], "LEADER"),
            (host.cadres["liaison"], "LIAISON"),
            (sender.cadres["deputy"], "DEPUTY_LEADER"),
            (sender.cadres["member"], "MEMBER"),
        ]
    )


def test_a_cadre_of_no_group_of_the_round_is_refused_a_place_on_its_team(
    office: GraphQL, district: District
) -> None:
    batch = write(office, PLAN_TOWNSHIP_BATCH, district.batch())
    outsider = inspector(office, district.district, "钱干部")
    error = office.error(
        ASSIGN_INSPECTOR,
        {"input": {"roundId": batch["roundIds"][0], "inspectorId": outsider, "role": "MEMBER"}},
    )
    assert error["extensions"]["rule"] == "TEAM_GROUP"
    view = office.data(ROUND, {"id": batch["roundIds"][0], "minPosition": batch["position"]})
    assert outsider not in {m["inspectorId"] for m in view["round"]["team"]}


LEDGER_WITH_CROSSING = """
query($tenantId: ID, $minPosition: BigInt) {
  clueLedger(tenantId: $tenantId, minPosition: $minPosition) {
    edges { node {
      summary roundId unit { name }
      crossing { inspectingGroup { name } homeTownship { name } owningTownship { name } }
    } }
  }
}
"""


def test_the_clue_ledger_shows_the_group_that_found_a_clue_and_the_township(
    office: GraphQL, district: District
) -> None:
    batch = write(office, PLAN_TOWNSHIP_BATCH, district.batch())
    rounds = rounds_of(office, district, batch["position"])
    second = district.townships["第2镇"]
    on_second = next(r for r in rounds if r["crossing"]["owningTownshipId"] == second.id)
    fields = {
        "tenantId": district.district,
        "roundId": on_second["id"],
        "unitId": second.villages[0],
        "source": "INTERVIEW",
        "category": "三资管理",
        "summary": "集体资产发包未经村民代表会议",
    }
    found = write(office, REGISTER_CLUE, fields)
    outside = write(
        office,
        REGISTER_CLUE,
        {**fields, "roundId": None, "summary": "信访反映低保优亲厚友"},
    )
    ledger = office.data(
        LEDGER_WITH_CROSSING,
        {"tenantId": district.district, "minPosition": max(found["position"], outside["position"])},
    )["clueLedger"]
    by_summary = {e["node"]["summary"]: e["node"] for e in ledger["edges"]}
    assert by_summary["集体资产发包未经村民代表会议"]["crossing"] == {
        "inspectingGroup": {"name": "第1镇延伸巡察组"},
        "homeTownship": {"name": "第1镇"},
        "owningTownship": {"name": "第2镇"},
    }
    assert by_summary["信访反映低保优亲厚友"]["crossing"] is None


def test_a_batch_over_a_zone_refuses_a_township_outside_it(
    runtime: Runtime, office: GraphQL, district: District
) -> None:
    names = ["第1镇", "第2镇", "第3镇"]
    west = write(
        office,
        DEFINE_ZONE,
        {
            "tenantId": district.district,
            "name": "西片区",
            "memberIds": [district.townships[n].id for n in names],
        },
    )["id"]
    error = refused(runtime, office, district.batch(zoneId=west))
    assert error["extensions"]["rule"] == "ZONE_OUTSIDE"
    assert error["extensions"]["memberId"] == district.townships["第4镇"].id
    batch = write(office, PLAN_TOWNSHIP_BATCH, district.batch(names, zoneId=west))
    assert len(batch["roundIds"]) == 3


ESCALATED_BY_REASON = """
query($cityId: ID!, $reason: SelectionReason, $minPosition: BigInt) {
  escalatedRounds(cityId: $cityId, selectionReason: $reason, minPosition: $minPosition) {
    totalCount edges { node { title targets { unitId reasons } } }
  }
}
"""


def test_a_round_records_why_its_villages_were_chosen_and_lists_filter_by_it(
    gql: GraphQL, runtime: Runtime, district: District
) -> None:
    first, second = district.townships["第1镇"], district.townships["第2镇"]
    plan = {
        "tenantId": district.city,
        "kind": "REGULAR",
        "linkage": "ESCALATED",
        "title": "提级巡察矛盾突出村",
        "periodStart": "2026-07-01",
        "periodEnd": "2026-07-31",
        "targetUnitIds": [first.villages[0], second.villages[0]],
        "targetReasons": [
            {"unitId": first.villages[0], "reasons": ["CONFLICT_RIDDEN", "ECONOMICALLY_WEAK"]}
        ],
    }
    before = runtime.store.max_position()
    stray = {**plan, "targetReasons": [{"unitId": first.villages[1], "reasons": ["HARD_ELECTION"]}]}
    error = gql.error(PLAN_ROUND, {"input": stray})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "VALIDATION_FAILED",
        "targetReasons",
    )
    assert runtime.store.max_position() == before
    planned = write(gql, PLAN_ROUND, plan)
    variables = {"cityId": district.city, "minPosition": planned["position"]}
    conflict = gql.data(ESCALATED_BY_REASON, {**variables, "reason": "CONFLICT_RIDDEN"})
    (node,) = [e["node"] for e in conflict["escalatedRounds"]["edges"]]
    assert {t["unitId"]: t["reasons"] for t in node["targets"]} == {
        first.villages[0]: ["CONFLICT_RIDDEN", "ECONOMICALLY_WEAK"],
        second.villages[0]: [],
    }
    none = gql.data(ESCALATED_BY_REASON, {**variables, "reason": "HARD_TO_MANAGE"})
    assert none["escalatedRounds"]["totalCount"] == 0
