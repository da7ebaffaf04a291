"""Every linkage rule of DOMAIN.md, refused with the rule named."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolation, ValidationFailed
from domain.rounds.values import Linkage, Period, RoundKind
from tests.unit.domain.rounds.builders import SPRING, Jinan, plan, target


def rule_of(refused: pytest.ExceptionInfo[RuleViolation]) -> str:
    return refused.value.rule


def test_a_county_plans_a_standalone_round_on_its_own_villages() -> None:
    jinan = Jinan()
    planned = plan(jinan.lixia, Linkage.STANDALONE, [target(jinan.lixia)], jinan)
    assert planned.tenant_id == jinan.lixia.id
    assert planned.city_id == jinan.city.id
    assert planned.phase == "PLANNED"


def test_a_standalone_round_cannot_inspect_another_offices_units() -> None:
    jinan = Jinan()
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.lixia, Linkage.STANDALONE, [target(jinan.shizhong)], jinan)
    assert rule_of(refused) == "ROUND_STANDALONE_TARGETS"


def test_an_escalated_round_is_organised_by_the_city_on_its_counties_units() -> None:
    jinan = Jinan()
    targets = [target(jinan.lixia), target(jinan.shizhong)]
    assert plan(jinan.city, Linkage.ESCALATED, targets, jinan).linkage is Linkage.ESCALATED


def test_a_county_cannot_organise_an_escalated_round() -> None:
    jinan = Jinan()
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.lixia, Linkage.ESCALATED, [target(jinan.lixia)], jinan)
    assert rule_of(refused) == "ROUND_ESCALATED_ORGANISER"


@pytest.mark.parametrize("owner", ["city", "outsider"])
def test_an_escalated_round_inspects_only_units_of_the_citys_counties(owner: str) -> None:
    jinan = Jinan()
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.city, Linkage.ESCALATED, [target(getattr(jinan, owner))], jinan)
    assert rule_of(refused) == "ROUND_ESCALATED_TARGETS"
    assert "unit_id" in refused.value.details


def test_a_linked_child_runs_under_a_city_parent_on_the_countys_own_units() -> None:
    jinan = Jinan()
    parent = plan(jinan.city, Linkage.ESCALATED, [target(jinan.lixia, "V9")], jinan)
    child = plan(jinan.lixia, Linkage.LINKED, [target(jinan.lixia)], jinan, parent=parent)
    assert child.parent_id == parent.id
    assert child.city_id == jinan.city.id


def test_a_linked_child_must_be_organised_by_a_county_of_the_parents_city() -> None:
    jinan = Jinan()
    parent = plan(jinan.city, Linkage.LINKED, [target(jinan.lixia)], jinan)
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.outsider, Linkage.LINKED, [target(jinan.outsider)], jinan, parent=parent)
    assert rule_of(refused) == "ROUND_LINKED_ORGANISER"


def test_a_linked_child_stays_inside_the_parents_period() -> None:
    jinan = Jinan()
    parent = plan(jinan.city, Linkage.LINKED, [target(jinan.lixia)], jinan)
    late = Period(date(2026, 4, 1), date(2026, 6, 30))
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.lixia, Linkage.LINKED, [target(jinan.lixia)], jinan, parent=parent, period=late)
    assert rule_of(refused) == "ROUND_LINKED_PERIOD"


def test_a_linked_child_inspects_only_its_own_units() -> None:
    jinan = Jinan()
    parent = plan(jinan.city, Linkage.LINKED, [target(jinan.lixia)], jinan)
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.lixia, Linkage.LINKED, [target(jinan.shizhong)], jinan, parent=parent)
    assert rule_of(refused) == "ROUND_LINKED_TARGETS"


def test_a_linked_child_cannot_hang_under_another_child() -> None:
    jinan = Jinan()
    parent = plan(jinan.city, Linkage.LINKED, [target(jinan.lixia, "V9")], jinan)
    child = plan(jinan.lixia, Linkage.LINKED, [target(jinan.lixia)], jinan, parent=parent)
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.shizhong, Linkage.LINKED, [target(jinan.shizhong)], jinan, parent=child)
    assert rule_of(refused) == "ROUND_LINKED_PARENT"


def test_a_linked_parent_is_organised_by_a_city() -> None:
    jinan = Jinan()
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.lixia, Linkage.LINKED, [target(jinan.lixia)], jinan)
    assert rule_of(refused) == "ROUND_LINKED_PARENT_ORGANISER"


def test_a_joint_round_is_co_organised_by_the_city_and_its_counties() -> None:
    jinan = Jinan()
    targets = [target(jinan.city, "D1"), target(jinan.lixia)]
    joint = plan(jinan.city, Linkage.JOINT, targets, jinan, co_organisers=[jinan.lixia])
    assert joint.co_organiser_ids == [jinan.lixia.id]


@pytest.mark.parametrize("co", [[], ["outsider"], ["city"]])
def test_joint_co_organisers_must_be_counties_of_the_city(co: list[str]) -> None:
    jinan = Jinan()
    co_organisers = [getattr(jinan, name) for name in co]
    with pytest.raises(RuleViolation) as refused:
        plan(jinan.city, Linkage.JOINT, [target(jinan.city)], jinan, co_organisers=co_organisers)
    assert rule_of(refused) == "ROUND_JOINT_CO_ORGANISERS"


def test_a_joint_round_inspects_only_the_co_organisers_units() -> None:
    jinan = Jinan()
    with pytest.raises(RuleViolation) as refused:
        plan(
            jinan.city,
            Linkage.JOINT,
            [target(jinan.shizhong)],
            jinan,
            co_organisers=[jinan.lixia],
        )
    assert rule_of(refused) == "ROUND_JOINT_TARGETS"


def test_a_cross_round_sends_one_county_into_anothers_units() -> None:
    jinan = Jinan()
    cross = plan(
        jinan.city,
        Linkage.CROSS,
        [target(jinan.shizhong)],
        jinan,
        inspecting=jinan.lixia,
        owning=jinan.shizhong,
    )
    assert (cross.inspecting_county_id, cross.owning_county_id) == (
        jinan.lixia.id,
        jinan.shizhong.id,
    )


@pytest.mark.parametrize(
    ("organiser", "inspecting", "owning", "rule"),
    [
        ("lixia", "lixia", "shizhong", "ROUND_CROSS_AUTHORISER"),
        ("city", "shizhong", "shizhong", "ROUND_CROSS_SAME_COUNTY"),
        ("city", "outsider", "shizhong", "ROUND_CROSS_COUNTIES"),
        ("city", "lixia", "lixia_target_mismatch", "ROUND_CROSS_TARGETS"),
    ],
)
def test_cross_rounds_follow_the_cross_rules(
    organiser: str, inspecting: str, owning: str, rule: str
) -> None:
    jinan = Jinan()
    owning_county = jinan.shizhong if owning == "lixia_target_mismatch" else getattr(jinan, owning)
    unit_owner = jinan.lixia if owning == "lixia_target_mismatch" else owning_county
    with pytest.raises(RuleViolation) as refused:
        plan(
            getattr(jinan, organiser),
            Linkage.CROSS,
            [target(unit_owner)],
            jinan,
            inspecting=getattr(jinan, inspecting),
            owning=owning_county,
        )
    assert rule_of(refused) == rule


def test_a_thematic_round_names_its_theme_and_a_revisit_its_earlier_round() -> None:
    jinan = Jinan()
    thematic = plan(
        jinan.lixia, Linkage.STANDALONE, [target(jinan.lixia)], jinan, kind=RoundKind.THEMATIC
    )
    assert thematic.theme == "乡村振兴"
    with pytest.raises(ValidationFailed) as refused:
        plan(jinan.lixia, Linkage.STANDALONE, [target(jinan.lixia)], jinan, kind=RoundKind.REVISIT)
    assert refused.value.details["field"] == "revisitOf"


def test_a_round_needs_targets_and_a_period_that_does_not_end_before_it_starts() -> None:
    jinan = Jinan()
    with pytest.raises(ValidationFailed):
        plan(jinan.lixia, Linkage.STANDALONE, [], jinan)
    with pytest.raises(ValidationFailed):
        Period(date(2026, 5, 1), date(2026, 4, 1))
    assert SPRING.contains(Period(date(2026, 3, 1), date(2026, 3, 10)))
