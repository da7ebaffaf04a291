"""Every enum of the schema shows its values' Chinese labels; the caller's language is read
from Accept-Language, Chinese unless English is preferred."""

from __future__ import annotations

import pytest
from graphql import GraphQLEnumType

from domain.clues.values import ClueSource, HandlingBody
from domain.errors import ErrorCode
from domain.labels import LABELS, label_of
from domain.rounds.values import Linkage, Phase
from graphql_schema.api import schema
from graphql_schema.errors import EN, ZH_CN, language_of
from graphql_schema.labels import LABELLED


def schema_enums() -> list[GraphQLEnumType]:
    types = schema.graphql_schema.type_map.values()
    return [t for t in types if isinstance(t, GraphQLEnumType) and not t.name.startswith("__")]


def test_the_schema_declares_about_twenty_enums_all_through_the_labelled_helper() -> None:
    names = {enum.name for enum in schema_enums()}
    assert len(names) >= 20
    assert names <= set(LABELLED)


@pytest.mark.parametrize("enum", schema_enums(), ids=lambda e: e.name)
def test_every_value_of_every_schema_enum_is_described_by_its_chinese_label(
    enum: GraphQLEnumType,
) -> None:
    domain_enum = LABELLED[enum.name]
    for name, value in enum.values.items():
        assert value.description == LABELS[domain_enum][name], f"{enum.name}.{name}"
        assert value.description


def test_error_codes_have_labels_too() -> None:
    assert set(LABELS[ErrorCode]) == {code.value for code in ErrorCode}
    assert label_of(ErrorCode.NOT_FOUND) == "未找到"


def test_labels_are_the_terms_offices_write() -> None:
    assert label_of(ClueSource.PETITION) == "来信来访"
    assert label_of(Phase.STATIONED) == "进驻"
    assert label_of(Linkage.ESCALATED) == "提级巡察"
    assert label_of(HandlingBody.DISCIPLINE_COMMISSION) == "纪委监委"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, ZH_CN),
        ("", ZH_CN),
        ("zh-CN", ZH_CN),
        ("zh", ZH_CN),
        ("en", EN),
        ("en-US,en;q=0.9", EN),
        ("zh-CN,zh;q=0.9,en;q=0.8", ZH_CN),
        ("en;q=0.5,zh-CN;q=0.8", ZH_CN),
        ("fr-FR,en;q=0.7", EN),
        ("fr-FR", ZH_CN),
        ("en;q=0", ZH_CN),
        ("en;q=banana", ZH_CN),
    ],
)
def test_the_callers_language_is_chinese_unless_english_is_preferred(
    header: str | None, language: str
) -> None:
    assert language_of(header) == language
