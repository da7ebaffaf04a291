"""GraphQL documents and builders for inspection groups and cross batches inside an office:
a district (汉江区-like) with townships, their villages, and a group drawn from each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.graphql import REGISTER_UNIT, GraphQL
from tests.support.rounds import ROUND_FIELDS, inspector, tenant, write

FORM_GROUP = """
mutation($input: FormInspectionGroupInput!) {
  formInspectionGroup(input: $input) { id position }
}
"""
CHANGE_MEMBERS = """
mutation($input: ChangeGroupMembersInput!) { changeGroupMembers(input: $input) { id position } }
"""
PLAN_TOWNSHIP_BATCH = """
mutation($input: PlanTownshipCrossBatchInput!) {
  planTownshipCrossBatch(input: $input) { batchId roundIds position }
}
"""
DEFINE_ZONE = """
mutation($input: DefineZoneInput!) { defineZone(input: $input) { id position } }
"""
GROUPS = """
query($tenantId: ID!, $kind: GroupKind, $minPosition: BigInt) {
  inspectionGroups(tenantId: $tenantId, kind: $kind, minPosition: $minPosition) {
    totalCount
    edges { node {
      id name kind homeTownshipId homeTownship { name } leaderId deputyId memberIds liaisonId
    } }
  }
}
"""
CROSSING_FIELDS = """
  crossing {
    mode zoneId zone owningTownshipId owningTownship { name } homeTownshipId homeTownship { name }
    inspectingGroupId inspectingGroup { name } hostGroupId supervisoryGroupId
    supervisoryGroup { name kind }
  }
  targets { unitId reasons unit { name } }
"""
TOWNSHIP_ROUNDS = f"""
query($tenantId: ID!, $batchId: ID, $groupId: ID, $townshipId: ID,
      $selectionReason: SelectionReason, $minPosition: BigInt) {{
  townshipCrossRounds(tenantId: $tenantId, batchId: $batchId, groupId: $groupId,
                      townshipId: $townshipId, selectionReason: $selectionReason,
                      minPosition: $minPosition) {{
    totalCount
    edges {{ node {{ {ROUND_FIELDS} {CROSSING_FIELDS} }} }}
  }}
}}
"""
PERIOD = {"periodStart": "2026-05-06", "periodEnd": "2026-06-05"}


def township_unit(
    gql: GraphQL, owner: str, code: str, name: str, unit_type: str, parent: str | None = None
) -> str:
    fields = {"tenantId": owner, "code": code, "name": name, "unitType": unit_type}
    if parent:
        fields["parentId"] = parent
    return str(gql.data(REGISTER_UNIT, {"input": fields})["registerUnit"]["id"])


@dataclass
class Township:
    id: str
    name: str
    villages: list[str]
    group: str = ""
    cadres: dict[str, str] = field(default_factory=dict)  # role -> inspector id


@dataclass
class District:
    city: str
    district: str
    townships: dict[str, Township]  # by name
    supervisory: str = ""

    def batch(self, names: list[str] | None = None, **extra: Any) -> dict[str, Any]:
        """A ROTATION batch over the named townships, every village chosen as weak."""
        chosen = [self.townships[n] for n in names or list(self.townships)]
        return {
            "tenantId": self.district,
            "mode": "ROTATION",
            "kind": "REGULAR",
            "title": "延伸巡察",
            **PERIOD,
            "townships": [
                {
                    "townshipId": t.id,
                    "groupId": t.group,
                    "targets": [{"unitId": v, "reasons": ["WEAK_AND_LAX"]} for v in t.villages],
                }
                for t in chosen
            ],
            **extra,
        }


def form_group(gql: GraphQL, district: str, name: str, kind: str, **fields: Any) -> str:
    given = {"tenantId": district, "name": name, "kind": kind, **fields}
    return str(write(gql, FORM_GROUP, given)["id"])


def hanjiang(gql: GraphQL, townships: int = 4) -> District:
    """A district with `townships` townships (code order = name order) of two villages each,
    and an extension group of four cadres drawn from each; one supervisory group."""
    city = tenant(gql, "4290", "示范市")
    district = tenant(gql, "429004", "汉江区", city)
    made: dict[str, Township] = {}
    for i in range(1, townships + 1):
        name = f"第{i}镇"
        tid = township_unit(gql, district, f"T{i}", name, "TOWNSHIP")
        villages = [
            township_unit(gql, district, f"T{i}V{j}", f"{i}镇{j}村", "VILLAGE", tid) for j in (1, 2)
        ]
        made[name] = Township(tid, name, villages)
    for t in made.values():
        t.cadres = {
            role: inspector(gql, district, f"{t.name}{role}")
            for role in ("leader", "deputy", "member", "liaison")
        }
        t.group = form_group(
            gql,
            district,
            f"{t.name}延伸巡察组",
            "EXTENSION",
            homeTownshipId=t.id,
            leaderId=t.cadres["leader"],
            deputyId=t.cadres["deputy"],
            memberIds=[t.cadres["member"]],
            liaisonId=t.cadres["liaison"],
        )
    overseer = inspector(gql, district, "督导组长")
    supervisory = form_group(gql, district, "区委督导组", "SUPERVISORY", leaderId=overseer)
    return District(city, district, made, supervisory)
