"""Onboarding a city over HTTP: units uploaded from spreadsheets, counties managed by the
city's ADMIN, configuration answered as of a date."""

from __future__ import annotations

import base64
import io
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from infrastructure.auth import Role
from services.clock import today_in_china
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.auth import TokenMint
from tests.support.graphql import GraphQL, register_city_with_village
from tests.support.unit_files import csv_file, village_rows, workbook

DEFINE_CLASSES = """
mutation($input: DefineUnitClassesInput!) { defineUnitClasses(input: $input) { id position } }
"""
AMEND_PRACTICE = """
mutation($input: AmendPracticeInput!) { amendPractice(input: $input) { id position } }
"""
RENAME_COUNTY = """
mutation($input: RenameCountyInput!) { renameCounty(input: $input) { id position } }
"""
TENANT = """
query($id: ID!, $asOf: Date) { tenant(id: $id, asOf: $asOf) {
  name asOf unitClasses { code name }
  practice { transferDueWorkingDays rectificationReportDueMonths
             priorityClassNames { priorityClass name } supervisionLadder { step trigger days } }
} }
"""
UNITS = """
query($tenantId: ID!, $classCode: String, $townshipId: ID, $unitType: UnitType, $first: Int,
      $minPosition: BigInt) {
  units(tenantId: $tenantId, classCode: $classCode, townshipId: $townshipId,
        unitType: $unitType, first: $first, minPosition: $minPosition) {
    totalCount edges { node { id code name unitType classTags parentId } }
  }
}
"""
UNITS_PAGE = """
query($tenantId: ID!, $first: Int, $after: String, $minPosition: BigInt) {
  units(tenantId: $tenantId, first: $first, after: $after, minPosition: $minPosition) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { code } }
  }
}
"""


def onboard(gql: GraphQL, gql_as: GraphQLAs) -> tuple[dict[str, str], GraphQL]:
    ids = register_city_with_village(gql)
    city_admin = gql_as(Role.ADMIN, ids["city"], subject="city-admin")
    city_admin.data(
        DEFINE_CLASSES,
        {
            "input": {
                "tenantId": ids["county"],
                "effectiveFrom": today_in_china().isoformat(),
                "classes": [
                    {"code": "WEAK", "name": "软弱涣散村"},
                    {"code": "PETITIONS", "name": "信访集中"},
                ],
            }
        },
    )
    return ids, city_admin


def upload(http: TestClient, tenant_id: str, name: str, data: bytes) -> Any:
    return http.post("/imports/units", data={"tenantId": tenant_id}, files={"file": (name, data)})


def test_a_6000_village_workbook_uploads_and_uploading_it_again_changes_nothing(
    app: FastAPI, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint
) -> None:
    ids, _ = onboard(gql, gql_as)
    data = workbook(village_rows(townships=60, villages_per_township=100))
    with TestClient(app, headers=tokens.headers(Role.ADMIN, ids["city"])) as http:
        first = upload(http, ids["county"], "历下区.xlsx", data)
        again = upload(http, ids["county"], "历下区.xlsx", data)

    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["rows"]) == (6060, 6060)
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 6060)
    units = gql.data(
        UNITS,
        {"tenantId": ids["county"], "classCode": "WEAK", "minPosition": again.json()["position"]},
    )["units"]
    assert units["totalCount"] == 600  # every tenth village is 软弱涣散村


def test_a_gbk_csv_uploads_and_units_filter_by_township_and_type(
    app: FastAPI, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint
) -> None:
    ids, _ = onboard(gql, gql_as)
    with TestClient(app, headers=tokens.headers(Role.ADMIN, ids["county"])) as http:
        answer = upload(http, ids["county"], "units.csv", csv_file(village_rows(2, 4), "gbk"))
    assert answer.status_code == 200, answer.text
    position = answer.json()["position"]
    townships = gql.data(
        UNITS, {"tenantId": ids["county"], "unitType": "TOWNSHIP", "minPosition": position}
    )["units"]
    assert [e["node"]["name"] for e in townships["edges"]] == ["第1镇", "第2镇"]
    second = townships["edges"][1]["node"]["id"]
    villages = gql.data(UNITS, {"tenantId": ids["county"], "townshipId": second})["units"]
    assert [e["node"]["code"] for e in villages["edges"]] == [f"T002V00{i}" for i in range(1, 5)]


def test_an_upload_with_bad_rows_is_refused_whole_with_every_bad_row(
    app: FastAPI, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint
) -> None:
    ids, _ = onboard(gql, gql_as)
    rows = [
        ("T1", "甲镇", "乡镇", "", "", ""),
        ("V1", "", "村", "T1", "", ""),
        ("V2", "乙村", "村", "T9", "", ""),
    ]
    with TestClient(app, headers=tokens.headers(Role.ADMIN, ids["city"])) as http:
        answer = upload(http, ids["county"], "units.csv", csv_file(rows, "gbk"))
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [(p["row"], p["column"]) for p in error["extensions"]["problems"]] == [
        (3, "单位名称"),
        (4, "所属乡镇代码"),
    ]
    units = gql.data(UNITS, {"tenantId": ids["county"]})["units"]
    assert [e["node"]["code"] for e in units["edges"]] == ["V001"]  # only the one from before


def test_a_county_team_may_not_upload_units(
    app: FastAPI, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint
) -> None:
    ids, _ = onboard(gql, gql_as)
    with TestClient(app, headers=tokens.headers(Role.COUNTY_TEAM, ids["county"])) as http:
        answer = upload(http, ids["county"], "units.csv", csv_file(village_rows(1, 1), "utf-8"))
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_malformed_form_field_or_an_unknown_office_is_refused_and_nothing_is_imported(
    app: FastAPI, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint, runtime: Runtime
) -> None:
    ids, _ = onboard(gql, gql_as)
    units_file = ("units.csv", csv_file(village_rows(1, 1), "utf-8"))
    forms = [  # an office is named by its id or its code: an unknown code is no office
        ("/imports/units", {"tenantId": "not-an-office"}, 404, "NOT_FOUND"),
        ("/imports/units", {"tenantId": ids["county"], "effectiveFrom": "31.12.2026"}, 400, ""),
        ("/imports/inspectors", {"tenantId": "not-an-office"}, 404, "NOT_FOUND"),
    ]
    with TestClient(app, headers=tokens.headers(Role.ADMIN, ids["city"])) as http:
        answers = [
            (http.post(path, data=form, files={"file": units_file}), status, code)
            for path, form, status, code in forms
        ]
    for answer, status, code in answers:
        assert answer.status_code == status, answer.text
        error = answer.json()["errors"][0]
        assert error["extensions"]["code"] == (code or "VALIDATION_FAILED")
        if status == 400:
            assert error["message"].startswith("Bad form field")
    head = runtime.store.max_position()
    units = gql.data(UNITS, {"tenantId": ids["county"], "minPosition": head})["units"]
    assert [e["node"]["code"] for e in units["edges"]] == ["V001"]  # only the one from before


def test_units_page_through_in_registration_order_and_a_foreign_cursor_is_refused(
    app: FastAPI, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint
) -> None:
    ids, _ = onboard(gql, gql_as)
    with TestClient(app, headers=tokens.headers(Role.ADMIN, ids["county"])) as http:
        answer = upload(http, ids["county"], "units.csv", csv_file(village_rows(2, 3), "utf-8"))
    variables: dict[str, Any] = {
        "tenantId": ids["county"],
        "first": 4,
        "minPosition": answer.json()["position"],
    }
    pages: list[dict[str, Any]] = []
    while not pages or pages[-1]["pageInfo"]["hasNextPage"]:
        after = pages[-1]["pageInfo"]["endCursor"] if pages else None
        pages.append(gql.data(UNITS_PAGE, {**variables, "after": after})["units"])

    # townships are registered before the villages of the file; V001 was there before
    assert [[e["node"]["code"] for e in p["edges"]] for p in pages] == [
        ["V001", "T001", "T002", "T001V001"],
        ["T001V002", "T001V003", "T002V001", "T002V002"],
        ["T002V003"],
    ]
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False, True, True]
    assert {p["totalCount"] for p in pages} == {9}
    offset_cursor = base64.urlsafe_b64encode(b"o:4").decode()  # as the ledger sorted gives out
    error = gql.error(UNITS_PAGE, {**variables, "after": offset_cursor})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"


def test_a_tenant_answers_its_configuration_as_of_a_date(gql: GraphQL, gql_as: GraphQLAs) -> None:
    ids, city_admin = onboard(gql, gql_as)
    today = today_in_china()
    later = today + timedelta(days=40)
    city_admin.data(
        AMEND_PRACTICE,
        {
            "input": {
                "tenantId": ids["county"],
                "effectiveFrom": later.isoformat(),
                "rectificationReportDueMonths": 3,
                "priorityClassNames": {"KEY": "一类", "ATTENTION": "二类", "REFERENCE": "三类"},
            }
        },
    )

    now = gql.data(TENANT, {"id": ids["county"]})["tenant"]
    then = gql.data(TENANT, {"id": ids["county"], "asOf": later.isoformat()})["tenant"]

    assert now["practice"]["rectificationReportDueMonths"] == 2
    assert now["practice"]["priorityClassNames"][0] == {
        "priorityClass": "KEY",
        "name": "重点关注类",
    }
    assert then["practice"]["rectificationReportDueMonths"] == 3
    assert then["practice"]["priorityClassNames"][0] == {"priorityClass": "KEY", "name": "一类"}
    assert then["practice"]["transferDueWorkingDays"] == now["practice"]["transferDueWorkingDays"]
    assert [c["code"] for c in now["unitClasses"]] == ["WEAK", "PETITIONS"]


def test_only_an_admin_of_the_city_may_rename_its_county(gql: GraphQL, gql_as: GraphQLAs) -> None:
    ids, city_admin = onboard(gql, gql_as)
    rename = {
        "input": {
            "countyId": ids["county"],
            "name": "历下新区",
            "effectiveOn": today_in_china().isoformat(),
            "reason": "更名批复",
        }
    }
    for role, tenant in ((Role.ADMIN, ids["county"]), (Role.CITY_OFFICE, ids["city"])):
        error = gql_as(role, tenant).error(RENAME_COUNTY, rename)
        assert error["extensions"]["code"] == "FORBIDDEN"

    city_admin.data(RENAME_COUNTY, rename)
    assert gql.data(TENANT, {"id": ids["county"]})["tenant"]["name"] == "历下新区"


def test_an_office_fills_the_downloaded_template_and_uploads_it_by_its_code(
    app: FastAPI, gql: GraphQL, gql_as: GraphQLAs, tokens: TokenMint
) -> None:
    ids, _ = onboard(gql, gql_as)
    with TestClient(app) as anyone:
        template = anyone.get("/imports/units/template.xlsx")
    assert template.status_code == 200
    assert "units-template.xlsx" in template.headers["content-disposition"]
    filled = load_workbook(io.BytesIO(template.content))
    sheet, notes = filled.worksheets
    assert [c.value for c in sheet[1]] == ["代码*", "名称*", "类型*", "所属乡镇", "分类"]
    assert sheet.max_row == 1  # nothing to delete before filling it in
    assert "东八里村" in [c.value for row in notes.iter_rows() for c in row]
    sheet.append(["T100", "柳林镇", "镇", "", ""])
    sheet.append(["T100V1", "前村", "村", "柳林镇", "软弱涣散村"])
    out = io.BytesIO()
    filled.save(out)

    with TestClient(app, headers=tokens.headers(Role.ADMIN, ids["city"])) as http:
        answer = upload(http, "370102", "乡镇村名单.xlsx", out.getvalue())

    assert answer.status_code == 200, answer.text
    assert (answer.json()["tenant_id"], answer.json()["created"]) == (ids["county"], 2)


def test_there_is_no_template_of_an_unknown_import(app: FastAPI) -> None:
    with TestClient(app) as anyone:
        answer = anyone.get("/imports/cadres/template.xlsx")

    assert answer.status_code == 404
    assert "units, inspectors" in answer.json()["errors"][0]["extensions"]["messageEn"]
