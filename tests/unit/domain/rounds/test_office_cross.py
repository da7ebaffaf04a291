"""Cross inspection inside one office (推磨式 between townships): which group inspects which
township, never its home township, and who may sit on such a round's team."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import RuleViolation
from domain.groups.group import GroupKind
from domain.groups.zone import Zone
from domain.inspectors.inspector import Posting
from domain.rounds.office_cross import Crossing, TakingPart, Village, generate
from domain.rounds.values import CrossMode, Target, TeamRole
from tests.unit.domain.factories import county
from tests.unit.domain.groups.builders import cadre, district, village


def test_a_rotation_sends_each_group_to_the_next_township_never_its_own() -> None:
    hanjiang = district(4)
    parties = [p.taking_part() for p in reversed(hanjiang.parts)]  # order does not matter
    east = Zone.define(
        office=hanjiang.office, name="东片区", townships=[p.township for p in hanjiang.parts]
    )
    batch = generate(hanjiang.office, parties, CrossMode.ROTATION, zone=east)
    pairs = [(c.inspecting.township.code, c.owning.township.code) for c in batch]
    assert pairs == [("T1", "T2"), ("T2", "T3"), ("T3", "T4"), ("T4", "T1")]
    for planned in batch:
        crossing = planned.crossing
        assert crossing.home_township_id != crossing.owning_township_id
        assert crossing.inspecting_group_id == planned.inspecting.group.id
        assert crossing.host_group_id is None
        assert (crossing.zone_id, crossing.zone) == (east.id, "东片区")
        assert {t.unit_id for t in planned.targets} == {v.unit.id for v in planned.owning.villages}
        assert all(t.reasons for t in planned.targets)


def test_an_exchange_lets_the_host_township_lead_and_the_next_one_send_members() -> None:
    hanjiang = district(3)
    batch = generate(hanjiang.office, [p.taking_part() for p in hanjiang.parts], CrossMode.EXCHANGE)
    first = next(c for c in batch if c.owning.township.code == "T1")
    crossing = first.crossing
    assert crossing.host_group_id == hanjiang.parts[0].group.id
    assert crossing.inspecting_group_id == hanjiang.parts[1].group.id
    assert crossing.staffing_group(TeamRole.LEADER) == hanjiang.parts[0].group.id
    assert crossing.staffing_group(TeamRole.LIAISON) == hanjiang.parts[0].group.id
    assert crossing.staffing_group(TeamRole.MEMBER) == hanjiang.parts[1].group.id


def test_two_townships_cannot_rotate_and_the_refusal_says_townships() -> None:
    hanjiang = district(2)
    with pytest.raises(RuleViolation) as refused:
        generate(hanjiang.office, [p.taking_part() for p in hanjiang.parts], CrossMode.ROTATION)
    assert refused.value.rule == "CROSS_BATCH_TOO_FEW_COUNTIES"
    assert "at least 3 townships" in refused.value.message


def test_a_group_goes_with_its_own_township_and_villages_with_theirs() -> None:
    hanjiang = district(3)
    one, two, three = hanjiang.parts
    swapped = TakingPart(one.township, two.group, one.taking_part().villages)
    with pytest.raises(RuleViolation) as refused:
        generate(
            hanjiang.office, [swapped, two.taking_part(), three.taking_part()], CrossMode.ROTATION
        )
    assert refused.value.rule == "CROSS_GROUP_HOME_TOWNSHIP"
    stray = TakingPart(one.township, one.group, [Village(two.villages[0])])
    with pytest.raises(RuleViolation) as refused:
        generate(
            hanjiang.office, [stray, two.taking_part(), three.taking_part()], CrossMode.ROTATION
        )
    assert refused.value.rule == "CROSS_TARGET_TOWNSHIP"


def test_only_an_inspecting_group_crosses_and_only_a_supervisory_group_oversees() -> None:
    hanjiang = district(3)
    guidance = hanjiang.add("T9", GroupKind.GUIDANCE)
    parties = [p.taking_part() for p in hanjiang.parts]
    with pytest.raises(RuleViolation) as refused:
        generate(hanjiang.office, parties, CrossMode.ROTATION)
    assert refused.value.rule == "CROSS_GROUP_KIND"
    with pytest.raises(RuleViolation) as refused:
        generate(hanjiang.office, parties[:3], CrossMode.ROTATION, supervisory=guidance.group)
    assert refused.value.rule == "CROSS_SUPERVISORY_GROUP"


def crossing_for(hanjiang, owning, inspecting) -> Crossing:  # type: ignore[no-untyped-def]
    return Crossing(
        mode=CrossMode.ROTATION,
        owning_township_id=owning.township.id,
        inspecting_group_id=inspecting.group.id,
        home_township_id=inspecting.township.id,
    )


def assign(  # type: ignore[no-untyped-def]
    round_, hanjiang, who, role: TeamRole, groups: set[UUID], townships: set[UUID]
) -> None:
    round_.assign_inspector(
        inspector=who,
        home=hanjiang.office,
        role=role,
        groups=frozenset(groups),
        home_townships=frozenset(townships),
    )


def test_a_round_refuses_a_group_on_its_home_township() -> None:
    hanjiang = district(3)
    one = hanjiang.parts[0]
    round_ = hanjiang.plan(one)
    with pytest.raises(RuleViolation) as refused:
        round_.assign_groups(crossing_for(hanjiang, one, one))
    assert refused.value.rule == "CROSS_HOME_TOWNSHIP"
    assert round_.crossing is None
    assert not round_.pending_events[1:]


def test_cadres_of_the_group_serve_and_one_from_the_inspected_township_recuses() -> None:
    hanjiang = district(3)
    one, two = hanjiang.parts[:2]
    round_ = hanjiang.plan(two)
    round_.assign_groups(crossing_for(hanjiang, two, one))
    # home area by county does not apply inside the office: the district's own cadres serve
    assign(round_, hanjiang, one.leader, TeamRole.LEADER, {one.group.id}, {one.township.id})
    assert round_.team[one.leader.id]["role"] == "LEADER"
    with pytest.raises(RuleViolation) as refused:
        assign(round_, hanjiang, two.member, TeamRole.MEMBER, {two.group.id}, {two.township.id})
    assert refused.value.rule == "TEAM_GROUP"
    posted = cadre(
        hanjiang.office,
        "赵干部",
        [Posting(village(hanjiang.office, two.township, 9).id, date(2024, 1, 1))],
    )
    with pytest.raises(RuleViolation) as refused:
        assign(
            round_,
            hanjiang,
            posted,
            TeamRole.MEMBER,
            {one.group.id},
            {one.township.id, two.township.id},
        )
    assert refused.value.rule == "RECUSAL_HOME_TOWNSHIP"
    assert refused.value.details["unit_id"] == str(two.township.id)


def test_an_exchange_host_leads_on_its_own_township() -> None:
    hanjiang = district(3)
    one, two = hanjiang.parts[:2]
    round_ = hanjiang.plan(one)
    round_.assign_groups(
        Crossing(
            mode=CrossMode.EXCHANGE,
            owning_township_id=one.township.id,
            inspecting_group_id=two.group.id,
            home_township_id=two.township.id,
            host_group_id=one.group.id,
        )
    )
    assign(round_, hanjiang, one.leader, TeamRole.LEADER, {one.group.id}, {one.township.id})
    with pytest.raises(RuleViolation) as refused:
        assign(round_, hanjiang, one.member, TeamRole.MEMBER, {one.group.id}, {one.township.id})
    assert refused.value.rule == "TEAM_GROUP"


def test_a_group_of_another_office_cannot_take_part() -> None:
    hanjiang = district(3)
    other = county(hanjiang.city, "429005")
    with pytest.raises(RuleViolation) as refused:
        generate(other, [p.taking_part() for p in hanjiang.parts], CrossMode.ROTATION)
    assert refused.value.rule == "CROSS_GROUP_KIND"


def test_a_target_without_reasons_is_recorded_as_before_reasons_existed() -> None:
    hanjiang = district(1)
    plain = hanjiang.plan(hanjiang.parts[0]).targets[0]
    assert set(plain.as_record()) == {"unit_id", "owner_id"}
    chosen = hanjiang.parts[0].taking_part()
    village_ = chosen.villages[0]
    with_reasons = Target(village_.unit.id, village_.unit.tenant_id, village_.reasons)
    assert with_reasons.as_record()["reasons"] == ["WEAK_AND_LAX"]
    assert Target.of(with_reasons.as_record()) == with_reasons


def test_a_batch_over_a_zone_takes_only_the_zones_townships() -> None:
    hanjiang = district(4)
    west = Zone.define(
        office=hanjiang.office, name="西片区", townships=[p.township for p in hanjiang.parts[:3]]
    )
    with pytest.raises(RuleViolation) as refused:
        generate(
            hanjiang.office,
            [p.taking_part() for p in hanjiang.parts],
            CrossMode.ROTATION,
            zone=west,
        )
    assert refused.value.rule == "ZONE_OUTSIDE"
    assert refused.value.details["member_id"] == str(hanjiang.parts[3].township.id)
    three = generate(
        hanjiang.office,
        [p.taking_part() for p in hanjiang.parts[:3]],
        CrossMode.ROTATION,
        zone=west,
    )
    assert len(three) == 3
