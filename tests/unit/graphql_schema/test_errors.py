"""An error's words: the caller's language in `message`, the other beside, the code labelled."""

from __future__ import annotations

from domain.errors import RuleViolation
from graphql_schema.errors import EN, ZH_CN, refusal, worded


def test_an_internal_failure_reads_in_chinese_by_default() -> None:
    assert worded("INTERNAL_SERVER_ERROR", "Internal server error", ZH_CN) == (
        "服务器内部错误",
        {
            "code": "INTERNAL_SERVER_ERROR",
            "label": "服务器内部错误",
            "messageEn": "Internal server error",
        },
    )


def test_a_code_in_english_keeps_its_generic_chinese_message() -> None:
    assert worded("NOT_FOUND", "No clue with id c-1", EN) == (
        "No clue with id c-1",
        {"code": "NOT_FOUND", "label": "未找到", "messageZh": "未找到该对象，或无权查看"},
    )


def test_a_rule_violation_keeps_its_details_in_camel_case_beside_both_languages() -> None:
    error = RuleViolation(
        "ROUND_LINKED_TARGETS", "Unit u-1 belongs to another office", unit_id="u-1"
    )

    message, extensions = refusal(error, ZH_CN)

    assert message == "联动巡察下级轮次只巡察本县区的单位；单位（u-1）属于其他机构"
    assert extensions == {
        "code": "RULE_VIOLATION",
        "label": "违反业务规则",
        "messageEn": "Unit u-1 belongs to another office",
        "rule": "ROUND_LINKED_TARGETS",
        "unitId": "u-1",
    }
