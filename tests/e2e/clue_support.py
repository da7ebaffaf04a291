"""GraphQL documents and small steps for the clue lifecycle tests."""

from __future__ import annotations

from typing import Any

from tests.support.graphql import REGISTER_CLUE, GraphQL

LIFECYCLE = {
    name: f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) "
    "{ id position } }"
    for name in (
        "triageClue",
        "transferClue",
        "acceptClue",
        "reportClueProgress",
        "concludeClue",
        "superviseClue",
        "correctClue",
        "eraseInformant",
    )
}

LEDGER = """
query($minPosition: BigInt, $tenantId: ID, $roundId: ID, $unitId: ID,
      $status: ClueStatus, $priority: PriorityClass, $category: String, $overdue: Boolean,
      $supervisionStep: SupervisionStep, $dueBefore: Date, $today: Date, $sort: ClueSort,
      $descending: Boolean, $receivingTenantId: ID, $first: Int, $after: String,
      $asOf: DateTime) {
  clueLedger(minPosition: $minPosition, tenantId: $tenantId, roundId: $roundId,
             unitId: $unitId, status: $status, priority: $priority, category: $category,
             overdue: $overdue, supervisionStep: $supervisionStep, dueBefore: $dueBefore,
             today: $today, sort: $sort, descending: $descending,
             receivingTenantId: $receivingTenantId, first: $first, after: $after,
             asOf: $asOf) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id summary category status version priority proposedRoute handlingBody
      receivingTenantId transferredOn dueDate dueProvisional workingDays overdue
      supervisionStep warningFinalDate lastProgress disposition personsDisciplined
      fundsRecovered closedInLedger concludedOn amountInvolved
      informant { status name contact }
    } }
  }
}
"""


def registration(ids: dict[str, str], **changes: Any) -> dict[str, Any]:
    """The input of a clue's registration by the county about its village."""
    fields: dict[str, Any] = {
        "tenantId": ids["county"],
        "unitId": ids["village"],
        "source": "PETITION",
        "category": "三资管理",
        "summary": "村集体土地流转收入未入账",
        "amountInvolved": "120000",
    }
    return fields | changes


def register(gql: GraphQL, ids: dict[str, str], **changes: Any) -> dict[str, Any]:
    written: dict[str, Any] = gql.data(REGISTER_CLUE, {"input": registration(ids, **changes)})[
        "registerClue"
    ]
    return written


def act(gql: GraphQL, mutation: str, **fields: Any) -> dict[str, Any]:
    written: dict[str, Any] = gql.data(LIFECYCLE[mutation], {"input": fields})[mutation]
    return written


def refusal(gql: GraphQL, mutation: str, **fields: Any) -> dict[str, Any]:
    return gql.error(LIFECYCLE[mutation], {"input": fields})


def ledger(gql: GraphQL, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = gql.data(LEDGER, variables)["clueLedger"]
    return result


def only_node(gql: GraphQL, **variables: Any) -> dict[str, Any]:
    found = ledger(gql, **variables)
    assert found["totalCount"] == 1, found
    node: dict[str, Any] = found["edges"][0]["node"]
    return node
