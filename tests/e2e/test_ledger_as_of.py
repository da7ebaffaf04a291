"""`clueLedger(asOf)`: the ledger as it stood at a recorded moment, with every filter and sort,
read from the read models' history; a moment to come or before the first event is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.clue_support import act, ledger, register
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import REGISTER_TENANT, GraphQL, register_city_with_village


def moment(runtime: Runtime) -> str:
    """Now, once the read models applied everything written so far."""
    runtime.wait_for_projections(runtime.store.max_position())
    return datetime.now(UTC).isoformat()


def rows(gql: GraphQL, **variables: Any) -> list[tuple[str, str]]:
    page = ledger(gql, **variables)
    return [(e["node"]["summary"], e["node"]["status"]) for e in page["edges"]]


def transfer(gql: GraphQL, ids: dict[str, str], clue: str, priority: str) -> None:
    act(gql, "triageClue", clueId=clue, priority=priority, proposedRoute="移交")
    act(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="DISCIPLINE_COMMISSION",
        receivingTenantId=ids["county"],
        dueDate="2026-12-10",
    )


@pytest.fixture
def history(gql: GraphQL, runtime: Runtime) -> dict[str, str]:
    """A and B registered, A transferred (then: `before`); afterwards A's summary corrected,
    B transferred and concluded, and C registered."""
    ids = register_city_with_village(gql)
    a = register(gql, ids, summary="A")["id"]
    b = register(gql, ids, summary="B")["id"]
    transfer(gql, ids, a, "KEY")
    before = moment(runtime)
    act(gql, "correctClue", clueId=a, field="SUMMARY", newValue="A2", reason="核实")
    transfer(gql, ids, b, "ATTENTION")
    act(gql, "acceptClue", clueId=b)
    act(gql, "concludeClue", clueId=b, disposition="INQUIRY")
    register(gql, ids, summary="C")
    return {**ids, "before": before, "after": moment(runtime)}


def test_the_ledger_as_of_a_moment_shows_what_it_showed_then(
    gql: GraphQL, history: dict[str, str]
) -> None:
    then = ledger(gql, asOf=history["before"])
    assert then["totalCount"] == 2
    assert rows(gql, asOf=history["before"]) == [("A", "TRANSFERRED"), ("B", "REGISTERED")]
    assert rows(gql, asOf=history["after"]) == rows(gql)
    assert rows(gql) == [("A2", "TRANSFERRED"), ("B", "CONCLUDED"), ("C", "REGISTERED")]


@pytest.mark.parametrize(
    ("variables", "then", "now"),
    [
        ({"status": "CONCLUDED"}, [], ["B"]),
        ({"priority": "KEY"}, ["A"], ["A2"]),
        ({"overdue": True, "today": "2026-12-11"}, ["A"], ["A2"]),
        ({"sort": "REGISTERED", "descending": True}, ["B", "A"], ["C", "B", "A2"]),
        ({"first": 1}, ["A"], ["A2"]),
    ],
)
def test_filters_sorts_and_pages_apply_to_the_ledger_as_it_stood(
    gql: GraphQL,
    history: dict[str, str],
    variables: dict[str, Any],
    then: list[str],
    now: list[str],
) -> None:
    assert [s for s, _ in rows(gql, asOf=history["before"], **variables)] == then
    assert [s for s, _ in rows(gql, **variables)] == now


def test_the_next_page_as_of_a_moment_continues_the_same_ledger(
    gql: GraphQL, history: dict[str, str]
) -> None:
    first = ledger(gql, asOf=history["before"], first=1)
    rest = rows(gql, asOf=history["before"], first=5, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"]
    assert rest == [("B", "REGISTERED")]


def test_another_county_sees_nothing_of_the_past_either(
    gql: GraphQL, gql_as: GraphQLAs, history: dict[str, str]
) -> None:
    other = gql.data(
        REGISTER_TENANT,
        {
            "input": {
                "code": "370199",
                "name": "另一区",
                "level": "COUNTY",
                "parentId": history["city"],
            }
        },
    )["registerTenant"]["id"]
    outsider = gql_as(Role.COUNTY_TEAM, other)
    assert ledger(outsider, asOf=history["before"])["totalCount"] == 0
    assert (
        ledger(gql_as(Role.CITY_OFFICE, history["city"]), asOf=history["before"])["totalCount"] == 2
    )


@pytest.mark.parametrize(
    ("as_of", "rule"),
    [
        (datetime.now(UTC) + timedelta(days=1), "AS_OF_IN_FUTURE"),
        (datetime(2000, 1, 1, tzinfo=UTC), "AS_OF_BEFORE_FIRST_EVENT"),
    ],
)
def test_a_moment_to_come_or_before_the_first_event_is_refused(
    gql: GraphQL, history: dict[str, str], as_of: datetime, rule: str
) -> None:
    from tests.e2e.clue_support import LEDGER

    error = gql.error(LEDGER, {"asOf": as_of.isoformat()})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["rule"] == rule
    assert error["extensions"]["field"] == "asOf"
