"""The `deadlines` query (超期预警): an office's open clues and rectification tasks due within
N working days on the official calendar, or overdue, scoped as every read."""

from __future__ import annotations

import pytest

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.deadlines import DEADLINES, TODAY, DeadlineScenario, deadlines, seed_deadlines
from tests.support.graphql import GraphQL


@pytest.fixture
def scenario(gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime) -> DeadlineScenario:
    return seed_deadlines(gql, gql_as, runtime)


def _named(scenario: DeadlineScenario, rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [
        (scenario.name_of(str(r["id"])), r["kind"], r["dueOn"], r["workingDaysLeft"], r["level"])
        for r in rows
    ]


def test_a_county_sees_what_is_overdue_or_due_within_three_working_days(
    gql: GraphQL, scenario: DeadlineScenario
) -> None:
    rows = deadlines(gql, scenario, scenario.ids["lixia"])

    assert _named(scenario, rows) == [
        ("T3", "TASK", "2026-08-10", -70, "OVERDUE"),  # National Day week does not count
        ("C_OVERDUE", "CLUE", "2026-11-18", -2, "OVERDUE"),
        ("C_TODAY", "CLUE", "2026-11-20", 0, "DUE_SOON"),
        ("C_SOON", "CLUE", "2026-11-24", 2, "DUE_SOON"),
        ("C_EDGE", "CLUE", "2026-11-25", 3, "DUE_SOON"),
    ]  # C_LATER is 4 working days away; C_DONE is concluded; T1, T2 and T4 are verified
    clue = rows[1]
    assert clue["step"] == "TRANSFERRED"
    assert clue["title"] == "C_OVERDUE：村集体土地流转收入未入账"
    assert clue["tenantId"] == scenario.ids["lixia"]
    assert clue["dueProvisional"] is False  # 2026's calendar is known
    assert rows[0]["step"] == "OPEN"


def test_the_horizon_is_counted_in_working_days(gql: GraphQL, scenario: DeadlineScenario) -> None:
    names = [
        scenario.name_of(str(r["id"]))
        for r in deadlines(gql, scenario, scenario.ids["lixia"], within=4)
    ]
    assert "C_LATER" in names

    only_overdue_or_today = deadlines(gql, scenario, scenario.ids["lixia"], within=0)
    assert [scenario.name_of(str(r["id"])) for r in only_overdue_or_today] == [
        "T3",
        "C_OVERDUE",
        "C_TODAY",
    ]


def test_a_city_sees_its_counties_items(gql_as: GraphQLAs, scenario: DeadlineScenario) -> None:
    city = gql_as(Role.CITY_OFFICE, scenario.ids["city"])
    rows = deadlines(city, scenario, scenario.ids["city"])

    by_office = {(scenario.name_of(str(r["id"])), r["tenantId"]) for r in rows}
    assert ("T5", scenario.ids["shizhong"]) in by_office  # done, not verified: still open
    assert ("T3", scenario.ids["lixia"]) in by_office
    assert len(rows) == 6


def test_a_county_sees_neither_another_county_nor_its_city(
    gql_as: GraphQLAs, scenario: DeadlineScenario
) -> None:
    lixia = gql_as(Role.COUNTY_TEAM, scenario.ids["lixia"])
    assert [r["tenantId"] for r in deadlines(lixia, scenario, scenario.ids["lixia"])] == [
        scenario.ids["lixia"]
    ] * 5
    for other in ("shizhong", "city"):
        variables = {"tenantId": scenario.ids[other], "today": TODAY.isoformat()}
        error = lixia.error(DEADLINES, variables)
        assert error["extensions"]["code"] == "NOT_FOUND"


def test_a_horizon_out_of_range_is_refused(gql: GraphQL, scenario: DeadlineScenario) -> None:
    variables = {"tenantId": scenario.ids["lixia"], "within": 61}
    error = gql.error(DEADLINES, variables)
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "withinWorkingDays"
