"""A page of rounds costs the same few SQL statements whatever its size: organisers, target
units and histories are each loaded in one query for the whole page."""

from __future__ import annotations

from typing import Any

import pytest

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.graphql import GraphQL
from tests.support.rounds import PLAN_ROUND, advance, tenant, unit, write
from tests.support.statements import statements_of

READER = "round-reader"
YEARS = range(2020, 2026)

PAGE = """
query($cityId: ID!, $first: Int) {
  escalatedRounds(cityId: $cityId, first: $first) {
    edges { node {
      title
      organiser { name }
      targets { unit { name } }
      history { version type }
    } }
  }
}
"""


@pytest.fixture
def city(gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime) -> str:
    """A city with two districts; one escalated round a year, each inspecting a village of
    each district and stationed after preparing."""
    city = tenant(gql, "3701", "济南市")
    villages = [
        unit(gql, tenant(gql, code, name, city), f"{code}-V1", f"{name}一村")
        for code, name in (("370102", "历下区"), ("370112", "历城区"))
    ]
    office = gql_as(Role.CITY_OFFICE, city)
    for year in YEARS:
        planned = write(
            office,
            PLAN_ROUND,
            {
                "tenantId": city,
                "kind": "REGULAR",
                "linkage": "ESCALATED",
                "title": f"{year}年提级巡察",
                "periodStart": f"{year}-03-01",
                "periodEnd": f"{year}-05-31",
                "targetUnitIds": villages,
            },
        )
        position = advance(
            office, planned["id"], ("PREPARING", f"{year}-03-01"), ("STATIONED", f"{year}-03-08")
        )
    runtime.wait_for_projections(position)
    return city


def page(reader: GraphQL, statements: list[str], city: str, first: int) -> tuple[Any, list[str]]:
    statements.clear()
    data = reader.data(PAGE, {"cityId": city, "first": first})
    return [edge["node"] for edge in data["escalatedRounds"]["edges"]], list(statements)


def test_a_page_of_rounds_costs_the_same_statements_for_six_rounds_as_for_two(
    gql_as: GraphQLAs, city: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = gql_as(Role.CITY_OFFICE, city, subject=READER)
    statements = statements_of(monkeypatch, READER)

    two, two_statements = page(reader, statements, city, 2)
    six, six_statements = page(reader, statements, city, len(YEARS))

    assert (len(two), len(six)) == (2, len(YEARS))
    assert len(six_statements) == len(two_statements), six_statements
    assert sorted(node["title"] for node in six) == [f"{year}年提级巡察" for year in YEARS]
    for node in six:
        assert node["organiser"] == {"name": "济南市"}
        assert sorted(t["unit"]["name"] for t in node["targets"]) == ["历下区一村", "历城区一村"]
        assert [entry["type"] for entry in node["history"]] == [
            "Round.Planned",
            "Round.PhaseAdvanced",
            "Round.PhaseAdvanced",
        ]
