"""`asOf` on the other views: the statistics of a period as recorded then and as known now (two
times kept apart), the directory before a renaming, and an erased informant, erased in every
past view too."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from infrastructure.auth import Role
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.e2e.clue_support import act, ledger, register
from tests.e2e.conftest import GraphQLAs
from tests.e2e.test_ledger_as_of import moment, transfer
from tests.support.graphql import GraphQL, register_city_with_village

STATISTICS = """
query($asOf: DateTime, $to: Date) {
  statistics(asOf: $asOf, to: $to) { total { cluesTransferred cluesConcluded } }
}
"""
TENANTS = "query($asOf: DateTime) { tenants(asOf: $asOf) { code name } }"


def figures(gql: GraphQL, **variables: Any) -> dict[str, int]:
    found: dict[str, int] = gql.data(STATISTICS, variables)["statistics"]["total"]
    return found


def test_the_figures_as_recorded_then_and_as_known_now(gql: GraphQL, runtime: Runtime) -> None:
    ids = register_city_with_village(gql)
    clue = register(gql, ids, summary="A")["id"]
    transfer(gql, ids, clue, "KEY")
    then = moment(runtime)
    act(gql, "acceptClue", clueId=clue)
    act(gql, "concludeClue", clueId=clue, disposition="INQUIRY")
    moment(runtime)

    assert figures(gql, asOf=then) == {"cluesTransferred": 1, "cluesConcluded": 0}
    assert figures(gql) == {"cluesTransferred": 1, "cluesConcluded": 1}
    # the period's end is the business time: the same recorded moment, another period
    assert figures(gql, asOf=then, to="2000-01-01") == {"cluesTransferred": 0, "cluesConcluded": 0}


def test_the_directory_before_a_renaming(gql: GraphQL, runtime: Runtime) -> None:
    ids = register_city_with_village(gql)
    then = moment(runtime)
    runtime.tenants.rename_county(
        acting=CONSOLE,
        county_id=UUID(ids["county"]),
        name="历下新区",
        effective_on=date(2026, 1, 1),
        reason="更名",
    )
    moment(runtime)
    names = {t["code"]: t["name"] for t in gql.data(TENANTS, {"asOf": then})["tenants"]}
    assert names == {"3701": "济南市", "370102": "历下区"}
    assert {t["name"] for t in gql.data(TENANTS)["tenants"]} == {"济南市", "历下新区"}


def test_an_erased_informant_stays_erased_in_every_past_view(
    gql: GraphQL, gql_as: GraphQLAs, runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    cleared = gql_as(Role.ADMIN, ids["city"], clearance=True)
    clue = register(gql, ids, informant={"name": "举报人甲", "contact": "13800000000"})["id"]
    then = moment(runtime)
    assert ledger(cleared, asOf=then)["edges"][0]["node"]["informant"]["name"] == "举报人甲"

    act(cleared, "eraseInformant", clueId=clue, reason="举报人申请")
    moment(runtime)

    past = ledger(cleared, asOf=then)["edges"][0]["node"]["informant"]
    assert past == {"status": "ERASED", "name": None, "contact": None}
