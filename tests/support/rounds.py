"""GraphQL documents and builders for the round tests over HTTP."""

from __future__ import annotations

from typing import Any

from tests.support.graphql import REGISTER_TENANT, REGISTER_UNIT, GraphQL

PLAN_ROUND = "mutation($input: PlanRoundInput!) { planRound(input: $input) { id position } }"
PLAN_CROSS_BATCH = """
mutation($input: PlanCrossBatchInput!) {
  planCrossBatch(input: $input) { batchId roundIds position }
}
"""
REGISTER_INSPECTOR = """
mutation($input: RegisterInspectorInput!) { registerInspector(input: $input) { id position } }
"""
ASSIGN_INSPECTOR = """
mutation($input: AssignInspectorInput!) { assignInspector(input: $input) { id position } }
"""
DECLARE_RECUSAL = """
mutation($input: DeclareRecusalInput!) { declareRecusal(input: $input) { id position } }
"""
ADVANCE_PHASE = """
mutation($input: AdvanceRoundPhaseInput!) { advanceRoundPhase(input: $input) { id position } }
"""
OPEN_CHANNEL = """
mutation($input: OpenPetitionChannelInput!) { openPetitionChannel(input: $input) { id position } }
"""
CLOSE_CHANNEL = """
mutation($input: ClosePetitionChannelInput!) {
  closePetitionChannel(input: $input) { id position }
}
"""

ROUND_FIELDS = """
  id organiserId organiser { code } cityId kind theme linkage title periodStart periodEnd
  coOrganiserIds
  parentId inspectingCountyId owningCountyId batchId phase version
  phaseDates { phase on }
  petitionChannels { channel address openedOn closesOn closedOn }
  targets { unitId ownerId stationed unit { name } }
  team { inspectorId name role homeTenantId }
  recusals { inspectorId unitId reason declaredOn }
  progress {
    targetsTotal targetsStationed cluesRegistered cluesOpen cluesOverdue problemsFound
  }
"""
ROUND = f"""
query($id: ID!, $minPosition: BigInt) {{ round(id: $id, minPosition: $minPosition) {{
  {ROUND_FIELDS}
}} }}
"""
LIST_ARGS = """
$cityId: ID!, $minPosition: BigInt, $periodFrom: Date, $periodTo: Date, $phase: RoundPhase,
$countyId: ID, $first: Int, $after: String
"""
PASS_ARGS = """
cityId: $cityId, minPosition: $minPosition, periodFrom: $periodFrom, periodTo: $periodTo,
phase: $phase, countyId: $countyId, first: $first, after: $after
"""


def round_list(name: str) -> str:
    return f"""
query({LIST_ARGS}) {{ {name}({PASS_ARGS}) {{
  totalCount pageInfo {{ hasNextPage endCursor }}
  edges {{ node {{ {ROUND_FIELDS} }} }}
}} }}
"""


LINKED_ROUNDS = f"""
query({LIST_ARGS}) {{ linkedRounds({PASS_ARGS}) {{
  totalCount
  edges {{ node {{
    parent {{ {ROUND_FIELDS} }}
    children {{ {ROUND_FIELDS} }}
    counties {{ countyId county {{ code }} childRounds progress {{
      targetsTotal targetsStationed cluesRegistered cluesOpen cluesOverdue problemsFound
    }} }}
  }} }}
}} }}
"""
COVERAGE = """
query($tenantId: ID!, $termStart: Date!, $termEnd: Date!, $asOf: Date, $minPosition: BigInt) {
  coverage(tenantId: $tenantId, termStart: $termStart, termEnd: $termEnd, asOf: $asOf,
           minPosition: $minPosition) {
    units inspected rate remaining yearsLeft yearlyPaceNeeded
    byUnitType { unitType units inspected rate }
    byCounty { tenantId tenant { name } units inspected rate }
  }
}
"""


def tenant(gql: GraphQL, code: str, name: str, parent_id: str | None = None) -> str:
    fields: dict[str, Any] = {
        "code": code,
        "name": name,
        "level": "COUNTY" if parent_id else "CITY",
    }
    if parent_id:
        fields["parentId"] = parent_id
    return str(gql.data(REGISTER_TENANT, {"input": fields})["registerTenant"]["id"])


def unit(gql: GraphQL, owner: str, code: str, name: str, unit_type: str = "VILLAGE") -> str:
    fields = {"tenantId": owner, "code": code, "name": name, "unitType": unit_type}
    return str(gql.data(REGISTER_UNIT, {"input": fields})["registerUnit"]["id"])


def write(gql: GraphQL, document: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Run a mutation; its payload (id/position or batch)."""
    data = gql.data(document, {"input": fields})
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


def inspector(gql: GraphQL, home: str, name: str, **extra: Any) -> str:
    return str(write(gql, REGISTER_INSPECTOR, {"homeTenantId": home, "name": name, **extra})["id"])


def advance(gql: GraphQL, round_id: str, *phases_on: tuple[str, str]) -> int:
    position = 0
    for phase, on in phases_on:
        position = write(gql, ADVANCE_PHASE, {"roundId": round_id, "phase": phase, "on": on})[
            "position"
        ]
    return position
