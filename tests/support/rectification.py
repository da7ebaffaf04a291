"""A small rectification scenario for the end-to-end tests: two counties of one city, three
villages, two rounds, three feedbacks and five tasks at known stages (see `seed`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.rounds.values import Linkage, Period, RoundKind
from infrastructure.auth import Role
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.support.graphql import REGISTER_TENANT, REGISTER_UNIT, GraphQL

RECORD_FEEDBACK = """
mutation($input: RecordFeedbackInput!) { recordFeedback(input: $input) { id position } }
"""
REPORT_TASK_DONE = """
mutation($input: ReportTaskDoneInput!) { reportTaskDone(input: $input) { id position } }
"""
VERIFY_TASK = """
mutation($input: VerifyTaskInput!) { verifyTask(input: $input) { id position } }
"""
RECORD_BALLOTS = """
mutation($input: RecordSatisfactionBallotsInput!) {
  recordSatisfactionBallots(input: $input) { id position }
}
"""
TASK_FIELDS = """
  id key category measure status overdue immediate withheldBecause dueOn doneOn verifiedOn
  evidence responsibleLeader responsibleDepartment version
  ballots { satisfied basicallySatisfied dissatisfied revisits }
"""
RECTIFICATION = f"""
query($roundId: ID, $tenantId: ID, $disclosableOnly: Boolean, $today: Date,
      $minPosition: BigInt) {{
  rectification(roundId: $roundId, tenantId: $tenantId, disclosableOnly: $disclosableOnly,
                today: $today, minPosition: $minPosition) {{
    feedbacks {{ id roundId givenOn reportDueOn report unit {{ name }} }}
    problems {{ id key category text immediate withheldBecause status }}
    tasks {{ {TASK_FIELDS} }}
    responsibilities {{ key responsibleLeader responsibleDepartment deadline status }}
    results {{ key status evidence }}
    archive {{ key status verifiedOn }}
  }}
}}
"""
FIGURES = """
  problemsFound tasksDue tasksVerified rectificationRate
  cluesTransferred cluesConcluded transferCompletionRate fundsRecovered personsHeldAccountable
  ballots { satisfied basicallySatisfied dissatisfied total } satisfactionRate
"""
STATISTICS = f"""
query($tenantId: ID, $roundId: ID, $category: String, $from: Date, $to: Date,
      $minPosition: BigInt) {{
  statistics(tenantId: $tenantId, roundId: $roundId, category: $category, from: $from, to: $to,
             minPosition: $minPosition) {{
    from to
    total {{ {FIGURES} }}
    byCategory {{ category figures {{ {FIGURES} }} }}
  }}
}}
"""


def problem(key: str, category: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "PROBLEM", "key": key, "category": category, "text": text, **extra}


def task(key: str, refers_to: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "TASK", "key": key, "refersTo": refers_to, "text": text, **extra}


def responsibility(key: str, refers_to: str, deadline: str) -> dict[str, Any]:
    return {
        "kind": "RESPONSIBILITY",
        "key": key,
        "refersTo": refers_to,
        "text": "村党组织书记负总责",
        "responsibleLeader": "王书记",
        "responsibleDepartment": "镇纪委",
        "deadline": deadline,
    }


@dataclass
class Scenario:
    office: GraphQL  # the city office (济南), which may act on its counties' rounds
    ids: dict[str, str]  # city, lixia, shizhong, V1, V2, V3, R1, R2
    tasks: dict[str, str]  # task key → id
    versions: dict[str, int]  # task key → version now
    position: int


def plan_round(
    runtime: Runtime,
    tenant: str,
    start: date,
    end: date,
    *units: str,
    linkage: Linkage = Linkage.STANDALONE,
) -> str:
    """Rounds are planned through the rounds service: their GraphQL mutation belongs to the
    rounds context and is not what these tests are about."""
    written = runtime.rounds.plan_round(
        tenant_id=UUID(tenant),
        kind=RoundKind.REGULAR,
        linkage=linkage,
        title="2026年第一轮巡察",
        period=Period(start, end),
        target_unit_ids=[UUID(u) for u in units],
        acting=CONSOLE,
    )
    return str(written.id)


def register_offices(gql: GraphQL) -> dict[str, str]:
    ids: dict[str, str] = {}

    def tenant(name: str, code: str, level: str, parent: str | None = None) -> None:
        fields = {"code": code, "name": name, "level": level, "parentId": parent}
        ids[code] = gql.data(REGISTER_TENANT, {"input": fields})["registerTenant"]["id"]

    def unit(key: str, owner: str, name: str) -> None:
        fields = {"tenantId": ids[owner], "code": key, "name": name, "unitType": "VILLAGE"}
        ids[key] = gql.data(REGISTER_UNIT, {"input": fields})["registerUnit"]["id"]

    tenant("济南市", "3701", "CITY")
    tenant("历下区", "370102", "COUNTY", ids["3701"])
    tenant("市中区", "370103", "COUNTY", ids["3701"])
    unit("V1", "370102", "甲村")
    unit("V2", "370102", "乙村")
    unit("V3", "370103", "丙村")
    return {
        "city": ids["3701"],
        "lixia": ids["370102"],
        "shizhong": ids["370103"],
        **{k: ids[k] for k in ("V1", "V2", "V3")},
    }


def seed(gql: GraphQL, gql_as: Callable[..., GraphQL], runtime: Runtime) -> Scenario:
    """历下 round R1 (V1, V2) and 市中 round R2 (V3); as it stands:

    | task | feedback | category | due | done | verified | ballots (满意/基本/不满意) |
    | T1 | V1 2026-06-10 | 三资管理 | 07-31 (R1) | 07-20 | 07-25 | 8/1/1 paper 08-15 |
    | T2 | V1 | 三资管理 | 08-10 (report), IMMEDIATE | 06-10 | 06-20 | 4/0/2 online 09-01 |
    | T3 | V1 | 作风问题, UNDER_INVESTIGATION | 08-10 (report) | — | — | |
    | T4 | V2 2026-06-12 | 党组织建设 | 12-31 (R4) | 10-01 | 10-10 | |
    | T5 | V3 2026-07-01 | 三资管理 | 09-30 (R5) | 09-20 | — | |
    """
    ids = register_offices(gql)
    ids["R1"] = plan_round(
        runtime, ids["lixia"], date(2026, 5, 1), date(2026, 6, 5), ids["V1"], ids["V2"]
    )
    ids["R2"] = plan_round(runtime, ids["shizhong"], date(2026, 6, 1), date(2026, 6, 25), ids["V3"])
    return _seed_feedback(gql_as(Role.CITY_OFFICE, ids["city"]), ids)


def _seed_feedback(gql: GraphQL, ids: dict[str, str]) -> Scenario:
    feedbacks = [
        (
            "R1",
            "V1",
            "2026-06-10",
            [
                problem("P1", "三资管理", "土地流转收入未入账"),
                task("T1", "P1", "追缴流转收入并入账"),
                responsibility("R1", "T1", "2026-07-31"),
                problem("P2", "三资管理", "集体资产台账不全"),
                task("T2", "P2", "补登资产台账", immediate=True, evidence="当场补登台账"),
                problem("P3", "作风问题", "村干部违规吃喝", disclosure=["UNDER_INVESTIGATION"]),
                task("T3", "P3", "退缴违规费用"),
            ],
        ),
        (
            "R1",
            "V2",
            "2026-06-12",
            [
                problem("P4", "党组织建设", "三会一课不规范"),
                task("T4", "P4", "建立组织生活台账"),
                responsibility("R4", "T4", "2026-12-31"),
            ],
        ),
        (
            "R2",
            "V3",
            "2026-07-01",
            [
                problem("P5", "三资管理", "工程款超付"),
                task("T5", "P5", "追回超付工程款"),
                responsibility("R5", "T5", "2026-09-30"),
            ],
        ),
    ]
    position = 0
    for round_key, unit_key, given_on, items in feedbacks:
        written = gql.data(
            RECORD_FEEDBACK,
            {
                "input": {
                    "roundId": ids[round_key],
                    "unitId": ids[unit_key],
                    "givenOn": given_on,
                    "report": f"关于{unit_key}的巡察反馈意见",
                    "items": items,
                }
            },
        )
        position = written["recordFeedback"]["position"]
    tasks = {
        row["key"]: row["id"]
        for round_key in ("R1", "R2")
        for row in gql.data(RECTIFICATION, {"roundId": ids[round_key], "minPosition": position})[
            "rectification"
        ]["tasks"]
    }
    versions = dict.fromkeys(tasks, 1)

    def run(mutation: str, key: str, name: str, **fields: Any) -> None:
        nonlocal position
        variables = {"input": {"taskId": tasks[key], **fields}}
        position = gql.data(mutation, variables)[name]["position"]
        versions[key] += 1

    run(REPORT_TASK_DONE, "T1", "reportTaskDone", evidence="入账凭证", doneOn="2026-07-20")
    run(VERIFY_TASK, "T1", "verifyTask", verifiedOn="2026-07-25")
    ballots = "recordSatisfactionBallots"
    run(RECORD_BALLOTS, "T1", ballots, **_ballots(8, 1, 1, "PAPER", "2026-08-15"))
    run(VERIFY_TASK, "T2", "verifyTask", verifiedOn="2026-06-20")
    run(RECORD_BALLOTS, "T2", ballots, **_ballots(4, 0, 2, "ONLINE", "2026-09-01"))
    run(REPORT_TASK_DONE, "T4", "reportTaskDone", evidence="组织生活台账", doneOn="2026-10-01")
    run(VERIFY_TASK, "T4", "verifyTask", verifiedOn="2026-10-10")
    run(REPORT_TASK_DONE, "T5", "reportTaskDone", evidence="追款凭证", doneOn="2026-09-20")
    return Scenario(office=gql, ids=ids, tasks=tasks, versions=versions, position=position)


def _ballots(
    satisfied: int, basic: int, dissatisfied: int, channel: str, on: str
) -> dict[str, Any]:
    return {
        "satisfied": satisfied,
        "basicallySatisfied": basic,
        "dissatisfied": dissatisfied,
        "channel": channel,
        "heldOn": on,
    }
