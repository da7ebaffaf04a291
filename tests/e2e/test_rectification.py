"""Feedback and rectification over HTTP: the lists with their status, results and archive as
views over the tasks, disclosure, and refusals that name the rule and write nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.rectification.values import add_months
from domain.rounds.values import Linkage
from infrastructure.auth import Role
from services.clock import today_in_china
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import GraphQL
from tests.support.rectification import (
    RECORD_BALLOTS,
    RECORD_FEEDBACK,
    RECTIFICATION,
    REPORT_TASK_DONE,
    VERIFY_TASK,
    Scenario,
    plan_round,
    problem,
    register_offices,
    seed,
    task,
)

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def scenario(gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime) -> Scenario:
    return seed(gql, gql_as, runtime)


def lists(gql: GraphQL, scenario: Scenario, **variables: Any) -> dict[str, Any]:
    variables.setdefault("today", "2026-11-20")
    variables["minPosition"] = scenario.position
    rectification: dict[str, Any] = gql.data(RECTIFICATION, variables)["rectification"]
    return rectification


def test_a_rounds_lists_show_each_line_with_its_status(gql: GraphQL, scenario: Scenario) -> None:
    r1 = lists(gql, scenario, roundId=scenario.ids["R1"])

    assert [(f["unit"]["name"], f["givenOn"], f["reportDueOn"]) for f in r1["feedbacks"]] == [
        ("甲村", "2026-06-10", "2026-08-10"),  # the report is due 2 months after feedback
        ("乙村", "2026-06-12", "2026-08-12"),
    ]
    assert [(p["key"], p["status"]) for p in r1["problems"]] == [
        ("P1", "VERIFIED"),
        ("P2", "VERIFIED"),
        ("P3", "OPEN"),
        ("P4", "VERIFIED"),
    ]
    tasks = {t["key"]: t for t in r1["tasks"]}
    assert {k: (t["status"], t["dueOn"], t["overdue"]) for k, t in tasks.items()} == {
        "T1": ("VERIFIED", "2026-07-31", False),
        "T2": ("VERIFIED", "2026-08-10", False),
        "T3": ("OPEN", "2026-08-10", True),
        "T4": ("VERIFIED", "2026-12-31", False),
    }
    assert tasks["T1"]["responsibleLeader"] == "王书记"
    assert tasks["T1"]["ballots"] == {
        "satisfied": 8,
        "basicallySatisfied": 1,
        "dissatisfied": 1,
        "revisits": 1,
    }
    assert tasks["T2"]["immediate"] is True
    assert tasks["T2"]["evidence"] == "当场补登台账"
    assert [(r["key"], r["deadline"], r["status"]) for r in r1["responsibilities"]] == [
        ("R1", "2026-07-31", "VERIFIED"),
        ("R4", "2026-12-31", "VERIFIED"),
    ]


def test_results_list_work_done_and_archive_lists_work_closed(
    gql: GraphQL, scenario: Scenario
) -> None:
    r2 = lists(gql, scenario, roundId=scenario.ids["R2"])
    assert r2["results"] == [{"key": "T5", "status": "DONE", "evidence": "追款凭证"}]
    assert r2["archive"] == []

    r1 = lists(gql, scenario, roundId=scenario.ids["R1"])
    assert [t["key"] for t in r1["results"]] == ["T1", "T2", "T4"]
    assert [(t["key"], t["verifiedOn"]) for t in r1["archive"]] == [
        ("T1", "2026-07-25"),
        ("T2", "2026-06-20"),
        ("T4", "2026-10-10"),
    ]


def test_lines_withheld_from_disclosure_are_left_out_for_publication(
    gql: GraphQL, scenario: Scenario
) -> None:
    internal = lists(gql, scenario, roundId=scenario.ids["R1"])
    assert internal["problems"][2]["withheldBecause"] == ["UNDER_INVESTIGATION"]
    assert {t["key"]: t["withheldBecause"] for t in internal["tasks"]}["T3"] == [
        "UNDER_INVESTIGATION"
    ]

    public = lists(gql, scenario, roundId=scenario.ids["R1"], disclosableOnly=True)
    assert [p["key"] for p in public["problems"]] == ["P1", "P2", "P4"]
    assert [t["key"] for t in public["tasks"]] == ["T1", "T2", "T4"]


def test_an_office_sees_the_feedback_about_its_own_units(gql: GraphQL, scenario: Scenario) -> None:
    shizhong = lists(gql, scenario, tenantId=scenario.ids["shizhong"])
    assert [p["key"] for p in shizhong["problems"]] == ["P5"]


def test_the_lists_need_exactly_one_of_round_and_tenant(gql: GraphQL) -> None:
    error = gql.error(RECTIFICATION, {})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"


def test_a_stale_expected_version_is_refused_with_conflict_and_writes_nothing(
    gql: GraphQL, runtime: Runtime, scenario: Scenario
) -> None:
    before = runtime.store.max_position()
    error = scenario.office.error(
        REPORT_TASK_DONE,
        {"input": {"taskId": scenario.tasks["T3"], "evidence": "x", "expectedVersion": 2}},
    )
    assert error["extensions"]["code"] == "CONFLICT"
    assert runtime.store.max_position() == before

    written = scenario.office.data(
        REPORT_TASK_DONE,
        {
            "input": {
                "taskId": scenario.tasks["T3"],
                "evidence": "退缴凭证",
                "doneOn": "2026-11-01",
                "expectedVersion": scenario.versions["T3"],
            }
        },
    )
    assert written["reportTaskDone"]["id"] == scenario.tasks["T3"]


@pytest.mark.parametrize(
    ("mutation", "key", "fields", "rule"),
    [
        (VERIFY_TASK, "T3", {}, "TASK_VERIFIED_BEFORE_DONE"),
        (VERIFY_TASK, "T1", {}, "TASK_ALREADY_VERIFIED"),
        (REPORT_TASK_DONE, "T5", {"evidence": "again"}, "TASK_ALREADY_DONE"),
        (
            REPORT_TASK_DONE,
            "T3",
            {"evidence": "x", "doneOn": "2026-06-01"},
            "TASK_DONE_BEFORE_FEEDBACK",
        ),
        (
            RECORD_BALLOTS,
            "T5",
            {"satisfied": 1, "basicallySatisfied": 0, "dissatisfied": 0, "channel": "PAPER"},
            "BALLOTS_ON_UNVERIFIED_TASK",
        ),
        (
            RECORD_BALLOTS,
            "T1",
            {"satisfied": -1, "basicallySatisfied": 0, "dissatisfied": 0, "channel": "PAPER"},
            "BALLOT_COUNT_NEGATIVE",
        ),
    ],
)
def test_a_broken_rule_is_refused_naming_it_and_writes_nothing(
    gql: GraphQL,
    runtime: Runtime,
    scenario: Scenario,
    mutation: str,
    key: str,
    fields: dict[str, Any],
    rule: str,
) -> None:
    before = runtime.store.max_position()
    error = scenario.office.error(mutation, {"input": {"taskId": scenario.tasks[key], **fields}})
    assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert error["extensions"]["rule"] == rule
    assert runtime.store.max_position() == before


def feedback_input(ids: dict[str, str], **changes: Any) -> dict[str, Any]:
    fields = {
        "roundId": ids["R1"],
        "unitId": ids["V1"],
        "givenOn": "2026-06-10",
        "report": "反馈意见",
        "items": [problem("P1", "三资管理", "问题"), task("T1", "P1", "措施")],
    }
    fields.update(changes)
    return fields


@pytest.fixture
def offices(gql: GraphQL, runtime: Runtime) -> dict[str, str]:
    ids = register_offices(gql)
    ids["R1"] = plan_round(runtime, ids["lixia"], date(2026, 5, 1), date(2026, 5, 31), ids["V1"])
    return ids


@pytest.fixture
def team(gql_as: GraphQLAs, offices: dict[str, str]) -> GraphQL:
    """历下's inspection team, which organised round R1."""
    return gql_as(Role.COUNTY_TEAM, offices["lixia"])


@pytest.mark.parametrize(
    ("changes", "code", "detail"),
    [
        ({"unitId": "V2"}, "RULE_VIOLATION", "FEEDBACK_UNIT_NOT_A_TARGET"),
        ({"roundId": UNKNOWN}, "NOT_FOUND", "round"),
        ({"givenOn": "2099-01-01"}, "VALIDATION_FAILED", "OCCURRED_ON_IN_FUTURE"),
        (
            {"items": [problem("P1", "三资管理", "问题")]},
            "RULE_VIOLATION",
            "FEEDBACK_PROBLEM_WITHOUT_TASK",
        ),
        (
            {"items": [{"kind": "PROBLEM", "key": "P1", "text": "x"}, task("T1", "P1", "y")]},
            "VALIDATION_FAILED",
            "category",
        ),
    ],
)
def test_bad_feedback_is_refused_and_writes_nothing(
    team: GraphQL,
    runtime: Runtime,
    offices: dict[str, str],
    changes: dict[str, Any],
    code: str,
    detail: str,
) -> None:
    if changes.get("unitId") == "V2":
        changes = {"unitId": offices["V2"]}
    before = runtime.store.max_position()
    error = team.error(RECORD_FEEDBACK, {"input": feedback_input(offices, **changes)})
    assert error["extensions"]["code"] == code
    assert detail in (error["extensions"].get("rule") or error["message"])
    assert runtime.store.max_position() == before


def test_a_unit_gets_one_feedback_per_round(team: GraphQL, offices: dict[str, str]) -> None:
    team.data(RECORD_FEEDBACK, {"input": feedback_input(offices)})
    error = team.error(RECORD_FEEDBACK, {"input": feedback_input(offices)})
    assert error["extensions"]["rule"] == "FEEDBACK_ALREADY_RECORDED"


def test_a_city_sees_the_feedback_of_its_counties(gql: GraphQL, scenario: Scenario) -> None:
    city = lists(gql, scenario, tenantId=scenario.ids["city"])
    assert [p["key"] for p in city["problems"]] == ["P1", "P2", "P3", "P4", "P5"]


AMEND_PRACTICE = """
mutation($input: AmendPracticeInput!) { amendPractice(input: $input) { id position } }
"""


def test_the_report_delay_follows_the_offices_configuration(
    gql: GraphQL, gql_as: GraphQLAs, team: GraphQL, offices: dict[str, str]
) -> None:
    today = today_in_china()
    gql_as(Role.ADMIN, offices["lixia"]).data(
        AMEND_PRACTICE,
        {
            "input": {
                "tenantId": offices["lixia"],
                "effectiveFrom": today.isoformat(),
                "rectificationReportDueMonths": 3,
            }
        },
    )
    written = team.data(RECORD_FEEDBACK, {"input": feedback_input(offices, givenOn=None)})[
        "recordFeedback"
    ]

    found = gql.data(RECTIFICATION, {"roundId": offices["R1"], "minPosition": written["position"]})[
        "rectification"
    ]
    assert found["feedbacks"][0]["givenOn"] == today.isoformat()
    assert found["feedbacks"][0]["reportDueOn"] == add_months(today, 3).isoformat()
    # Without a responsibility line, the task is due with the report.
    assert found["tasks"][0]["dueOn"] == add_months(today, 3).isoformat()


@pytest.mark.parametrize(
    ("role", "office"),
    [(Role.AUDITOR, "city"), (Role.COUNTY_TEAM, "lixia"), (Role.ADMIN, "lixia")],
)
def test_only_the_inspecting_office_or_its_city_verifies_a_task(
    gql_as: GraphQLAs, runtime: Runtime, scenario: Scenario, role: Role, office: str
) -> None:
    before = runtime.store.max_position()
    caller = gql_as(role, scenario.ids[office])
    # T5 of 市中's round R2 was reported done; only 市中 or 济南 may verify it. 历下 does not
    # even read 市中's round, so for 历下 the task is not there at all.
    error = caller.error(VERIFY_TASK, {"input": {"taskId": scenario.tasks["T5"]}})
    assert error["extensions"]["code"] == ("FORBIDDEN" if office == "city" else "NOT_FOUND")
    assert runtime.store.max_position() == before


def test_the_inspecting_county_team_verifies_its_own_task(
    gql_as: GraphQLAs, scenario: Scenario
) -> None:
    shizhong = gql_as(Role.COUNTY_TEAM, scenario.ids["shizhong"])
    written = shizhong.data(VERIFY_TASK, {"input": {"taskId": scenario.tasks["T5"]}})
    found = shizhong.data(
        RECTIFICATION,
        {"roundId": scenario.ids["R2"], "minPosition": written["verifyTask"]["position"]},
    )["rectification"]
    assert [(t["key"], t["status"]) for t in found["archive"]] == [("T5", "VERIFIED")]


def test_in_an_escalated_round_the_units_county_reports_and_the_city_verifies(
    gql_as: GraphQLAs, runtime: Runtime, offices: dict[str, str]
) -> None:
    """提级巡察: 济南 inspects 历下's village; 历下 reports the task done, only 济南 verifies."""
    escalated = plan_round(
        runtime,
        offices["city"],
        date(2026, 5, 1),
        date(2026, 5, 31),
        offices["V2"],
        linkage=Linkage.ESCALATED,
    )
    city, lixia = (
        gql_as(Role.CITY_OFFICE, offices["city"]),
        gql_as(Role.COUNTY_TEAM, offices["lixia"]),
    )
    written = city.data(
        RECORD_FEEDBACK,
        {"input": feedback_input(offices, roundId=escalated, unitId=offices["V2"])},
    )["recordFeedback"]
    (task_row,) = city.data(
        RECTIFICATION, {"roundId": escalated, "minPosition": written["position"]}
    )["rectification"]["tasks"]

    lixia.data(REPORT_TASK_DONE, {"input": {"taskId": task_row["id"], "evidence": "凭证"}})
    refused = lixia.error(VERIFY_TASK, {"input": {"taskId": task_row["id"]}})
    assert refused["extensions"]["code"] == "FORBIDDEN"
    city.data(VERIFY_TASK, {"input": {"taskId": task_row["id"]}})


def test_publication_withholds_only_the_marks_the_office_exempts(
    gql_as: GraphQLAs, scenario: Scenario
) -> None:
    """历下 exempts only state secrets from disclosure from today on: its problem marked
    under investigation (P3) may then be published; before today it may not."""
    today = today_in_china()
    amended = gql_as(Role.ADMIN, scenario.ids["lixia"]).data(
        AMEND_PRACTICE,
        {
            "input": {
                "tenantId": scenario.ids["lixia"],
                "effectiveFrom": today.isoformat(),
                "disclosureExemptions": ["STATE_SECRET"],
            }
        },
    )["amendPractice"]
    scenario.position = amended["position"]

    def published(day: str) -> list[str]:
        found = lists(
            scenario.office, scenario, roundId=scenario.ids["R1"], disclosableOnly=True, today=day
        )
        return [p["key"] for p in found["problems"]]

    assert published(today.isoformat()) == ["P1", "P2", "P3", "P4"]
    assert published("2026-11-20") == ["P1", "P2", "P4"]
