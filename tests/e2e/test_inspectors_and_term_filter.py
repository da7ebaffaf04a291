"""The `inspectors` view and its filters, inspector files uploaded through the API, and the
`units` filter for units inspected (or not) in a committee term."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from fastapi.testclient import TestClient

from domain.configuration.values import Term
from domain.rounds.values import Linkage, Period, Phase, RoundKind
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import unit_id_for
from infrastructure.auth import Role
from services.authorization import CONSOLE
from services.imports.units import unit_imports
from services.runtime import Runtime
from services.tenants import Acting
from tests.e2e.conftest import GraphQLAs
from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL
from tests.support.inspector_files import cadre_rows, inspector_csv, inspector_workbook
from tests.support.unit_files import csv_file, onboard_county, village_rows

VILLAGES = [f"T001V{v:03d}" for v in range(1, 11)]
INSPECTORS = """
query($home: ID, $name: String, $unit: ID, $first: Int, $after: String, $minPosition: BigInt) {
  inspectors(homeTenantId: $home, nameContains: $name, postedAtUnitId: $unit, first: $first,
             after: $after, minPosition: $minPosition) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id homeTenantId staffNumber name
                   postings { unitId start end } relations { kinship person position unitId } } }
  }
}
"""
UNITS = """
query($tenantId: ID!, $inspected: Boolean, $termOn: Date, $termStart: Date, $termEnd: Date) {
  units(tenantId: $tenantId, inspectedInTerm: $inspected, termOn: $termOn,
        termStart: $termStart, termEnd: $termEnd, first: 500) {
    totalCount edges { node { code } }
  }
}
"""


def county_with_villages(runtime: Runtime) -> tuple[str, UUID]:
    city, county = onboard_county(runtime, "370112")
    unit_imports(runtime).import_units(
        acting=Acting.console(),
        tenant_id=UUID(county),
        filename="units.csv",
        data=csv_file(village_rows(townships=1, villages_per_township=10), "utf-8"),
    )
    return city, UUID(county)


def upload(http: TestClient, tenant_id: UUID, name: str, data: bytes) -> Any:
    return http.post(
        "/imports/inspectors", data={"tenantId": str(tenant_id)}, files={"file": (name, data)}
    )


def test_an_uploaded_workbook_and_gbk_csv_are_listed_and_filtered(
    app: FastAPI, runtime: Runtime, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint
) -> None:
    city, county = county_with_villages(runtime)
    with TestClient(app, headers=tokens.headers(Role.ADMIN, UUID(city))) as http:
        first = upload(http, county, "巡察干部.xlsx", inspector_workbook(cadre_rows(30, VILLAGES)))
        again = upload(http, county, "巡察干部.csv", inspector_csv(cadre_rows(30, VILLAGES), "gbk"))
    assert first.status_code == 200, first.text
    assert (first.json()["created"], again.json()["unchanged"]) == (30, 30)
    position = again.json()["position"]

    everyone = gql.data(INSPECTORS, {"home": str(county), "minPosition": position})
    assert everyone["inspectors"]["totalCount"] == 30
    named = gql.data(INSPECTORS, {"name": "干部2"})["inspectors"]  # 干部2, 干部20..29
    assert sorted(e["node"]["staffNumber"] for e in named["edges"]) == [
        "JN0002",
        *(f"JN00{n}" for n in range(20, 30)),
    ]
    v002 = str(unit_id_for(county, "T001V002"))
    posted = gql.data(INSPECTORS, {"unit": v002})["inspectors"]
    # V002 is villages[1]: cadre n held a post at villages[n % 10] (n = 1, 11, 21), and a
    # cadre n ≡ 0 (mod 5) holds one at villages[(n + 1) % 10] (n = 10, 20, 30)
    assert sorted(e["node"]["staffNumber"] for e in posted["edges"]) == [
        "JN0001",
        "JN0010",
        "JN0011",
        "JN0020",
        "JN0021",
        "JN0030",
    ]
    page = gql.data(INSPECTORS, {"home": str(county), "first": 25})["inspectors"]
    rest = gql.data(
        INSPECTORS, {"home": str(county), "first": 25, "after": page["pageInfo"]["endCursor"]}
    )["inspectors"]
    assert (len(page["edges"]), page["pageInfo"]["hasNextPage"], len(rest["edges"])) == (
        25,
        True,
        5,
    )
    # Postings and kinship are personal data: another county's team sees none of them.
    neighbour = runtime.tenants.register_tenant(
        code="370113", name="长清区", level=TenantLevel.COUNTY, parent_id=UUID(city), acting=CONSOLE
    ).id
    outsider = gql_as(Role.COUNTY_TEAM, str(neighbour)).data(INSPECTORS, {})["inspectors"]
    assert outsider["totalCount"] == 0
    own = gql_as(Role.COUNTY_TEAM, str(county)).data(INSPECTORS, {})["inspectors"]
    assert own["totalCount"] == 30
    fourteen = next(
        e["node"] for e in everyone["inspectors"]["edges"] if e["node"]["name"] == "干部14"
    )
    assert fourteen["relations"] == [
        {
            "kinship": "SPOUSE",
            "person": "亲属14",
            "position": "村主任",
            "unitId": str(unit_id_for(county, "T001V005")),
        }
    ]


def test_an_upload_with_bad_rows_answers_every_problem_and_a_county_team_is_refused(
    app: FastAPI, runtime: Runtime, gql: GraphQL, tokens: TokenMint
) -> None:
    city, county = county_with_villages(runtime)
    bad = inspector_csv(
        [["JN1", "", "T001V001", "2020-01-01"], ["JN2", "乙", "T001V001", "昨天"]], "gbk"
    )
    with TestClient(app, headers=tokens.headers(Role.ADMIN, UUID(city))) as http:
        answer = upload(http, county, "bad.csv", bad)
    with TestClient(app, headers=tokens.headers(Role.COUNTY_TEAM, county)) as http:
        forbidden = upload(http, county, "ok.csv", inspector_csv(cadre_rows(2, VILLAGES), "gbk"))

    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [(p["row"], p["column"]) for p in error["extensions"]["problems"]] == [
        (2, "姓名"),
        (3, "任职起始日期"),
    ]
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gql.data(INSPECTORS, {"home": str(county)})["inspectors"]["totalCount"] == 0


def station(runtime: Runtime, county: UUID, codes: list[str], start: date, on: date) -> None:
    planned = runtime.rounds.plan_round(
        tenant_id=county,
        kind=RoundKind.REGULAR,
        linkage=Linkage.STANDALONE,
        title=f"{start.year}年巡察",
        period=Period(start, date(start.year, start.month + 2, 28)),
        target_unit_ids=[unit_id_for(county, code) for code in codes],
        acting=CONSOLE,
    )
    runtime.rounds.advance_round_phase(
        round_id=planned.id, phase=Phase.PREPARING, on=start, acting=CONSOLE
    )
    runtime.rounds.advance_round_phase(
        round_id=planned.id, phase=Phase.STATIONED, on=on, acting=CONSOLE
    )


def test_units_filter_by_whether_they_were_inspected_in_the_term(
    runtime: Runtime, gql: GraphQL
) -> None:
    _, county = county_with_villages(runtime)
    station(runtime, county, ["T001V001", "T001V002"], date(2023, 3, 1), date(2023, 3, 10))
    station(runtime, county, ["T001V003"], date(2021, 3, 1), date(2021, 3, 10))  # earlier term
    station(runtime, county, ["T001V004"], date(2026, 3, 1), date(2026, 3, 5))
    runtime.configuration.declare_term(
        acting=Acting.console(),
        tenant_id=county,
        term=Term("第十二届", date(2022, 1, 1), date(2026, 12, 31)),
    )
    runtime.wait_for_projections(runtime.store.max_position())

    def codes(**variables: Any) -> list[str]:
        units = gql.data(UNITS, {"tenantId": str(county), **variables})["units"]
        return sorted(e["node"]["code"] for e in units["edges"])

    in_term = codes(inspected=True, termOn="2024-06-01")
    assert in_term == ["T001V001", "T001V002", "T001V004"]
    not_in_term = codes(inspected=False, termOn="2024-06-01")
    assert not_in_term == ["T001", "T001V003", *(f"T001V{v:03d}" for v in range(5, 11))]
    assert codes(inspected=True, termStart="2021-01-01", termEnd="2021-12-31") == ["T001V003"]
    assert codes(inspected=True, termStart="2023-03-11", termEnd="2025-12-31") == []
    refused = gql.error(UNITS, {"tenantId": str(county), "inspected": True, "termOn": "2030-01-01"})
    assert refused["extensions"]["code"] == "VALIDATION_FAILED"
