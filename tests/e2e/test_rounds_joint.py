"""A joint round (联合巡察) of Jinan and two districts: the mixed team with recusal (回避),
petition channels and phases through `jointRounds` and `round`; every refusal writes nothing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.tenants.tenant import tenant_id_for
from infrastructure.auth import Role
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import GraphQL
from tests.support.rounds import (
    ADVANCE_PHASE,
    ASSIGN_INSPECTOR,
    CLOSE_CHANNEL,
    DECLARE_RECUSAL,
    OPEN_CHANNEL,
    PLAN_ROUND,
    ROUND,
    advance,
    inspector,
    round_list,
    tenant,
    unit,
    write,
)


@pytest.fixture
def office(gql_as: GraphQLAs) -> GraphQL:
    """The city's inspection office, which plans and runs the rounds of these tests."""
    return gql_as(Role.CITY_OFFICE, tenant_id_for("3701"))


@pytest.fixture
def joint(gql: GraphQL, office: GraphQL) -> dict[str, Any]:
    city = tenant(gql, "3701", "济南市")
    lixia = tenant(gql, "370102", "历下区", city)
    licheng = tenant(gql, "370112", "历城区", city)
    village = unit(gql, lixia, "V1", "甲村")
    department = unit(gql, city, "D1", "市农业农村局", "DEPARTMENT")
    planned = write(
        office,
        PLAN_ROUND,
        {
            "tenantId": city,
            "kind": "THEMATIC",
            "theme": "农村集体三资管理",
            "linkage": "JOINT",
            "title": "市区联合专项巡察",
            "periodStart": "2026-09-01",
            "periodEnd": "2026-10-31",
            "targetUnitIds": [village, department],
            "coOrganiserIds": [lixia, licheng],
        },
    )
    return {
        "city": city,
        "lixia": lixia,
        "licheng": licheng,
        "village": village,
        "department": department,
        "round": planned["id"],
    }


def assign(client: GraphQL, round_id: str, inspector_id: str, role: str) -> dict[str, Any]:
    return write(
        client, ASSIGN_INSPECTOR, {"roundId": round_id, "inspectorId": inspector_id, "role": role}
    )


def test_a_joint_team_mixes_co_organisers_and_shows_no_recused_member(
    gql: GraphQL, joint: dict[str, Any], office: GraphQL
) -> None:
    round_id = joint["round"]
    leader = inspector(office, joint["city"], "张组长")
    member = inspector(office, joint["licheng"], "李组员")
    recusing = inspector(office, joint["city"], "赵组员")
    assign(office, round_id, leader, "LEADER")
    assign(office, round_id, member, "MEMBER")
    assign(office, round_id, recusing, "LIAISON")
    write(
        office,
        DECLARE_RECUSAL,
        {
            "roundId": round_id,
            "inspectorId": recusing,
            "unitId": joint["village"],
            "reason": "曾在该村驻村帮扶",
            "declaredOn": "2026-08-28",
        },
    )
    write(
        office,
        OPEN_CHANNEL,
        {
            "roundId": round_id,
            "channel": "HOTLINE",
            "address": "0531-12388",
            "openedOn": "2026-09-01",
            "closesOn": "2026-10-15",
        },
    )
    write(
        office,
        OPEN_CHANNEL,
        {
            "roundId": round_id,
            "channel": "QR_CODE",
            "address": "https://x.invalid/q",
            "openedOn": "2026-09-02",
        },
    )
    write(
        office, CLOSE_CHANNEL, {"roundId": round_id, "channel": "HOTLINE", "closedOn": "2026-10-15"}
    )
    last = advance(office, round_id, ("PREPARING", "2026-08-20"), ("STATIONED", "2026-09-01"))

    page = gql.data(round_list("jointRounds"), {"cityId": joint["city"], "minPosition": last})
    assert page["jointRounds"]["totalCount"] == 1
    node = page["jointRounds"]["edges"][0]["node"]
    assert node["kind"] == "THEMATIC"
    assert node["theme"] == "农村集体三资管理"
    assert node["coOrganiserIds"] == [joint["lixia"], joint["licheng"]]
    assert [(m["name"], m["role"], m["homeTenantId"]) for m in node["team"]] == [
        ("张组长", "LEADER", joint["city"]),
        ("李组员", "MEMBER", joint["licheng"]),
    ]
    assert node["recusals"] == [
        {
            "inspectorId": recusing,
            "unitId": joint["village"],
            "reason": "曾在该村驻村帮扶",
            "declaredOn": "2026-08-28",
        }
    ]
    assert node["petitionChannels"] == [
        {
            "channel": "HOTLINE",
            "address": "0531-12388",
            "openedOn": "2026-09-01",
            "closesOn": "2026-10-15",
            "closedOn": "2026-10-15",
        },
        {
            "channel": "QR_CODE",
            "address": "https://x.invalid/q",
            "openedOn": "2026-09-02",
            "closesOn": None,
            "closedOn": None,
        },
    ]
    assert node["progress"]["targetsStationed"] == 2
    for county in ("lixia", "licheng"):
        filtered = gql.data(
            round_list("jointRounds"), {"cityId": joint["city"], "countyId": joint[county]}
        )
        assert filtered["jointRounds"]["totalCount"] == 1
    other = gql.data(round_list("jointRounds"), {"cityId": joint["lixia"]})
    assert other["jointRounds"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("who", "rule"),
    [
        ("lixia", "RECUSAL_HOME_AREA"),
        ("posted", "RECUSAL_POST"),
        ("kin", "RECUSAL_KINSHIP"),
        ("declared", "RECUSAL_DECLARED_CONFLICT"),
        ("outsider", "TEAM_HOME_OFFICE"),
    ],
)
def test_an_assignment_a_recusal_rule_forbids_is_refused_naming_rule_inspector_and_unit(
    gql: GraphQL, runtime: Runtime, joint: dict[str, Any], who: str, rule: str, office: GraphQL
) -> None:
    village = joint["village"]
    if who == "lixia":
        inspector_id = inspector(office, joint["lixia"], "本区干部")
    elif who == "posted":
        postings = [{"unitId": village, "start": "2020-01-01", "end": "2024-12-31"}]
        inspector_id = inspector(office, joint["city"], "原驻村干部", postings=postings)
    elif who == "kin":
        relations = [
            {"kinship": "SPOUSE", "person": "王某", "position": "村党支部书记", "unitId": village}
        ]
        inspector_id = inspector(office, joint["city"], "亲属干部", relations=relations)
    elif who == "declared":
        inspector_id = inspector(office, joint["city"], "申请回避干部")
        write(
            office,
            DECLARE_RECUSAL,
            {
                "roundId": joint["round"],
                "inspectorId": inspector_id,
                "unitId": village,
                "reason": "公务回避",
                "declaredOn": "2026-08-01",
            },
        )
    else:
        other_city = tenant(gql, "3702", "青岛市")
        registered = runtime.inspectors.register_inspector(  # as the console: another city's
            home_tenant_id=UUID(other_city),
            name="外市干部",
            postings=[],
            relations=[],
            acting=CONSOLE,
        )
        inspector_id = str(registered.id)
    before = runtime.store.max_position()

    error = office.error(
        ASSIGN_INSPECTOR,
        {"input": {"roundId": joint["round"], "inspectorId": inspector_id, "role": "MEMBER"}},
    )

    assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert error["extensions"]["rule"] == rule
    assert error["extensions"]["inspectorId"] == inspector_id
    if rule != "TEAM_HOME_OFFICE":
        assert error["extensions"]["unitId"] == village
    assert runtime.store.max_position() == before


@pytest.mark.parametrize(
    ("document", "fields", "rule"),
    [
        (ADVANCE_PHASE, {"phase": "PLANNED", "on": "2026-09-02"}, "ROUND_PHASE_ORDER"),
        (ADVANCE_PHASE, {"phase": "REPORTED", "on": "2026-09-02"}, "ROUND_PHASE_ORDER"),
        (ADVANCE_PHASE, {"phase": "STATIONED", "on": "2026-08-01"}, "ROUND_PHASE_DATE"),
        (CLOSE_CHANNEL, {"channel": "MAILBOX", "closedOn": "2026-09-02"}, "ROUND_CHANNEL_NOT_OPEN"),
        (
            OPEN_CHANNEL,
            {
                "channel": "EMAIL",
                "address": "a@b.invalid",
                "openedOn": "2026-09-02",
                "closesOn": "2026-09-01",
            },
            "ROUND_CHANNEL_DATE",
        ),
    ],
)
def test_phase_and_channel_commands_out_of_order_are_refused_and_write_nothing(
    gql: GraphQL,
    runtime: Runtime,
    joint: dict[str, Any],
    document: str,
    fields: dict[str, Any],
    rule: str,
    office: GraphQL,
) -> None:
    advance(office, joint["round"], ("PREPARING", "2026-08-20"))
    before = runtime.store.max_position()

    error = office.error(document, {"input": {"roundId": joint["round"], **fields}})

    assert error["extensions"]["rule"] == rule
    assert runtime.store.max_position() == before


def test_a_joint_round_needs_counties_of_the_city_as_co_organisers(
    gql: GraphQL, runtime: Runtime, joint: dict[str, Any], office: GraphQL
) -> None:
    other_county = tenant(gql, "370202", "市南区", tenant(gql, "3702", "青岛市"))
    before = runtime.store.max_position()

    def plan_with(co_organiser: str) -> dict[str, Any]:
        return office.error(
            PLAN_ROUND,
            {
                "input": {
                    "tenantId": joint["city"],
                    "kind": "REGULAR",
                    "linkage": "JOINT",
                    "title": "联合",
                    "periodStart": "2027-01-01",
                    "periodEnd": "2027-02-01",
                    "targetUnitIds": [joint["department"]],
                    "coOrganiserIds": [co_organiser],
                }
            },
        )

    itself = plan_with(joint["city"])
    stranger = plan_with(other_county)  # another city's county is not even known to the office

    assert itself["extensions"]["rule"] == "ROUND_JOINT_CO_ORGANISERS"
    assert stranger["extensions"]["code"] == "NOT_FOUND"
    assert "370202" not in stranger["message"]
    assert runtime.store.max_position() == before


def test_a_round_that_does_not_exist_is_null(gql: GraphQL) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    assert gql.data(ROUND, {"id": missing})["round"] is None
