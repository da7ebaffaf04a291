"""A scenario for deadline warnings (超期预警), judged on Friday 2026-11-20: the rectification
scenario (tests/support/rectification.py: T3 of 历下 open, due 08-10; T5 of 市中 done but not
verified, due 09-30; the others verified) and five clues of 历下, transferred on 11-02:

| clue | due | working days left on 11-20 |
| C_OVERDUE | Wed 11-18 | -2 (Thu, Fri) |
| C_TODAY | Fri 11-20 | 0 |
| C_SOON | Tue 11-24 | 2 (Mon, Tue: the weekend does not count) |
| C_EDGE | Wed 11-25 | 3 |
| C_LATER | Thu 11-26 | 4: not within 3 working days |
| C_DONE | Wed 11-18, concluded: not open |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.runtime import Runtime
from tests.e2e.clue_support import LIFECYCLE
from tests.support.graphql import REGISTER_CLUE, GraphQL
from tests.support.rectification import Scenario, seed

TODAY = date(2026, 11, 20)
CLUE_DUE = {
    "C_OVERDUE": "2026-11-18",
    "C_TODAY": "2026-11-20",
    "C_SOON": "2026-11-24",
    "C_EDGE": "2026-11-25",
    "C_LATER": "2026-11-26",
    "C_DONE": "2026-11-18",
}
DEADLINES = """
query($tenantId: ID!, $within: Int, $today: Date, $minPosition: BigInt) {
  deadlines(tenantId: $tenantId, withinWorkingDays: $within, today: $today,
            minPosition: $minPosition) {
    kind id tenantId title dueOn dueProvisional workingDaysLeft step level
  }
}
"""
SET_WARNING_CHANNEL = """
mutation($input: SetWarningChannelInput!) { setWarningChannel(input: $input) { id position } }
"""


@dataclass
class DeadlineScenario:
    rectification: Scenario
    clues: dict[str, str]  # key → clue id
    position: int

    @property
    def ids(self) -> dict[str, str]:
        return self.rectification.ids

    def name_of(self, item_id: str) -> str:
        names = {v: k for k, v in {**self.clues, **self.rectification.tasks}.items()}
        return names[item_id]


def _act(gql: GraphQL, mutation: str, **fields: Any) -> int:
    position: int = gql.data(LIFECYCLE[mutation], {"input": fields})[mutation]["position"]
    return position


def _transferred_clue(gql: GraphQL, ids: dict[str, str], key: str, due: str) -> tuple[str, int]:
    registration = {
        "tenantId": ids["lixia"],
        "unitId": ids["V1"],
        "source": "PETITION",
        "category": "三资管理",
        "summary": f"{key}：村集体土地流转收入未入账",
        "occurredOn": "2026-11-02",
    }
    clue = gql.data(REGISTER_CLUE, {"input": registration})["registerClue"]["id"]
    _act(
        gql,
        "triageClue",
        clueId=clue,
        priority="KEY",
        proposedRoute="移交纪委监委",
        occurredOn="2026-11-02",
    )
    position = _act(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="DISCIPLINE_COMMISSION",
        receivingTenantId=ids["lixia"],
        dueDate=due,
        occurredOn="2026-11-02",
    )
    return clue, position


def seed_deadlines(
    gql: GraphQL, gql_as: Callable[..., GraphQL], runtime: Runtime
) -> DeadlineScenario:
    rectification = seed(gql, gql_as, runtime)
    clues: dict[str, str] = {}
    position = rectification.position
    for key, due in CLUE_DUE.items():
        clues[key], position = _transferred_clue(gql, rectification.ids, key, due)
    _act(gql, "acceptClue", clueId=clues["C_DONE"], occurredOn="2026-11-05")
    position = _act(
        gql,
        "concludeClue",
        clueId=clues["C_DONE"],
        disposition="CLOSED_NO_ACTION",
        occurredOn="2026-11-10",
    )
    return DeadlineScenario(rectification, clues, position)


def deadlines(
    gql: GraphQL, scenario: DeadlineScenario, tenant: str, **variables: Any
) -> list[dict[str, Any]]:
    variables = {"tenantId": tenant, "today": TODAY.isoformat(), **variables}
    variables["minPosition"] = scenario.position
    found: list[dict[str, Any]] = gql.data(DEADLINES, variables)["deadlines"]
    return found
