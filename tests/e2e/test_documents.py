"""Official documents (公文) over the API, as an office's client uses them: issue one by
GraphQL, find it in `documents`, download it with the same token, and check that its bytes
hash to the SHA-256 the answer gave; other offices can neither issue on, list nor download
what is not theirs."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

import pytest

from infrastructure.auth import Role
from services.runtime import Runtime
from tests.e2e.conftest import GraphQLAs
from tests.support.documents import DocumentWorld, build_world
from tests.support.graphql import GraphQL

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISSUE = """
mutation($input: IssueDocumentInput!) {
  issueDocument(input: $input) {
    id position number kind recipient title issuedOn sha256 size downloadUrl
  }
}
"""
DOCUMENTS = """
query($tenantId: ID, $kind: DocumentKind, $subjectId: ID, $minPosition: BigInt) {
  documents(tenantId: $tenantId, kind: $kind, subjectId: $subjectId, minPosition: $minPosition) {
    id tenantId number kind subjectId recipient title sha256 size issuedOn issuedBy downloadUrl
  }
}
"""


@pytest.fixture
def world(runtime: Runtime) -> DocumentWorld:
    return build_world(runtime)


@pytest.fixture
def county(gql_as: GraphQLAs, world: DocumentWorld) -> GraphQL:
    return gql_as(Role.COUNTY_TEAM, world.county, subject="li")


@pytest.fixture
def other_county(gql_as: GraphQLAs, world: DocumentWorld) -> GraphQL:
    return gql_as(Role.COUNTY_TEAM, world.other_county, subject="zhao")


def _issue(gql: GraphQL, kind: str, subject: object) -> dict[str, Any]:
    answer = gql.data(ISSUE, {"input": {"kind": kind, "subjectId": str(subject)}})
    issued: dict[str, Any] = answer["issueDocument"]
    return issued


def test_an_issued_transfer_letter_is_listed_and_downloads_as_the_bytes_hashed(
    county: GraphQL, world: DocumentWorld
) -> None:
    issued = _issue(county, "CLUE_TRANSFER", world.transferred_clue)

    assert issued["number"] == f"历巡办〔{world.today.year}〕1号"
    assert issued["recipient"] == "历下区纪委监委"
    listed = county.data(DOCUMENTS, {"minPosition": issued["position"]})["documents"]
    assert [(d["id"], d["sha256"], d["issuedBy"]) for d in listed] == [
        (issued["id"], issued["sha256"], "li")
    ]
    response = county.http.get(issued["downloadUrl"])
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX
    assert hashlib.sha256(response.content).hexdigest() == issued["sha256"]
    assert len(response.content) == issued["size"]
    filename = f"{issued['number']}关于移交问题线索的函.docx"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(filename, safe='')}" in disposition


def test_the_ledger_downloads_as_a_spreadsheet_and_lists_by_kind(
    county: GraphQL, world: DocumentWorld
) -> None:
    _issue(county, "FEEDBACK", world.feedback)
    ledger = _issue(county, "RECTIFICATION_LEDGER", world.feedback)

    response = county.http.get(ledger["downloadUrl"])
    assert response.headers["content-type"] == XLSX
    assert hashlib.sha256(response.content).hexdigest() == ledger["sha256"]
    variables = {"kind": "RECTIFICATION_LEDGER", "minPosition": ledger["position"]}
    listed = county.data(DOCUMENTS, variables)["documents"]
    assert [d["number"] for d in listed] == [f"历巡办〔{world.today.year}〕2号"]


def test_the_city_reads_its_countys_documents(
    county: GraphQL, gql_as: GraphQLAs, world: DocumentWorld
) -> None:
    issued = _issue(county, "SUPERVISION_LETTER", world.transferred_clue)
    city = gql_as(Role.CITY_OFFICE, world.city)

    listed = city.data(DOCUMENTS, {"minPosition": issued["position"]})["documents"]
    assert [d["id"] for d in listed] == [issued["id"]]
    assert city.http.get(issued["downloadUrl"]).status_code == 200


def test_another_county_neither_sees_nor_downloads_nor_issues_on_it(
    county: GraphQL, other_county: GraphQL, world: DocumentWorld, runtime: Runtime
) -> None:
    issued = _issue(county, "CLUE_TRANSFER", world.transferred_clue)

    listed = other_county.data(DOCUMENTS, {"minPosition": issued["position"]})["documents"]
    assert listed == []
    refused = other_county.error(DOCUMENTS, {"tenantId": str(world.county)})
    assert refused["extensions"]["code"] == "NOT_FOUND"
    response = other_county.http.get(issued["downloadUrl"])
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    before = runtime.store.max_position()
    variables = {"input": {"kind": "CLUE_TRANSFER", "subjectId": str(world.transferred_clue)}}
    assert other_county.error(ISSUE, variables)["extensions"]["code"] == "NOT_FOUND"
    assert runtime.store.max_position() == before


def test_a_refusal_names_its_rule_in_chinese_and_writes_nothing(
    county: GraphQL, world: DocumentWorld, runtime: Runtime
) -> None:
    before = runtime.store.max_position()

    wrong = {"input": {"kind": "RECTIFICATION_LEDGER", "subjectId": str(world.transferred_clue)}}
    refused = county.error(ISSUE, wrong)
    assert refused["extensions"]["code"] == "RULE_VIOLATION"
    assert refused["extensions"]["rule"] == "DOCUMENT_SUBJECT_KIND"
    assert "公文种类与所给对象不符" in refused["extensions"]["messageZh"]
    early = {"input": {"kind": "CLUE_TRANSFER", "subjectId": str(world.registered_clue)}}
    assert county.error(ISSUE, early)["extensions"]["rule"] == "DOCUMENT_CLUE_NOT_TRANSFERRED"
    assert runtime.store.max_position() == before
