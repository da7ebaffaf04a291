"""Every refusal has its Chinese words: each rule the code can raise, and each error code."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from domain.errors import ErrorCode, NotFound, RuleViolation, ValidationFailed
from domain.messages import ERROR_MESSAGES_ZH, RULE_MESSAGES_ZH, message_zh

ROOT = Path(__file__).resolve().parents[3]
RULE_SHAPE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def _modules() -> list[ast.Module]:
    files = [*(ROOT / "domain").rglob("*.py"), *(ROOT / "services").rglob("*.py")]
    return [ast.parse(path.read_text(encoding="utf-8")) for path in files]


def _raised_rules(modules: list[ast.Module]) -> tuple[set[str], list[re.Pattern[str]]]:
    """Rules named where they are raised: `RuleViolation("RULE", …)`, a subclass's
    `super().__init__("RULE", …)`, `rule="RULE"`; an f-string rule as a pattern."""
    rules: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for node in (n for module in modules for n in ast.walk(module)):
        if not isinstance(node, ast.Call):
            continue
        rules.update(
            str(k.value.value)
            for k in node.keywords
            if k.arg == "rule" and isinstance(k.value, ast.Constant)
        )
        callee = ast.unparse(node.func)
        if callee not in ("RuleViolation", "super().__init__") or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and RULE_SHAPE.match(str(first.value)):
            rules.add(str(first.value))
        elif isinstance(first, ast.JoinedStr) and callee == "RuleViolation":
            parts = [
                re.escape(str(p.value)) if isinstance(p, ast.Constant) else "[A-Z_]+"
                for p in first.values
            ]
            patterns.append(re.compile("".join(parts)))
    return rules, patterns


def _passed_rules(modules: list[ast.Module], families: set[str]) -> set[str]:
    """Rules handed to a helper that raises them (`_refuse("RECUSAL_POST", …)`): literals of a
    rule's shape and family that are not a constant's own value (`LEADER = "LEADER"`)."""
    own_values = {
        node.value.value
        for module in modules
        for node in ast.walk(module)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
    }
    return {
        node.value
        for module in modules
        for node in ast.walk(module)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and RULE_SHAPE.match(node.value)
        and node.value.split("_")[0] in families
        and node.value not in own_values
    }


def rules_in_code() -> tuple[set[str], list[re.Pattern[str]]]:
    modules = _modules()
    rules, patterns = _raised_rules(modules)
    families = {rule.split("_")[0] for rule in rules}
    return rules | _passed_rules(modules, families), patterns


def test_every_rule_the_code_raises_has_a_chinese_message() -> None:
    rules, patterns = rules_in_code()
    assert len(rules) > 90  # the scan finds the rules, not nothing
    assert sorted(rules - RULE_MESSAGES_ZH.keys()) == []
    for pattern in patterns:
        assert any(pattern.fullmatch(rule) for rule in RULE_MESSAGES_ZH), pattern.pattern


def test_every_error_code_has_a_generic_chinese_message() -> None:
    assert set(ERROR_MESSAGES_ZH) == set(ErrorCode)


def test_a_rule_message_names_only_values_refusals_carry() -> None:
    known = {"field", "unit_id", "inspector_id", "round_id", "phase", "counties", "code"}
    known |= {"on", "today", "began", "previous"}  # domain/dates.py
    known |= {"until"}  # domain/accounts/account.py
    for rule, template in RULE_MESSAGES_ZH.items():
        named = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert named <= known, rule


def test_a_rule_violation_reads_in_chinese_with_its_values() -> None:
    error = RuleViolation(
        "RECUSAL_POST", "Inspector Li must recuse", inspector_id="i-1", unit_id="u-9"
    )
    assert message_zh(error) == "任职回避：巡察干部（i-1）三年内曾在单位（u-9）任职"


def test_a_refusal_without_a_rule_reads_as_its_codes_generic_message() -> None:
    assert message_zh(NotFound.no("clue", "c-1")) == "未找到该对象，或无权查看"
    assert message_zh(ValidationFailed("bad", field="x")) == "输入有误，请检查后重新提交"


@pytest.mark.parametrize("details", [{}, {"field": None}])
def test_a_rule_whose_value_is_missing_falls_back_to_its_codes_message(
    details: dict[str, str | None],
) -> None:
    error = RuleViolation("TASK_DONE_BEFORE_FEEDBACK", "Task t cannot be done then", **details)
    assert message_zh(error) == ERROR_MESSAGES_ZH[ErrorCode.RULE_VIOLATION]
