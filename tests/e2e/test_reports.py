"""`issueReport` pins a view as an event with the SHA-256 of its content; `report(id)`
recomputes it at the pinned position (it still matches) and shows what changed since as a
difference, never as a silent change."""

from __future__ import annotations

from typing import Any

from services.runtime import Runtime
from tests.e2e.clue_support import act, register
from tests.e2e.test_ledger_as_of import moment, transfer
from tests.support.graphql import GraphQL, register_city_with_village

ISSUE = "mutation($input: IssueReportInput!) { issueReport(input: $input) { id position } }"
REPORT = """query($id: ID!) { report(id: $id) {
  id kind arguments position digest recomputedDigest matches currentDigest
  sinceReported { path reported now }
} }"""


def report(gql: GraphQL, report_id: str) -> dict[str, Any]:
    found: dict[str, Any] = gql.data(REPORT, {"id": report_id})["report"]
    return found


def test_a_report_reproduces_and_shows_later_changes_as_a_difference(
    gql: GraphQL, runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    clue = register(gql, ids, summary="A")["id"]
    transfer(gql, ids, clue, "KEY")
    moment(runtime)
    issued = gql.data(
        ISSUE,
        {"input": {"tenantId": ids["county"], "kind": "STATISTICS", "periodTo": "2099-12-31"}},
    )["issueReport"]
    act(gql, "acceptClue", clueId=clue)
    act(gql, "concludeClue", clueId=clue, disposition="INQUIRY")
    moment(runtime)

    found = report(gql, issued["id"])
    assert found["kind"] == "STATISTICS"
    assert found["matches"]
    assert found["recomputedDigest"] == found["digest"]
    assert found["currentDigest"] != found["digest"]
    changes = {c["path"]: (c["reported"], c["now"]) for c in found["sinceReported"]}
    assert changes["total.clues_concluded"] == ("0", "1")


def test_a_ledger_report_as_of_a_past_moment_is_the_ledger_then(
    gql: GraphQL, runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    register(gql, ids, summary="A")
    then = moment(runtime)
    register(gql, ids, summary="B")
    moment(runtime)
    issued = gql.data(
        ISSUE, {"input": {"tenantId": ids["county"], "kind": "CLUE_LEDGER", "asOf": then}}
    )["issueReport"]

    found = report(gql, issued["id"])
    assert found["matches"]
    assert [c["path"] for c in found["sinceReported"]][:1] == ["clues.1"]
    assert ("totalCount", "1", "2") in {
        (c["path"], c["reported"], c["now"]) for c in found["sinceReported"]
    }
