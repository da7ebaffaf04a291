"""The clue lifecycle over HTTP: triage, transfer (by date or in working days), accept,
progress, conclude, supervise, correct; refusals name their rule and write nothing; a stale
`expectedVersion` is a CONFLICT."""

from datetime import date, timedelta
from typing import Any

import pytest

from services.clock import today_in_china
from services.runtime import Runtime
from tests.e2e.clue_support import act, only_node, refusal, register
from tests.support.graphql import GraphQL, register_city_with_village


@pytest.fixture
def ids(gql: GraphQL) -> dict[str, str]:
    return register_city_with_village(gql)


def in_days(days: int) -> str:
    return (today_in_china() + timedelta(days=days)).isoformat()


def transferred(gql: GraphQL, ids: dict[str, str], **transfer: Any) -> str:
    clue = register(gql, ids)["id"]
    act(gql, "triageClue", clueId=clue, priority="KEY", proposedRoute="移交纪委监委")
    fields = {"handlingBody": "DISCIPLINE_COMMISSION", "receivingTenantId": ids["county"]}
    fields.update(transfer or {"dueDate": in_days(30)})
    act(gql, "transferClue", clueId=clue, **fields)
    return clue


def test_a_clue_is_triaged_transferred_accepted_and_concluded(
    gql: GraphQL, ids: dict[str, str]
) -> None:
    clue = transferred(gql, ids)
    act(gql, "acceptClue", clueId=clue, expectedVersion=3)
    act(gql, "reportClueProgress", clueId=clue, progress="已谈话函询", expectedVersion=4)
    written = act(
        gql,
        "concludeClue",
        clueId=clue,
        disposition="CASE_FILED",
        personsDisciplined=2,
        fundsRecovered="85000.50",
        expectedVersion=5,
    )

    node = only_node(gql, minPosition=written["position"])

    assert node["id"] == clue
    assert node["version"] == 6
    assert {k: node[k] for k in ("status", "priority", "handlingBody", "disposition")} == {
        "status": "CONCLUDED",
        "priority": "KEY",
        "handlingBody": "DISCIPLINE_COMMISSION",
        "disposition": "CASE_FILED",
    }
    assert node["receivingTenantId"] == ids["county"]
    assert node["dueDate"] == in_days(30)
    assert node["lastProgress"] == "已谈话函询"
    assert node["personsDisciplined"] == 2
    assert node["fundsRecovered"] == "85000.50"
    assert node["closedInLedger"] is True
    assert node["overdue"] is False


def test_a_due_date_in_working_days_follows_the_official_calendar(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime
) -> None:
    runtime.clues.today = lambda: date(2026, 9, 28)
    clue = transferred(gql, ids, workingDays=10)
    node = only_node(gql, minPosition=runtime.store.max_position())
    assert node["id"] == clue
    # Across National Day 2026 (1–7 Oct off, Saturday 10 Oct a working day).
    assert node["dueDate"] == "2026-10-16"
    assert node["workingDays"] == 10
    assert node["dueProvisional"] is False


def test_a_stale_expected_version_is_a_conflict_and_writes_nothing(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime
) -> None:
    clue = transferred(gql, ids)
    before = runtime.store.max_position()

    error = refusal(gql, "acceptClue", clueId=clue, expectedVersion=2)

    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["version"] == 3
    assert runtime.store.max_position() == before


@pytest.mark.parametrize(
    ("mutation", "fields", "rule"),
    [
        ("concludeClue", {"disposition": "INQUIRY"}, "CLUE_CONCLUDE_BEFORE_TRANSFER"),
        ("acceptClue", {}, "CLUE_ACCEPT_BEFORE_TRANSFER"),
        ("superviseClue", {"step": "GUIDANCE"}, "CLUE_SUPERVISION_BEFORE_TRANSFER"),
    ],
)
def test_illegal_transitions_are_refused_with_the_rule_and_write_nothing(
    gql: GraphQL,
    ids: dict[str, str],
    runtime: Runtime,
    mutation: str,
    fields: dict[str, Any],
    rule: str,
) -> None:
    clue = register(gql, ids)["id"]
    act(gql, "triageClue", clueId=clue, priority="ATTENTION", proposedRoute="了解")
    before = runtime.store.max_position()

    error = refusal(gql, mutation, clueId=clue, **fields)

    assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert error["extensions"]["rule"] == rule
    assert runtime.store.max_position() == before


def test_transferring_twice_to_the_same_body_is_refused(gql: GraphQL, ids: dict[str, str]) -> None:
    clue = transferred(gql, ids)
    error = refusal(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="DISCIPLINE_COMMISSION",
        receivingTenantId=ids["county"],
        dueDate=in_days(40),
    )
    assert error["extensions"]["rule"] == "CLUE_ALREADY_TRANSFERRED_TO_BODY"


def test_a_transfer_takes_a_due_date_or_working_days_not_both(
    gql: GraphQL, ids: dict[str, str]
) -> None:
    clue = register(gql, ids)["id"]
    act(gql, "triageClue", clueId=clue, priority="KEY", proposedRoute="移交")
    error = refusal(
        gql,
        "transferClue",
        clueId=clue,
        handlingBody="TOWNSHIP_COMMITTEE",
        receivingTenantId=ids["county"],
        dueDate=in_days(20),
        workingDays=10,
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "dueDate"


def test_a_transfer_without_a_due_date_gets_the_offices_default_working_days(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime
) -> None:
    runtime.clues.today = lambda: date(2026, 9, 28)
    clue = transferred(gql, ids, handlingBody="TOWNSHIP_COMMITTEE")
    # 30 working days (the default) after Monday 2026-09-28, across the National Day
    # holiday (1–7 October) and its make-up working Saturday (10 October).
    node = only_node(gql, today="2026-09-28", minPosition=runtime.store.max_position())
    assert node["id"] == clue
    assert node["dueDate"] == "2026-11-13"


def test_an_overdue_clue_climbs_the_supervision_ladder(
    gql: GraphQL, ids: dict[str, str], runtime: Runtime
) -> None:
    runtime.clues.today = lambda: date(2026, 11, 23)
    clue = transferred(gql, ids, dueDate="2026-12-21")
    act(gql, "superviseClue", clueId=clue, step="REMINDER", note="临近期限")
    runtime.clues.today = lambda: date(2026, 12, 22)
    error = refusal(gql, "superviseClue", clueId=clue, step="GUIDANCE")
    assert error["extensions"]["rule"] == "CLUE_SUPERVISION_STEP_NOT_FORWARD"
    written = act(gql, "superviseClue", clueId=clue, step="WARNING", finalDate="2027-01-08")

    node = only_node(gql, minPosition=written["position"], today="2026-12-22")

    assert node["supervisionStep"] == "WARNING"
    assert node["warningFinalDate"] == "2027-01-08"
    assert node["overdue"] is True


def test_a_correction_is_recorded_as_a_new_version(gql: GraphQL, ids: dict[str, str]) -> None:
    clue = register(gql, ids)["id"]
    written = act(
        gql,
        "correctClue",
        clueId=clue,
        field="AMOUNT_INVOLVED",
        newValue="98000",
        reason="核对账册后更正",
        expectedVersion=1,
    )
    node = only_node(gql, minPosition=written["position"])
    assert node["amountInvolved"] == "98000.00"
    assert node["version"] == 2


def test_figures_and_due_date_of_a_concluded_clue_are_corrected_with_reasons(
    gql: GraphQL, ids: dict[str, str]
) -> None:
    clue = transferred(gql, ids)
    act(gql, "acceptClue", clueId=clue)
    act(gql, "concludeClue", clueId=clue, disposition="INQUIRY", personsDisciplined=1)
    act(gql, "correctClue", clueId=clue, field="PERSONS_DISCIPLINED", newValue="3", reason="补录")
    act(gql, "correctClue", clueId=clue, field="FUNDS_RECOVERED", newValue="1200.5", reason="补录")
    written = act(
        gql, "correctClue", clueId=clue, field="DUE_DATE", newValue=in_days(60), reason="批准延期"
    )
    node = only_node(gql, minPosition=written["position"])
    assert (node["personsDisciplined"], node["fundsRecovered"]) == (3, "1200.50")
    assert (node["dueDate"], node["dueProvisional"], node["version"]) == (in_days(60), False, 8)
