"""Four-level feedback (一报告四清单, 四级反馈四方整改) and common problems (面上共性问题) over
HTTP, as Jinhua ran them: one village round fed back to the village, the township committee,
the county committee and a line department, each with its own tasks; a problem found in three
villages grouped and fed back to the department as one systemic item; the rates per level,
with systemic items apart from the units' own."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import REGISTER_TENANT, REGISTER_UNIT, GraphQL
from tests.support.rectification import (
    RECORD_FEEDBACK,
    REPORT_TASK_DONE,
    VERIFY_TASK,
    plan_round,
    problem,
    responsibility,
    task,
)

GROUP = """
mutation($input: GroupCommonProblemInput!) { groupCommonProblem(input: $input) { id position } }
"""
LEVELS = """
query($roundId: ID, $tenantId: ID, $minPosition: BigInt) {
  rectification(roundId: $roundId, tenantId: $tenantId, today: "2026-11-20",
                minPosition: $minPosition) {
    feedbacks { id level addresseeId unit { name } }
    problems { id feedbackId key text ownerLevel ownerId unit { name } }
    tasks { id key level addresseeId dueOn status unit { name } }
    commonProblems {
      id key category level addresseeId addressee { name } roundId givenOn
      problems { problemId unit { name } }
      tasks { id key measure dueOn status overdue version }
    }
    byLevel { level systemic tasks tasksDue tasksVerified overdue rectificationRate }
  }
}
"""
BY_LEVEL = """
query($roundId: ID, $minPosition: BigInt) {
  statistics(roundId: $roundId, to: "2026-11-20", minPosition: $minPosition) {
    total { tasksDue tasksVerified }
    byLevel { level systemic tasksDue tasksVerified rectificationRate }
  }
}
"""
LEDGER = "资产台账不全"


class Jinhua:
    """婺城区 of 金华市: township 白龙桥镇 with villages V1–V3, the department 农业农村局, and
    round R on the three villages."""

    def __init__(self, gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime) -> None:
        self.runtime = runtime
        self.ids: dict[str, str] = {}
        self._tenant(gql, "city", {"code": "3307", "name": "金华市", "level": "CITY"})
        county = {"code": "330702", "name": "婺城区", "level": "COUNTY"}
        self._tenant(gql, "county", {**county, "parentId": self.ids["city"]})
        self._unit(gql, "township", "T1", "白龙桥镇", "TOWNSHIP")
        for key, name in (("V1", "上村"), ("V2", "中村"), ("V3", "下村")):
            self._unit(gql, key, key, name, "VILLAGE", self.ids["township"])
        self._unit(gql, "department", "D1", "农业农村局", "DEPARTMENT")
        villages = (self.ids["V1"], self.ids["V2"], self.ids["V3"])
        self.ids["R"] = plan_round(
            runtime, self.ids["county"], date(2026, 5, 1), date(2026, 6, 5), *villages
        )
        self.city = gql_as(Role.CITY_OFFICE, self.ids["city"])
        self.county = gql_as(Role.COUNTY_TEAM, self.ids["county"])
        self.position = 0

    def _tenant(self, gql: GraphQL, key: str, fields: dict[str, Any]) -> None:
        self.ids[key] = gql.data(REGISTER_TENANT, {"input": fields})["registerTenant"]["id"]

    def _unit(
        self, gql: GraphQL, key: str, code: str, name: str, kind: str, parent: str | None = None
    ) -> None:
        fields = {
            "tenantId": self.ids["county"],
            "code": code,
            "name": name,
            "unitType": kind,
            "parentId": parent,
        }
        self.ids[key] = gql.data(REGISTER_UNIT, {"input": fields})["registerUnit"]["id"]

    def write(self, gql: GraphQL, mutation: str, name: str, fields: dict[str, Any]) -> str:
        written = gql.data(mutation, {"input": fields})[name]
        self.position = written["position"]
        return str(written["id"])

    def feed_back(self, level: str, addressee: str, items: list[dict[str, Any]]) -> str:
        fields = {
            "roundId": self.ids["R"],
            "unitId": self.ids[addressee],
            "level": level,
            "givenOn": "2026-06-10",
            "report": f"{addressee}巡察反馈意见",
            "items": items,
        }
        return self.write(self.city, RECORD_FEEDBACK, "recordFeedback", fields)

    def read(self, **variables: Any) -> dict[str, Any]:
        variables.setdefault("roundId", self.ids["R"])
        variables["minPosition"] = self.position
        found: dict[str, Any] = self.city.data(LEVELS, variables)["rectification"]
        return found


@pytest.fixture
def jinhua(gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime) -> Jinhua:
    world = Jinhua(gql, gql_as, runtime)
    world.feed_back(
        "UNIT",
        "V1",
        [
            problem("P1", "三资管理", LEDGER),
            task("T1", "P1", "补登资产台账"),
            problem(
                "P2",
                "惠农政策落实",
                "惠农补贴发放不及时",
                ownerLevel="TOWNSHIP_COMMITTEE",
                ownerId=world.ids["township"],
            ),
            task("T2", "P2", "镇里督促补发补贴"),
            responsibility("R2", "T2", "2026-08-31"),
        ],
    )
    for level, addressee, text in (
        ("TOWNSHIP_COMMITTEE", "township", "对村级财务监管不到位"),
        ("COUNTY_COMMITTEE", "county", "村级巡察整改督导机制不健全"),
        ("DEPARTMENT", "department", "农村集体资产监管制度执行不严"),
    ):
        world.feed_back(
            level,
            addressee,
            [
                problem("P1", "主体责任", text),
                task("T1", "P1", "制定整改方案"),
                responsibility("R1", "T1", "2026-09-30"),
            ],
        )
    for village in ("V2", "V3"):
        world.feed_back(
            "UNIT", village, [problem("P1", "三资管理", LEDGER), task("T1", "P1", "补登")]
        )
    return world


def group_ledger_problems(world: Jinhua, *villages: str) -> dict[str, Any]:
    problems = [
        {"feedbackId": p["feedbackId"], "problemId": p["id"]}
        for p in world.read()["problems"]
        if p["text"] == LEDGER and p["unit"]["name"] in villages
    ]
    return {
        "key": "2026-共性-01",
        "category": "三资管理",
        "text": "村级集体资产台账普遍不全",
        "level": "DEPARTMENT",
        "addresseeId": world.ids["department"],
        "roundId": world.ids["R"],
        "givenOn": "2026-06-20",
        "problems": problems,
        "tasks": [{"key": "S1", "measure": "出台村级资产台账规范", "deadline": "2026-09-30"}],
    }


def test_a_village_round_is_fed_back_at_four_levels_each_with_its_tasks(jinhua: Jinhua) -> None:
    found = jinhua.read()
    ids = jinhua.ids

    levels = {(f["level"], f["addresseeId"]) for f in found["feedbacks"]}
    assert {
        ("UNIT", ids["V1"]),
        ("TOWNSHIP_COMMITTEE", ids["township"]),
        ("COUNTY_COMMITTEE", ids["county"]),
        ("DEPARTMENT", ids["department"]),
    } <= levels
    by_addressee = {f["addresseeId"]: f["unit"] for f in found["feedbacks"]}
    assert by_addressee[ids["township"]] == {"name": "白龙桥镇"}
    assert by_addressee[ids["county"]] is None  # the county committee is an office, no unit
    owned = sorted((t["level"], t["addresseeId"] == ids["township"]) for t in found["tasks"])
    assert owned.count(("TOWNSHIP_COMMITTEE", True)) == 2  # its own, and V1's linked problem
    linked = next(t for t in found["tasks"] if t["key"] == "T2")
    assert (linked["unit"]["name"], linked["level"], linked["dueOn"]) == (
        "上村",
        "TOWNSHIP_COMMITTEE",
        "2026-08-31",
    )
    p2 = next(p for p in found["problems"] if p["key"] == "P2")
    assert (p2["ownerLevel"], p2["ownerId"]) == ("TOWNSHIP_COMMITTEE", ids["township"])


def test_the_township_rectifies_the_village_problem_it_owns(jinhua: Jinhua) -> None:
    linked = next(t for t in jinhua.read()["tasks"] if t["key"] == "T2")
    done = {"taskId": linked["id"], "evidence": "补贴已补发", "doneOn": "2026-07-10"}
    jinhua.write(jinhua.county, REPORT_TASK_DONE, "reportTaskDone", done)
    verified = {"taskId": linked["id"], "verifiedOn": "2026-07-15"}
    jinhua.write(jinhua.city, VERIFY_TASK, "verifyTask", verified)

    rates = {(r["level"], r["systemic"]): r for r in jinhua.read()["byLevel"]}
    assert rates[("TOWNSHIP_COMMITTEE", False)] == {
        "level": "TOWNSHIP_COMMITTEE",
        "systemic": False,
        "tasks": 2,
        "tasksDue": 2,  # the linked task was verified; the township's own fell due 09-30
        "tasksVerified": 1,
        "overdue": 1,
        "rectificationRate": 0.5,
    }
    assert rates[("COUNTY_COMMITTEE", False)]["rectificationRate"] == 0.0
    assert rates[("UNIT", False)]["tasks"] == 3  # V1's own T1, V2's and V3's


def test_a_common_problem_of_three_villages_goes_to_the_department_and_counts_apart(
    jinhua: Jinhua,
) -> None:
    variables = {"roundId": jinhua.ids["R"], "minPosition": jinhua.position}
    statistics_before = jinhua.city.data(BY_LEVEL, variables)["statistics"]["total"]
    assert statistics_before == {"tasksDue": 7, "tasksVerified": 0}
    fields = group_ledger_problems(jinhua, "上村", "中村", "下村")
    common_id = jinhua.write(jinhua.city, GROUP, "groupCommonProblem", fields)

    (common,) = jinhua.read()["commonProblems"]
    assert (common["id"], common["level"], common["addressee"]) == (
        common_id,
        "DEPARTMENT",
        {"name": "农业农村局"},
    )
    assert sorted(p["unit"]["name"] for p in common["problems"]) == ["上村", "下村", "中村"]
    (s1,) = common["tasks"]
    assert (s1["key"], s1["dueOn"], s1["status"], s1["overdue"]) == (
        "S1",
        "2026-09-30",
        "OPEN",
        True,
    )
    # The department's office reports it done, the inspecting office verifies it.
    done = {"taskId": s1["id"], "evidence": "规范已印发", "doneOn": "2026-09-01"}
    jinhua.write(jinhua.county, REPORT_TASK_DONE, "reportTaskDone", done)
    jinhua.write(
        jinhua.city, VERIFY_TASK, "verifyTask", {"taskId": s1["id"], "verifiedOn": "2026-09-05"}
    )

    found = jinhua.read()
    assert [t["status"] for t in found["commonProblems"][0]["tasks"]] == ["VERIFIED"]
    assert s1["id"] not in {t["id"] for t in found["tasks"]}  # not a unit's task
    rates = {(r["level"], r["systemic"]): r for r in found["byLevel"]}
    assert rates[("DEPARTMENT", True)]["rectificationRate"] == 1.0
    assert rates[("DEPARTMENT", False)]["rectificationRate"] == 0.0  # its own feedback's task
    # The statistics count the units' own tasks in total, the systemic item apart.
    variables = {"roundId": jinhua.ids["R"], "minPosition": jinhua.position}
    statistics_after = jinhua.city.data(BY_LEVEL, variables)["statistics"]
    assert statistics_after["total"] == statistics_before
    levels = {(r["level"], r["systemic"]): r for r in statistics_after["byLevel"]}
    assert levels[("DEPARTMENT", True)] == {
        "level": "DEPARTMENT",
        "systemic": True,
        "tasksDue": 1,
        "tasksVerified": 1,
        "rectificationRate": 1.0,
    }
    assert sum(r["tasksDue"] for r in statistics_after["byLevel"] if not r["systemic"]) == 7
    # The county sees the item addressed to its department among its own.
    assert [
        c["key"] for c in jinhua.read(roundId=None, tenantId=jinhua.ids["county"])["commonProblems"]
    ] == ["2026-共性-01"]


def test_problems_of_one_village_are_refused_as_a_common_problem_and_nothing_is_written(
    jinhua: Jinhua,
) -> None:
    fields = group_ledger_problems(jinhua, "上村")
    before = jinhua.runtime.store.max_position()

    error = jinhua.city.error(GROUP, {"input": fields})

    assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert error["extensions"]["rule"] == "COMMON_PROBLEM_NEEDS_UNITS"
    assert jinhua.runtime.store.max_position() == before
    assert jinhua.read()["commonProblems"] == []


def test_a_department_addressed_as_the_township_committee_is_refused(jinhua: Jinhua) -> None:
    before = jinhua.runtime.store.max_position()
    fields = {
        "roundId": jinhua.ids["R"],
        "unitId": jinhua.ids["department"],
        "level": "TOWNSHIP_COMMITTEE",
        "report": "反馈意见",
        "givenOn": "2026-06-10",
        "items": [problem("P1", "主体责任", "监管不到位"), task("T1", "P1", "整改")],
    }

    error = jinhua.city.error(RECORD_FEEDBACK, {"input": fields})

    assert error["extensions"]["rule"] == "FEEDBACK_NOT_ADDRESSABLE_AT_TOWNSHIP_COMMITTEE"
    assert jinhua.runtime.store.max_position() == before
