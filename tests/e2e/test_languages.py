"""Answers in the caller's language: refusals in Chinese by default, in English with
`Accept-Language: en`, the other language kept beside; every enum value described by its
Chinese label, and all labels in one query (`enumLabels`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from infrastructure.auth import Role
from tests.support.auth import TokenMint
from tests.support.graphql import REGISTER_TENANT, GraphQL, register_city_with_village

ORPHAN_COUNTY = {"input": {"code": "370199", "name": "无上级区", "level": "COUNTY"}}
TENANTS = "{ tenants { code } }"
ENUM_VALUES = """
query($name: String!) { __type(name: $name) { description enumValues { name description } } }
"""
ENUM_LABELS = """
query($enum: String) { enumLabels(enum: $enum) { enum values { value label labelEn } } }
"""


@pytest.fixture
def chinese(app: FastAPI, tokens: TokenMint) -> Iterator[GraphQL]:
    """An ADMIN's client that names no language, as a browser in China might not."""
    with TestClient(app, headers={"Authorization": tokens.headers()["Authorization"]}) as http:
        yield GraphQL(http)


def test_a_refusal_without_accept_language_is_in_chinese_with_the_english_kept(
    chinese: GraphQL,
) -> None:
    error = chinese.error(REGISTER_TENANT, ORPHAN_COUNTY)

    assert error["message"] == "上级机构不符合层级：县级机构隶属于市级机构，市级机构无上级"
    assert error["extensions"] == {
        "code": "RULE_VIOLATION",
        "label": "违反业务规则",
        "messageEn": "A COUNTY office must have a parent CITY office",
        "rule": "TENANT_PARENT_LEVEL",
    }
    assert chinese.data(TENANTS)["tenants"] == []  # the refused command wrote nothing


def test_a_refusal_asked_for_in_english_is_in_english_with_the_chinese_kept(
    chinese: GraphQL,
) -> None:
    body = chinese.execute(REGISTER_TENANT, ORPHAN_COUNTY, **{"Accept-Language": "en-GB,zh;q=0.5"})

    (error,) = body["errors"]
    assert error["message"] == "A COUNTY office must have a parent CITY office"
    assert error["extensions"]["label"] == "违反业务规则"
    assert error["extensions"]["messageZh"] == (
        "上级机构不符合层级：县级机构隶属于市级机构，市级机构无上级"
    )
    assert "messageEn" not in error["extensions"]


def test_a_refusal_without_a_rule_reads_as_its_codes_chinese_message(chinese: GraphQL) -> None:
    missing = "8f14e45f-ceea-467f-a0e6-0b1b0c0f7a11"
    error = chinese.error("query($id: ID!) { clue(id: $id) { id } }", {"id": missing})

    assert error["message"] == "未找到该对象，或无权查看"
    assert error["extensions"]["label"] == "未找到"
    assert error["extensions"]["messageEn"] == f"No clue with id {missing}"


def test_a_syntax_error_is_labelled_and_keeps_graphql_cores_words(chinese: GraphQL) -> None:
    error = chinese.error("{ tenants { code ")

    assert error["message"] == "输入有误，请检查后重新提交"
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["label"] == "输入有误"
    assert error["extensions"]["messageEn"].startswith("Syntax Error")


@pytest.mark.parametrize(
    ("enum", "value", "label"),
    [
        ("ClueSource", "PETITION", "来信来访"),
        ("RoundPhase", "STATIONED", "进驻"),
        ("Linkage", "ESCALATED", "提级巡察"),
        ("HandlingBody", "DISCIPLINE_COMMISSION", "纪委监委"),
        ("LadderStepName", "WARNING", "告诫"),
    ],
)
def test_introspection_describes_each_enum_value_by_its_chinese_label(
    gql: GraphQL, enum: str, value: str, label: str
) -> None:
    described = gql.data(ENUM_VALUES, {"name": enum})["__type"]
    descriptions = {v["name"]: v["description"] for v in described["enumValues"]}
    assert descriptions[value] == label
    assert all(descriptions.values())


def test_enum_labels_answers_every_enum_and_the_error_codes_at_once(gql: GraphQL) -> None:
    answered = {e["enum"]: e["values"] for e in gql.data(ENUM_LABELS)["enumLabels"]}

    assert {"ClueSource", "RoundPhase", "TeamRole", "ErrorCode"} <= set(answered)
    assert len(answered) >= 22
    petition = next(v for v in answered["ClueSource"] if v["value"] == "PETITION")
    assert petition == {"value": "PETITION", "label": "来信来访", "labelEn": "Petition"}
    not_found = next(v for v in answered["ErrorCode"] if v["value"] == "NOT_FOUND")
    assert not_found["label"] == "未找到"


def test_enum_labels_of_one_enum_and_of_an_unknown_one(gql: GraphQL) -> None:
    (team_role,) = gql.data(ENUM_LABELS, {"enum": "TeamRole"})["enumLabels"]
    assert [v["label"] for v in team_role["values"]] == ["组长", "副组长", "成员", "联络员"]

    error = gql.error(ENUM_LABELS, {"enum": "Weather"})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "enum"


def submit(http: TestClient, tenant_id: str, items: list[dict[str, Any]], **headers: str) -> Any:
    path = f"/api/v1/tenants/{tenant_id}/submissions"
    return http.post(path, json={"items": items}, headers=headers)


def test_rest_refusals_and_batch_item_errors_are_in_chinese_by_default(
    app: FastAPI, gql: GraphQL, tokens: TokenMint
) -> None:
    ids = register_city_with_village(gql)
    team = tokens.headers(Role.COUNTY_TEAM, ids["county"])["Authorization"]
    accept = {"clientId": "c-1", "command": "acceptClue", "input": {"clueId": ids["village"]}}

    with TestClient(app, headers={"Authorization": team}) as http:
        refused = submit(http, ids["city"], [accept])
        answered = submit(http, ids["county"], [accept])
        in_english = submit(http, ids["county"], [accept], **{"Accept-Language": "en"})

    assert refused.status_code == 403
    (error,) = refused.json()["errors"]
    assert error["message"] == "无权执行此操作"
    assert error["extensions"]["label"] == "无权操作"
    assert error["extensions"]["messageEn"].startswith("The caller may not submit")
    (result,) = answered.json()["results"]
    assert result["status"] == "REJECTED"
    assert result["error"]["label"] == "未找到"
    assert result["error"]["message"] == "未找到该对象，或无权查看"
    assert result["error"]["messageEn"] == f"No clue with id {ids['village']}"
    (again,) = in_english.json()["results"]  # answered from its receipt, now in English
    assert again["error"]["message"] == f"No clue with id {ids['village']}"
    assert again["error"]["messageZh"] == "未找到该对象，或无权查看"
