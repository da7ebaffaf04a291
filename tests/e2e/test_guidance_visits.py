"""Jinhua's guidance groups (指导组): a group of the city squats in a village of a county's
round (蹲点指导) and leaves suggestions; the city and the county both read the visit, another
county does not; a visit the rules refuse leaves nothing."""

from __future__ import annotations

from typing import Any

import pytest

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import GraphQL
from tests.support.groups import form_group
from tests.support.rounds import PLAN_ROUND, inspector, tenant, unit, write

RECORD_VISIT = """
mutation($input: RecordGuidanceVisitInput!) { recordGuidanceVisit(input: $input) { id position } }
"""
VISITS = """
query($roundId: ID, $minPosition: BigInt) {
  guidanceVisits(roundId: $roundId, minPosition: $minPosition) {
    totalCount
    edges { node { groupName group { name kind } unit { name } startedOn endedOn suggestions } }
  }
}
"""


@pytest.fixture
def jinhua(gql: GraphQL) -> dict[str, Any]:
    city = tenant(gql, "3307", "金华市")
    county = tenant(gql, "330723", "武义县", city)
    other = tenant(gql, "330726", "浦江县", city)
    villages = [unit(gql, county, f"V{i}", f"武义{i}村") for i in (1, 2)]
    spare = unit(gql, county, "V9", "武义9村")
    round_id = write(
        gql,
        PLAN_ROUND,
        {
            "tenantId": county,
            "kind": "REGULAR",
            "linkage": "STANDALONE",
            "title": "县委第三轮巡察",
            "periodStart": "2026-04-01",
            "periodEnd": "2026-06-30",
            "targetUnitIds": villages,
        },
    )["id"]
    guidance = form_group(
        gql, city, "市委第一指导组", "GUIDANCE", leaderId=inspector(gql, city, "指导组长")
    )
    return {
        "city": city,
        "county": county,
        "other": other,
        "villages": villages,
        "spare": spare,
        "round": round_id,
        "guidance": guidance,
    }


def visit(jinhua: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "groupId": jinhua["guidance"],
        "roundId": jinhua["round"],
        "unitId": jinhua["villages"][0],
        "startedOn": "2026-04-08",
        "endedOn": "2026-04-12",
        "suggestions": ["规范三资台账", "落实村务监督委员会职责"],
        **changes,
    }


def test_the_city_and_the_county_read_the_city_groups_visit_and_its_suggestions(
    gql_as: GraphQLAs, jinhua: dict[str, Any]
) -> None:
    city = gql_as(Role.CITY_OFFICE, jinhua["city"])
    written = write(city, RECORD_VISIT, visit(jinhua))
    variables = {"roundId": jinhua["round"], "minPosition": written["position"]}
    for reader in (city, gql_as(Role.COUNTY_TEAM, jinhua["county"])):
        visits = reader.data(VISITS, variables)["guidanceVisits"]
        assert visits["totalCount"] == 1
        assert visits["edges"][0]["node"] == {
            "groupName": "市委第一指导组",
            "group": {"name": "市委第一指导组", "kind": "GUIDANCE"} if reader is city else None,
            "unit": {"name": "武义1村"},
            "startedOn": "2026-04-08",
            "endedOn": "2026-04-12",
            "suggestions": ["规范三资台账", "落实村务监督委员会职责"],
        }
    stranger = gql_as(Role.COUNTY_TEAM, jinhua["other"])
    assert stranger.data(VISITS, variables)["guidanceVisits"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"unitId": "spare"}, "VISIT_UNIT_NOT_TARGET"),
        ({"endedOn": "2026-07-02"}, "VISIT_PERIOD"),
        ({"groupId": "extension"}, "VISIT_GROUP_KIND"),
    ],
)
def test_a_visit_the_rules_refuse_records_nothing(
    gql: GraphQL, runtime: Runtime, jinhua: dict[str, Any], change: dict[str, str], rule: str
) -> None:
    if change.get("groupId") == "extension":
        township = unit(gql, jinhua["city"], "T1", "市直单位", "TOWNSHIP")
        leader = inspector(gql, jinhua["city"], "组长")
        change = {
            "groupId": form_group(
                gql, jinhua["city"], "延伸组", "EXTENSION", homeTownshipId=township, leaderId=leader
            )
        }
    given = {k: jinhua.get(v, v) for k, v in change.items()}
    before = runtime.store.max_position()
    error = gql.error(RECORD_VISIT, {"input": visit(jinhua, **given)})
    assert error["extensions"]["rule"] == rule
    assert runtime.store.max_position() == before
