"""Forming an inspection group and changing its cadres: cadres of the office only, one post
each, a home township that is a township of the office."""

from __future__ import annotations

import pytest

from domain.errors import RuleViolation, ValidationFailed
from domain.groups.group import GroupKind, InspectionGroup, Staff, Visit
from domain.rounds.values import TeamRole
from tests.unit.domain.factories import county
from tests.unit.domain.groups.builders import cadre, district, township, village


def test_a_group_records_its_cadres_by_post_and_its_home_township() -> None:
    hanjiang = district(1)
    part = hanjiang.parts[0]
    assert part.group.home_township_id == part.township.id
    assert part.group.cadres == [
        (TeamRole.LEADER, part.leader.id),
        (TeamRole.DEPUTY_LEADER, part.deputy.id),
        (TeamRole.MEMBER, part.member.id),
        (TeamRole.LIAISON, part.liaison.id),
    ]
    assert part.group.roles_of(part.member.id) == {TeamRole.MEMBER}


def test_a_cadre_of_another_office_cannot_join() -> None:
    hanjiang = district(1)
    neighbour = county(hanjiang.city, "429005")
    with pytest.raises(RuleViolation) as refused:
        InspectionGroup.form(
            office=hanjiang.office,
            name="督导组",
            kind=GroupKind.SUPERVISORY,
            staff=Staff(cadre(neighbour, "外区干部")),
            home_township=None,
        )
    assert refused.value.rule == "GROUP_MEMBER_OFFICE"


def test_one_cadre_holds_one_post() -> None:
    hanjiang = district(1)
    leader = hanjiang.parts[0].leader
    with pytest.raises(ValidationFailed):
        InspectionGroup.form(
            office=hanjiang.office,
            name="督导组",
            kind=GroupKind.SUPERVISORY,
            staff=Staff(leader, members=(leader,)),
            home_township=None,
        )


def test_an_inspecting_group_names_a_township_of_its_office_as_home() -> None:
    hanjiang = district(1)
    leader = cadre(hanjiang.office, "组长")
    with pytest.raises(ValidationFailed) as missing:
        InspectionGroup.form(
            office=hanjiang.office,
            name="第一组",
            kind=GroupKind.EXTENSION,
            staff=Staff(leader),
            home_township=None,
        )
    assert missing.value.details["field"] == "homeTownshipId"
    a_village = village(hanjiang.office, hanjiang.parts[0].township, 9)
    foreign = township(county(hanjiang.city, "429005"), "X1")
    for not_home in (a_village, foreign):
        with pytest.raises(RuleViolation) as refused:
            InspectionGroup.form(
                office=hanjiang.office,
                name="第一组",
                kind=GroupKind.INSPECTION,
                staff=Staff(leader),
                home_township=not_home,
            )
        assert refused.value.rule == "GROUP_HOME_TOWNSHIP"


def test_changing_cadres_records_the_new_staff_and_refuses_no_change() -> None:
    hanjiang = district(1)
    part = hanjiang.parts[0]
    newcomer = cadre(hanjiang.office, "新组员")
    part.group.change_members(
        office=hanjiang.office,
        staff=Staff(part.leader, members=(part.member, newcomer)),
        reason="补充力量",
    )
    assert part.group.roles_of(newcomer.id) == {TeamRole.MEMBER}
    assert part.group.roles_of(part.deputy.id) == set()
    with pytest.raises(RuleViolation) as refused:
        part.group.change_members(
            office=hanjiang.office,
            staff=Staff(part.leader, members=(part.member, newcomer)),
            reason="重复",
        )
    assert refused.value.rule == "GROUP_UNCHANGED"


def test_a_guidance_group_visits_a_target_of_the_round_inside_its_period() -> None:
    hanjiang = district(1)
    part = hanjiang.parts[0]
    round_ = hanjiang.plan(part)
    guidance = InspectionGroup.form(
        office=hanjiang.office,
        name="指导组",
        kind=GroupKind.GUIDANCE,
        staff=Staff(cadre(hanjiang.office, "指导组长")),
        home_township=None,
    )
    start = round_.period.start
    guidance.record_visit(
        Visit(part.villages[0].id, start, start, [" 规范三资台账 "]), round_=round_
    )
    recorded = guidance.pending_events[-1]
    assert isinstance(recorded, InspectionGroup.VisitRecorded)
    assert (recorded.unit_owner_id, recorded.suggestions) == (hanjiang.office.id, ["规范三资台账"])
    with pytest.raises(RuleViolation) as refused:
        part.group.record_visit(Visit(part.villages[0].id, start, start, []), round_=round_)
    assert refused.value.rule == "VISIT_GROUP_KIND"
