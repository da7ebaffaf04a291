"""A unit is in at most one open round of a period, unless one is a REVISIT (回头看); a
closed round frees its units."""

from __future__ import annotations

from typing import Any

import pytest

from domain.tenants.tenant import tenant_id_for
from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import GraphQL
from tests.support.rounds import PLAN_ROUND, ROUND, advance, tenant, unit, write


@pytest.fixture
def office(gql_as: GraphQLAs) -> GraphQL:
    """The city's inspection office, which plans and runs the rounds of these tests."""
    return gql_as(Role.CITY_OFFICE, tenant_id_for("3701"))


def test_a_revisit_may_overlap_and_a_closed_round_frees_its_units(
    gql: GraphQL, runtime: Runtime, office: GraphQL
) -> None:
    city = tenant(gql, "3701", "济南市")
    county = tenant(gql, "370102", "历下区", city)
    village = unit(gql, county, "V1", "甲村")

    def plan(**fields: Any) -> dict[str, Any]:
        base = {
            "tenantId": county,
            "kind": "REGULAR",
            "linkage": "STANDALONE",
            "title": "常规巡察",
            "periodStart": "2026-03-01",
            "periodEnd": "2026-05-31",
            "targetUnitIds": [village],
        }
        return write(office, PLAN_ROUND, {**base, **fields})

    regular = plan()
    before = runtime.store.max_position()
    clash = office.error(
        PLAN_ROUND,
        {
            "input": {
                "tenantId": county,
                "kind": "MOBILE",
                "linkage": "STANDALONE",
                "title": "机动巡察",
                "periodStart": "2026-05-01",
                "periodEnd": "2026-05-20",
                "targetUnitIds": [village],
            }
        },
    )
    assert clash["extensions"]["rule"] == "ROUND_TARGET_OCCUPIED"
    assert clash["extensions"]["unitId"] == village
    assert clash["extensions"]["roundId"] == regular["id"]
    assert runtime.store.max_position() == before

    revisit = plan(
        kind="REVISIT",
        revisitOfRoundId=regular["id"],
        title="回头看",
        periodStart="2026-05-10",
        periodEnd="2026-06-01",
    )
    phases = [
        ("PREPARING", "2026-03-01"),
        ("STATIONED", "2026-03-05"),
        ("REPORTED", "2026-04-01"),
        ("FEEDBACK_GIVEN", "2026-04-15"),
        ("RECTIFYING", "2026-04-16"),
        ("CLOSED", "2026-05-05"),
    ]
    advance(office, regular["id"], *phases)
    mobile = plan(kind="MOBILE", title="机动巡察", periodStart="2026-05-01", periodEnd="2026-05-20")

    view = gql.data(ROUND, {"id": revisit["id"], "minPosition": mobile["position"]})["round"]
    assert view["kind"] == "REVISIT"
    closed = gql.data(ROUND, {"id": regular["id"]})["round"]
    assert closed["phase"] == "CLOSED"
    assert [d["phase"] for d in closed["phaseDates"]] == [
        "PLANNED",
        "PREPARING",
        "STATIONED",
        "REPORTED",
        "FEEDBACK_GIVEN",
        "RECTIFYING",
        "CLOSED",
    ]
