"""An auditor checks one office's history over the API: intact as recorded; an event edited in
the table afterwards breaks the link to the next event of its stream, a deleted one leaves its
stream short of a version, and both are named. A county team may not ask."""

from __future__ import annotations

from typing import Any

import psycopg

from infrastructure.auth import Role
from infrastructure.settings import Settings
from services.runtime import Runtime
from tests.support.graphql import GraphQL, register_city_with_village

CHECK = """
query ($id: ID!) { officeChains(tenantId: $id) {
  events streams intact problems { streamId version problem } } }
"""


def sql(settings: Settings, statement: str, *params: object) -> None:
    with psycopg.connect(settings.database_url or "", autocommit=True) as conn:
        conn.execute(statement, params)


def rename_county(gql: GraphQL, runtime: Runtime, county: str) -> None:
    """Rename the county and wait until the read models know it (the callers' scopes)."""
    gql.data(
        "mutation ($input: RenameCountyInput!) { renameCounty(input: $input) { id } }",
        {
            "input": {
                "countyId": county,
                "name": "历下新区",
                "effectiveOn": "2026-01-01",
                "reason": "区划调整",
            }
        },
    )
    runtime.wait_for_projections(runtime.store.max_position())


def test_an_office_checks_intact_until_an_event_is_edited_in_the_table(
    gql: GraphQL, gql_as: Any, settings: Settings, runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    county = ids["county"]
    rename_county(gql, runtime, county)
    auditor = gql_as(Role.AUDITOR, ids["city"])
    checked = auditor.data(CHECK, {"id": county})["officeChains"]
    assert (checked["intact"], checked["problems"]) == (True, [])
    assert checked["events"] >= 3

    sql(
        settings,
        "UPDATE xuncha_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'370102', '370199'), 'UTF8') WHERE originator_id = %s AND originator_version = 1",
        county,
    )
    broken = auditor.data(CHECK, {"id": county})["officeChains"]
    assert broken["intact"] is False
    assert broken["problems"] == [
        {"streamId": county, "version": 2, "problem": "does not link to the event before it"}
    ]


def test_an_event_deleted_from_the_table_is_named_missing(
    gql: GraphQL, gql_as: Any, settings: Settings, runtime: Runtime
) -> None:
    ids = register_city_with_village(gql)
    county = ids["county"]
    rename_county(gql, runtime, county)
    sql(
        settings,
        "DELETE FROM xuncha_events WHERE originator_id = %s AND originator_version = 1",
        county,
    )
    checked = gql_as(Role.ADMIN, ids["city"]).data(CHECK, {"id": county})["officeChains"]
    assert checked["problems"] == [
        {
            "streamId": county,
            "version": 1,
            "problem": "missing: removed, or recorded for another office",
        }
    ]


def test_a_county_team_may_not_check_an_offices_history(gql: GraphQL, gql_as: Any) -> None:
    ids = register_city_with_village(gql)
    team = gql_as(Role.COUNTY_TEAM, ids["county"])
    answer = team.execute(CHECK, {"id": ids["county"]})
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
