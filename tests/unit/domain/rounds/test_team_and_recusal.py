"""Team assignment and the four recusal rules (回避), each naming rule, inspector and unit."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.inspectors.inspector import Kinship, Posting, Relation
from domain.rounds.values import Linkage, Phase, TeamRole
from tests.unit.domain.rounds.builders import Jinan, inspector, plan, target


def escalated(jinan: Jinan):  # type: ignore[no-untyped-def]
    village = target(jinan.lixia)
    return plan(jinan.city, Linkage.ESCALATED, [village], jinan), village


def test_a_city_inspector_joins_the_team_of_an_escalated_round() -> None:
    jinan = Jinan()
    round_, _ = escalated(jinan)
    wang = inspector(jinan.city)
    round_.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.LEADER)
    assert round_.team[wang.id]["role"] == "LEADER"


def test_an_inspector_is_on_a_team_once_and_a_team_has_one_leader() -> None:
    jinan = Jinan()
    round_, _ = escalated(jinan)
    wang, li = inspector(jinan.city), inspector(jinan.city, "李巡察")
    round_.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.LEADER)
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.MEMBER)
    assert refused.value.rule == "TEAM_ALREADY_ASSIGNED"
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(inspector=li, home=jinan.city, role=TeamRole.LEADER)
    assert refused.value.rule == "TEAM_ONE_LEADER"


def test_a_post_held_within_three_years_at_a_target_unit_means_recusal() -> None:
    jinan = Jinan()
    round_, village = escalated(jinan)  # starts 2026-03-01
    recent = inspector(
        jinan.city, postings=[Posting(village.unit_id, date(2019, 1, 1), date(2023, 3, 1))]
    )
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(inspector=recent, home=jinan.city, role=TeamRole.MEMBER)
    assert refused.value.rule == "RECUSAL_POST"
    assert refused.value.details == {
        "rule": "RECUSAL_POST",
        "inspector_id": str(recent.id),
        "unit_id": str(village.unit_id),
    }
    long_ago = inspector(
        jinan.city, postings=[Posting(village.unit_id, date(2015, 1, 1), date(2023, 2, 28))]
    )
    round_.assign_inspector(inspector=long_ago, home=jinan.city, role=TeamRole.MEMBER)


def test_an_inspector_from_the_targets_county_recuses_by_home_area() -> None:
    jinan = Jinan()
    round_, village = escalated(jinan)
    local = inspector(jinan.lixia)
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(inspector=local, home=jinan.lixia, role=TeamRole.MEMBER)
    assert refused.value.rule == "RECUSAL_HOME_AREA"
    assert refused.value.details["unit_id"] == str(village.unit_id)
    neighbour = inspector(jinan.shizhong)
    round_.assign_inspector(inspector=neighbour, home=jinan.shizhong, role=TeamRole.MEMBER)


@pytest.mark.parametrize("kinship", list(Kinship))
def test_kin_of_a_target_units_leadership_recuses(kinship: Kinship) -> None:
    jinan = Jinan()
    round_, village = escalated(jinan)
    kin = inspector(
        jinan.city, relations=[Relation(kinship, "张某", "村党支部书记", village.unit_id)]
    )
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(inspector=kin, home=jinan.city, role=TeamRole.MEMBER)
    assert refused.value.rule == "RECUSAL_KINSHIP"
    assert "张某" in refused.value.message


def test_a_declared_recusal_takes_a_member_off_the_team_and_blocks_reassignment() -> None:
    jinan = Jinan()
    round_, village = escalated(jinan)
    wang = inspector(jinan.city)
    round_.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.MEMBER)
    round_.declare_recusal(
        inspector=wang, unit_id=village.unit_id, reason="曾处理该村信访", on=date(2026, 2, 20)
    )
    assert round_.team[wang.id]["recused"] is True
    other_round, other_village = escalated(jinan)
    other_round.declare_recusal(
        inspector=wang, unit_id=other_village.unit_id, reason="亲属经商", on=date(2026, 2, 20)
    )
    with pytest.raises(RuleViolation) as refused:
        other_round.assign_inspector(inspector=wang, home=jinan.city, role=TeamRole.MEMBER)
    assert refused.value.rule == "RECUSAL_DECLARED_CONFLICT"


def test_a_recusal_names_a_target_unit_and_is_declared_once() -> None:
    jinan = Jinan()
    round_, village = escalated(jinan)
    wang = inspector(jinan.city)
    with pytest.raises(RuleViolation) as refused:
        round_.declare_recusal(
            inspector=wang, unit_id=target(jinan.shizhong).unit_id, reason="x", on=date(2026, 2, 1)
        )
    assert refused.value.rule == "RECUSAL_UNIT_NOT_TARGET"
    round_.declare_recusal(inspector=wang, unit_id=village.unit_id, reason="x", on=date(2026, 2, 1))
    with pytest.raises(RuleViolation) as refused:
        round_.declare_recusal(
            inspector=wang, unit_id=village.unit_id, reason="x", on=date(2026, 2, 1)
        )
    assert refused.value.rule == "RECUSAL_ALREADY_DECLARED"


def test_a_joint_team_mixes_members_of_the_co_organisers_only() -> None:
    jinan = Jinan()
    joint = plan(
        jinan.city, Linkage.JOINT, [target(jinan.city, "D1")], jinan, co_organisers=[jinan.lixia]
    )
    joint.assign_inspector(inspector=inspector(jinan.lixia), home=jinan.lixia, role=TeamRole.MEMBER)
    with pytest.raises(RuleViolation) as refused:
        joint.assign_inspector(
            inspector=inspector(jinan.shizhong), home=jinan.shizhong, role=TeamRole.MEMBER
        )
    assert refused.value.rule == "TEAM_HOME_OFFICE"


def test_an_exchange_cross_team_takes_leader_from_the_host_and_members_from_the_sender() -> None:
    jinan = Jinan()
    host, sender = jinan.shizhong, jinan.lixia
    staffing = {
        TeamRole.LEADER: host.id,
        TeamRole.LIAISON: host.id,
        TeamRole.DEPUTY_LEADER: sender.id,
        TeamRole.MEMBER: sender.id,
    }
    cross = plan(
        jinan.city,
        Linkage.CROSS,
        [target(host)],
        jinan,
        inspecting=sender,
        owning=host,
        staffing=staffing,
    )
    cross.assign_inspector(inspector=inspector(host), home=host, role=TeamRole.LEADER)
    cross.assign_inspector(inspector=inspector(sender), home=sender, role=TeamRole.MEMBER)
    with pytest.raises(RuleViolation) as refused:
        cross.assign_inspector(inspector=inspector(host), home=host, role=TeamRole.MEMBER)
    assert refused.value.rule == "TEAM_HOME_OFFICE"


def test_a_closed_round_takes_no_new_team_members() -> None:
    jinan = Jinan()
    round_, _ = escalated(jinan)
    for phase in list(Phase)[1:]:
        round_.advance_phase(to=phase, on=date(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        round_.assign_inspector(
            inspector=inspector(jinan.city), home=jinan.city, role=TeamRole.MEMBER
        )
    assert refused.value.rule == "ROUND_CLOSED"
    with pytest.raises(RuleViolation) as refused:
        round_.declare_recusal(
            inspector=inspector(jinan.city),
            unit_id=round_.targets[0].unit_id,
            reason="x",
            on=date(2026, 3, 2),
        )
    assert refused.value.rule == "ROUND_CLOSED"


def test_home_area_recusal_is_by_county_so_city_cadres_inspect_city_units() -> None:
    jinan = Jinan()
    department = target(jinan.city, "D1")
    city_round = plan(jinan.city, Linkage.STANDALONE, [department], jinan)
    city_round.assign_inspector(
        inspector=inspector(jinan.city), home=jinan.city, role=TeamRole.LEADER
    )
    assert len(city_round.team) == 1
