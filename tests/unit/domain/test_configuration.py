"""Per-tenant configuration: effective-dated, never retroactive, answerable as of any date."""

from datetime import date
from uuid import uuid4

import pytest

from domain.configuration.configuration import TenantConfiguration
from domain.configuration.values import Aspect, Practice, Term, UnitClass
from domain.errors import RuleViolation, ValidationFailed

TODAY = date(2026, 11, 22)


def configuration() -> TenantConfiguration:
    return TenantConfiguration.open(uuid4())


def test_national_defaults_apply_before_any_change() -> None:
    practice = configuration().practice_on(TODAY)
    assert practice.rectification_report_due_months == 2
    assert practice.priority_class_names["KEY"] == "重点关注类"


def test_a_change_applies_from_its_effective_date_and_not_before() -> None:
    config = configuration()
    config.amend_practice(
        Practice(transfer_due_working_days=20, rectification_report_due_months=3),
        effective_from=date(2027, 1, 1),
        today=TODAY,
    )
    assert config.practice_on(date(2026, 12, 31)).transfer_due_working_days == 30
    assert config.practice_on(date(2027, 1, 1)).transfer_due_working_days == 20
    assert config.practice_on(date(2027, 6, 1)).rectification_report_due_months == 3


def test_a_backdated_change_is_refused() -> None:
    config = configuration()
    with pytest.raises(RuleViolation) as refused:
        config.amend_practice(Practice(), effective_from=date(2026, 1, 1), today=TODAY)
    assert refused.value.rule == "CONFIGURATION_NOT_RETROACTIVE"
    assert config.practice == []


def test_priority_class_names_must_rename_the_three_classes() -> None:
    with pytest.raises(ValidationFailed):
        Practice(priority_class_names={"KEY": "一类"})


def test_categories_are_the_common_checklist_plus_the_units_class_checklists() -> None:
    config = configuration()
    config.define_unit_classes(
        [UnitClass("WEAK", "软弱涣散村"), UnitClass("ASSETS", "三资富集")],
        effective_from=TODAY,
        today=TODAY,
    )
    config.adopt_checklist(
        [Aspect("党组织建设"), Aspect("作风问题")],
        class_code=None,
        effective_from=TODAY,
        today=TODAY,
    )
    config.adopt_checklist(
        [Aspect("三资管理", ("集体收入未入账",)), Aspect("工程项目")],
        class_code="ASSETS",
        effective_from=TODAY,
        today=TODAY,
    )
    assert config.categories_on(["ASSETS"], TODAY) == [
        "党组织建设",
        "作风问题",
        "三资管理",
        "工程项目",
    ]
    assert config.categories_on(["WEAK"], TODAY) == ["党组织建设", "作风问题"]


def test_a_checklist_for_an_undefined_class_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        configuration().adopt_checklist(
            [Aspect("三资管理")], class_code="ASSETS", effective_from=TODAY, today=TODAY
        )
    assert refused.value.rule == "CHECKLIST_CLASS_UNDEFINED"


def test_unit_classes_are_versioned() -> None:
    config = configuration()
    config.define_unit_classes([UnitClass("WEAK", "软弱涣散村")], effective_from=TODAY, today=TODAY)
    config.define_unit_classes(
        [UnitClass("SPECIAL", "特别关注"), UnitClass("KEY", "重点关注")],
        effective_from=date(2027, 1, 1),
        today=TODAY,
    )
    assert [c.code for c in config.unit_classes_on(TODAY)] == ["WEAK"]
    assert [c.code for c in config.unit_classes_on(date(2027, 3, 1))] == ["SPECIAL", "KEY"]


def test_committee_terms_do_not_overlap_and_answer_which_term_a_date_is_in() -> None:
    config = configuration()
    config.declare_term(Term("第十二届", date(2021, 10, 1), date(2026, 9, 30)))
    config.declare_term(Term("第十三届", date(2026, 10, 1), date(2031, 9, 30)))
    with pytest.raises(RuleViolation) as refused:
        config.declare_term(Term("重复", date(2025, 1, 1), date(2027, 1, 1)))
    assert refused.value.rule == "TERM_OVERLAP"
    term = config.term_on(TODAY)
    assert term is not None
    assert term.name == "第十三届"


def test_a_term_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        Term("第十二届", date(2026, 1, 1), date(2025, 1, 1))
