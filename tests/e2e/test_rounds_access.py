"""Who may write to a round: its organising office, that office's city and, for combined
rounds, the offices taking part. Anyone else is refused with FORBIDDEN, or with NOT_FOUND when
it does not even read the round, and nothing is written."""

from __future__ import annotations

from typing import Any

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import GraphQL
from tests.support.rounds import ADVANCE_PHASE, PLAN_ROUND, ROUND, advance, tenant, unit, write


def round_input(organiser: str, village: str) -> dict[str, Any]:
    return {
        "tenantId": organiser,
        "kind": "REGULAR",
        "linkage": "STANDALONE",
        "title": "历下区第一轮巡察",
        "periodStart": "2026-03-01",
        "periodEnd": "2026-05-31",
        "targetUnitIds": [village],
    }


def test_only_offices_taking_part_write_to_a_round(
    gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime
) -> None:
    city = tenant(gql, "3701", "济南市")
    lixia = tenant(gql, "370102", "历下区", city)
    licheng = tenant(gql, "370112", "历城区", city)
    village = unit(gql, lixia, "V1", "甲村")
    neighbour = gql_as(Role.COUNTY_TEAM, licheng)
    auditor = gql_as(Role.AUDITOR, city)
    before = runtime.store.max_position()

    for outsider in (neighbour, auditor):
        refused = outsider.error(PLAN_ROUND, {"input": round_input(lixia, village)})
        assert refused["extensions"]["code"] == "FORBIDDEN"
    assert runtime.store.max_position() == before

    planned = write(gql_as(Role.COUNTY_TEAM, lixia), PLAN_ROUND, round_input(lixia, village))
    head = runtime.store.max_position()
    refused = neighbour.error(
        ADVANCE_PHASE,
        {"input": {"roundId": planned["id"], "phase": "PREPARING", "on": "2026-03-01"}},
    )
    # The neighbour reads nothing of the round, so it learns nothing of it either.
    assert refused["extensions"]["code"] == "NOT_FOUND"
    assert refused["message"] == f"No round with id {planned['id']}"
    assert runtime.store.max_position() == head

    # The city supervises its county's round and may move it on.
    last = advance(gql_as(Role.CITY_OFFICE, city), planned["id"], ("PREPARING", "2026-03-01"))
    view = gql.data(ROUND, {"id": planned["id"], "minPosition": last})["round"]
    assert view["phase"] == "PREPARING"
