"""The figures offices report, over HTTP, against hand-computed expectations for the small
scenario of `tests.support.rectification.seed` plus four clues:

| clue | office | round | category | transferred | concluded (persons, funds) |
| C1 | 历下 | R1 | 三资管理 | yes | yes (2, 50000) |
| C2 | 历下 | R1 | 作风问题 | yes | no |
| C3 | 市中 | R2 | 三资管理 | yes | yes (1, 12000.50) |
| C4 | 历下 | R1 | 三资管理 | no | no |

Clues are transferred and concluded today (the clue service dates them so); the
rectification facts carry the dates of the seed's table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import REGISTER_CLUE, GraphQL
from tests.support.rectification import STATISTICS, Scenario, seed

TRIAGE = "mutation($input: TriageClueInput!) { triageClue(input: $input) { id position } }"
TRANSFER = "mutation($input: TransferClueInput!) { transferClue(input: $input) { id position } }"
ACCEPT = "mutation($input: AcceptClueInput!) { acceptClue(input: $input) { id position } }"
CONCLUDE = "mutation($input: ConcludeClueInput!) { concludeClue(input: $input) { id position } }"


def clue(
    gql: GraphQL,
    ids: dict[str, str],
    office: str,
    round_key: str,
    unit: str,
    category: str,
    *,
    transfer: bool,
    conclusion: tuple[int, str] | None = None,
) -> tuple[str, int]:
    """Register a clue and take it as far as asked; return its id and the last position
    written."""
    registered = gql.data(
        REGISTER_CLUE,
        {
            "input": {
                "tenantId": ids[office],
                "unitId": ids[unit],
                "roundId": ids[round_key],
                "source": "PETITION",
                "category": category,
                "summary": f"{category}线索",
            }
        },
    )["registerClue"]
    clue_id, position = registered["id"], registered["position"]
    steps: list[tuple[str, str, dict[str, Any]]] = []
    if transfer:
        steps += [
            (TRIAGE, "triageClue", {"priority": "KEY", "proposedRoute": "移交纪委监委"}),
            (
                TRANSFER,
                "transferClue",
                {
                    "handlingBody": "DISCIPLINE_COMMISSION",
                    "receivingTenantId": ids[office],
                    "workingDays": 30,
                },
            ),
        ]
    if conclusion is not None:
        persons, funds = conclusion
        steps += [
            (ACCEPT, "acceptClue", {}),
            (
                CONCLUDE,
                "concludeClue",
                {
                    "disposition": "CASE_FILED",
                    "personsDisciplined": persons,
                    "fundsRecovered": funds,
                },
            ),
        ]
    for mutation, name, fields in steps:
        position = gql.data(mutation, {"input": {"clueId": clue_id, **fields}})[name]["position"]
    return clue_id, position


@pytest.fixture
def scenario(gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime) -> Scenario:
    seeded = seed(gql, gql_as, runtime)
    ids = seeded.ids
    clue(gql, ids, "lixia", "R1", "V1", "三资管理", transfer=True, conclusion=(2, "50000"))
    clue(gql, ids, "lixia", "R1", "V2", "作风问题", transfer=True)
    clue(gql, ids, "shizhong", "R2", "V3", "三资管理", transfer=True, conclusion=(1, "12000.50"))
    _, seeded.position = clue(gql, ids, "lixia", "R1", "V1", "三资管理", transfer=False)
    return seeded


def statistics(gql: GraphQL, scenario: Scenario, **variables: Any) -> dict[str, Any]:
    variables["minPosition"] = scenario.position
    found: dict[str, Any] = gql.data(STATISTICS, variables)["statistics"]
    return found


def figures(
    problems: int,
    tasks: tuple[int, int],
    clues: tuple[int, int],
    funds: str,
    persons: int,
    ballots: tuple[int, int, int],
) -> dict[str, Any]:
    """The figures expected, with every rate computed by hand from its two counts."""
    due, verified = tasks
    transferred, concluded = clues
    satisfied, basic, dissatisfied = ballots
    total = satisfied + basic + dissatisfied
    return {
        "problemsFound": problems,
        "tasksDue": due,
        "tasksVerified": verified,
        "rectificationRate": verified / due if due else None,
        "cluesTransferred": transferred,
        "cluesConcluded": concluded,
        "transferCompletionRate": concluded / transferred if transferred else None,
        "fundsRecovered": Decimal(funds),
        "personsHeldAccountable": persons,
        "ballots": {
            "satisfied": satisfied,
            "basicallySatisfied": basic,
            "dissatisfied": dissatisfied,
            "total": total,
        },
        "satisfactionRate": (satisfied + basic) / total if total else None,
    }


def same(found: dict[str, Any], expected: dict[str, Any]) -> None:
    found = {**found, "fundsRecovered": Decimal(found["fundsRecovered"])}
    for name in ("rectificationRate", "transferCompletionRate", "satisfactionRate"):
        if expected[name] is not None:
            expected = {**expected, name: pytest.approx(expected[name])}
    assert found == expected


def test_the_figures_of_everything_up_to_today(gql: GraphQL, scenario: Scenario) -> None:
    found = statistics(gql, scenario)
    # Tasks due: T1–T5 (T4 was verified ahead of its deadline); verified T1, T2, T4.
    # Ballots: T1 8/1/1 and T2 4/0/2, so (12 + 1) ÷ 16.
    same(found["total"], figures(5, (5, 3), (3, 2), "62000.50", 3, (12, 1, 3)))
    assert found["total"]["rectificationRate"] == pytest.approx(0.6)
    assert found["total"]["transferCompletionRate"] == pytest.approx(2 / 3)
    assert found["total"]["satisfactionRate"] == pytest.approx(0.8125)


def test_the_figures_per_category(gql: GraphQL, scenario: Scenario) -> None:
    by_category = {c["category"]: c["figures"] for c in statistics(gql, scenario)["byCategory"]}
    assert sorted(by_category) == ["三资管理", "作风问题", "党组织建设"]
    assets = figures(3, (3, 2), (2, 2), "62000.50", 3, (12, 1, 3))
    same(by_category["三资管理"], assets)
    same(by_category["作风问题"], figures(1, (1, 0), (1, 0), "0", 0, (0, 0, 0)))
    same(by_category["党组织建设"], figures(1, (1, 1), (0, 0), "0", 0, (0, 0, 0)))

    one = statistics(gql, scenario, category="三资管理")
    same(one["total"], assets)


def test_the_figures_of_a_county_and_of_its_city(gql: GraphQL, scenario: Scenario) -> None:
    lixia = statistics(gql, scenario, tenantId=scenario.ids["lixia"])["total"]
    same(lixia, figures(4, (4, 3), (2, 1), "50000", 2, (12, 1, 3)))

    city = statistics(gql, scenario, tenantId=scenario.ids["city"])["total"]
    same(city, figures(5, (5, 3), (3, 2), "62000.50", 3, (12, 1, 3)))


def test_the_figures_of_one_round(gql: GraphQL, scenario: Scenario) -> None:
    r2 = statistics(gql, scenario, roundId=scenario.ids["R2"])["total"]
    # T5 is due and only reported done: a rate of 0, not null; no ballots yet: null.
    same(r2, figures(1, (1, 0), (1, 1), "12000.50", 1, (0, 0, 0)))
    assert r2["rectificationRate"] == 0
    assert r2["satisfactionRate"] is None


def test_the_figures_of_a_period(gql: GraphQL, scenario: Scenario) -> None:
    july = statistics(gql, scenario, **{"from": "2026-07-01", "to": "2026-07-31"})
    assert (july["from"], july["to"]) == ("2026-07-01", "2026-07-31")
    # Feedback to V3 on 07-01 found P5; T1 was verified on 07-25, before its 07-31 deadline.
    same(july["total"], figures(1, (1, 1), (0, 0), "0", 0, (0, 0, 0)))

    by_august = statistics(gql, scenario, to="2026-08-31")["total"]
    # Due by 08-31: T1 (verified 07-25), T2 (verified 06-20), T3 (due 08-10, open).
    same(by_august, figures(5, (3, 2), (0, 0), "0", 0, (8, 1, 1)))


def test_every_rate_is_null_when_there_is_nothing_to_measure(
    gql: GraphQL, scenario: Scenario
) -> None:
    found = statistics(gql, scenario, to="2026-01-31")["total"]
    assert found["rectificationRate"] is None
    assert found["transferCompletionRate"] is None
    assert found["satisfactionRate"] is None
    same(found, figures(0, (0, 0), (0, 0), "0", 0, (0, 0, 0)))


def test_a_period_ending_before_it_starts_is_refused(gql: GraphQL) -> None:
    error = gql.error(STATISTICS, {"from": "2026-08-01", "to": "2026-07-01"})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"


CORRECT = "mutation($input: CorrectClueInput!) { correctClue(input: $input) { id position } }"


def test_a_corrected_clue_counts_under_its_corrected_values(
    gql: GraphQL, scenario: Scenario
) -> None:
    ids = scenario.ids
    clue_id, _ = clue(
        gql, ids, "shizhong", "R2", "V3", "工程项目", transfer=True, conclusion=(1, "10")
    )
    for field, value in (("CATEGORY", "三资管理"), ("FUNDS_RECOVERED", "8000")):
        position = gql.data(
            CORRECT,
            {
                "input": {
                    "clueId": clue_id,
                    "field": field,
                    "newValue": value,
                    "reason": "核对台账后更正",
                }
            },
        )["correctClue"]["position"]
    scenario.position = position

    found = statistics(gql, scenario, roundId=ids["R2"])
    assert [c["category"] for c in found["byCategory"]] == ["三资管理"]
    same(found["total"], figures(1, (1, 0), (2, 2), "20000.50", 2, (0, 0, 0)))
