"""An office's model is one read-only SELECT over its own datasets; its one source runs on
Spark translated."""

from __future__ import annotations

import pytest

from domain.comparison.library import LIBRARY
from domain.comparison.values import DatasetKind
from domain.errors import RuleViolation, ValidationFailed
from infrastructure.comparison.sql import checked_columns, translated
from services.comparison.models import check_definition

TABLES = {"farm_subsidy", "death_records"}


def test_a_select_with_ctes_yields_its_named_columns() -> None:
    sql = (
        "WITH late AS (SELECT id_number_key FROM death_records) "
        "SELECT f.unit_code, f.id_number_key AS match_key FROM farm_subsidy f "
        "JOIN late USING (id_number_key)"
    )
    assert checked_columns(sql, TABLES) == ["unit_code", "match_key"]


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("DELETE FROM farm_subsidy", "MODEL_SINGLE_SELECT"),
        ("SELECT 1 AS a; SELECT 2 AS b", "MODEL_SINGLE_SELECT"),
        ("COPY farm_subsidy TO '/tmp/x.csv'", "MODEL_SINGLE_SELECT"),
        ("SELECT unit_code FROM public_payroll", "MODEL_UNKNOWN_TABLE"),
        ("SELECT a FROM read_csv('/etc/passwd')", "MODEL_UNKNOWN_TABLE"),
        ("SELECT a FROM other.main.farm_subsidy", "MODEL_UNKNOWN_TABLE"),
        ("SELECT * FROM farm_subsidy", "MODEL_OUTPUT_COLUMNS"),
    ],
)
def test_anything_else_is_refused_with_its_rule(sql: str, rule: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        checked_columns(sql, TABLES)
    assert refused.value.rule == rule


def test_a_query_that_does_not_parse_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        checked_columns("SELECT FROM WHERE (", TABLES)
    assert refused.value.details["field"] == "sql"


def test_the_reason_template_names_only_columns_the_query_yields() -> None:
    sql = "SELECT unit_code, id_number_key AS match_key, amount FROM farm_subsidy"
    check_definition([DatasetKind.FARM_SUBSIDY], sql, "领取{amount}元")
    with pytest.raises(RuleViolation) as refused:
        check_definition([DatasetKind.FARM_SUBSIDY], sql, "{name_masked}领取{amount}元")
    assert refused.value.details["columns"] == "name_masked"


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_every_library_model_passes_the_office_rules_and_translates_to_spark(code: str) -> None:
    model = LIBRARY[code]
    check_definition(model.kinds, model.sql, model.reason_template)
    assert "SELECT" in translated(model.sql, "spark")
