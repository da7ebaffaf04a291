"""Four-level feedback (四级反馈四方整改) and common problems (面上共性问题): who may be
addressed at each level, a problem's fix linked to the level that owns it, grouping problems of
several units of one round or term, and the stored v1 forms still read."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.audit.hashing import canonical_record, hash_record
from domain.audited import event_hash
from domain.configuration.values import Term
from domain.errors import ValidationFailed
from domain.rectification.common_problem import CommonProblem
from domain.rectification.feedback import Feedback
from domain.rectification.levels import Targets, county_addressee, unit_addressee
from domain.rectification.task import Task, assign_systemic_tasks, assign_tasks
from domain.rectification.values import (
    Addressee,
    FeedbackLevel,
    GroupedProblem,
    ItemDraft,
    SystemicTaskDraft,
)
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit, UnitType
from tests.unit.domain.factories import city, county
from tests.unit.domain.test_clue_event_versions import mapper
from tests.unit.domain.test_rectification import (
    GIVEN_ON,
    problem,
    refused_rule,
    responsibility,
    standalone_round,
    task,
)


class Jinhua:
    """A county with a township, two of its villages, a department, and a round on the
    villages."""

    def __init__(self) -> None:
        self.city = city()
        self.county = county(self.city)
        self.township = unit(self.county, "T01", "白龙桥镇", UnitType.TOWNSHIP)
        self.villages = [
            unit(self.county, f"V0{n}", f"{n}村", UnitType.VILLAGE, self.township) for n in (1, 2)
        ]
        self.department = unit(self.county, "D01", "农业农村局", UnitType.DEPARTMENT)
        self.round: Round = standalone_round(self.county, *self.villages)
        self.targets = Targets(
            unit_ids=[v.id for v in self.villages],
            owner_ids=[self.county.id],
            townships=[v.parent_id for v in self.villages],
            organiser_id=self.county.id,
        )

    def at(self, level: FeedbackLevel, unit: Unit) -> Addressee:
        return unit_addressee(level, unit, self.targets)


def unit(
    owner: Tenant, code: str, name: str, unit_type: UnitType, parent: Unit | None = None
) -> Unit:
    return Unit.register(owner=owner, code=code, name=name, unit_type=unit_type, parent=parent)


def feedback_to(world: Jinhua, addressee: Addressee, **changes: Any) -> Feedback:
    fields: dict[str, Any] = {
        "round": world.round,
        "addressee": addressee,
        "given_on": GIVEN_ON,
        "report": "巡察反馈意见",
        "items": [problem(), task(), responsibility()],
    }
    fields.update(changes)
    return Feedback.record(**fields)


# --- addressing each level ----------------------------------------------------------------


def test_a_round_addresses_each_of_the_four_levels_above_its_villages() -> None:
    world = Jinhua()
    addressees = [
        world.at(FeedbackLevel.UNIT, world.villages[0]),
        world.at(FeedbackLevel.TOWNSHIP_COMMITTEE, world.township),
        county_addressee(world.county, world.targets),
        world.at(FeedbackLevel.DEPARTMENT, world.department),
    ]
    feedbacks = [feedback_to(world, a) for a in addressees]

    assert [f.level for f in feedbacks] == list(FeedbackLevel)
    assert len({f.id for f in feedbacks}) == 4  # one feedback per addressee and round
    for f, a in zip(feedbacks, addressees, strict=True):
        (t,) = assign_tasks(f)
        assert (t.level, t.addressee_id, t.unit_owner_id) == (a.level, a.id, a.owner_id)
        assert t.due_on == date(2026, 4, 30)  # its own deadline, from its responsibility line


def test_each_level_has_a_chinese_name() -> None:
    assert [level.named[:4] for level in FeedbackLevel] == [
        "村党组织",
        "乡镇党委",
        "县委 —",
        "职能部门",
    ]


@pytest.mark.parametrize(
    ("level", "which", "rule"),
    [
        (FeedbackLevel.UNIT, "township", "FEEDBACK_UNIT_NOT_A_TARGET"),
        (
            FeedbackLevel.TOWNSHIP_COMMITTEE,
            "other_township",
            "FEEDBACK_NOT_ADDRESSABLE_AT_TOWNSHIP_COMMITTEE",
        ),
        (
            FeedbackLevel.TOWNSHIP_COMMITTEE,
            "department",
            "FEEDBACK_NOT_ADDRESSABLE_AT_TOWNSHIP_COMMITTEE",
        ),
        (FeedbackLevel.DEPARTMENT, "township", "FEEDBACK_NOT_ADDRESSABLE_AT_DEPARTMENT"),
        (FeedbackLevel.COUNTY_COMMITTEE, "department", "FEEDBACK_COUNTY_COMMITTEE_IS_AN_OFFICE"),
    ],
)
def test_a_unit_is_addressed_only_at_its_own_level(
    level: FeedbackLevel, which: str, rule: str
) -> None:
    world = Jinhua()
    units = {
        "township": world.township,
        "department": world.department,
        "other_township": unit(world.county, "T02", "罗店镇", UnitType.TOWNSHIP),
    }
    assert refused_rule(unit_addressee, level, units[which], world.targets) == rule


def test_a_department_of_another_county_is_not_addressed() -> None:
    world = Jinhua()
    elsewhere = county(world.city, "370103")
    department = unit(elsewhere, "D01", "农业农村局", UnitType.DEPARTMENT)
    assert (
        refused_rule(unit_addressee, FeedbackLevel.DEPARTMENT, department, world.targets)
        == "FEEDBACK_NOT_ADDRESSABLE_AT_DEPARTMENT"
    )


def test_only_a_county_whose_units_the_round_inspects_is_its_county_committee() -> None:
    world = Jinhua()
    assert (
        refused_rule(county_addressee, county(world.city, "370103"), world.targets)
        == "FEEDBACK_NOT_ADDRESSABLE_AT_COUNTY_COMMITTEE"
    )
    assert (
        refused_rule(county_addressee, world.city, world.targets)
        == "FEEDBACK_NOT_ADDRESSABLE_AT_COUNTY_COMMITTEE"
    )


# --- a village problem linked to the level owning its fix -----------------------------------


def linked_problem(owner: Addressee, key: str = "P2") -> ItemDraft:
    return problem(key, owner_level=owner.level, owner_id=owner.id, text="惠农补贴发放不规范")


def test_a_village_problem_owned_by_the_township_gives_the_township_its_task() -> None:
    world = Jinhua()
    township = world.at(FeedbackLevel.TOWNSHIP_COMMITTEE, world.township)
    village = world.at(FeedbackLevel.UNIT, world.villages[0])
    items = [problem(), task(), linked_problem(township), task("T2", "P2")]
    feedback = feedback_to(world, village, items=items, owners={township.id: township})

    own, linked = assign_tasks(feedback)

    assert (own.level, own.addressee_id) == (FeedbackLevel.UNIT, village.id)
    assert (linked.level, linked.addressee_id) == (FeedbackLevel.TOWNSHIP_COMMITTEE, township.id)
    assert linked.unit_id == village.id  # found in the village
    assert feedback.items[3]["owner_id"] == township.id  # the task line inherits the owner


def refused_in_village(world: Jinhua, items: list[ItemDraft], owners: dict[UUID, Addressee]) -> str:
    village = world.at(FeedbackLevel.UNIT, world.villages[0])
    return refused_rule(feedback_to, world, village, items=items, owners=owners)


def test_a_problem_naming_an_owner_not_checked_for_the_round_is_refused() -> None:
    world = Jinhua()
    township = world.at(FeedbackLevel.TOWNSHIP_COMMITTEE, world.township)
    items = [linked_problem(township, "P1"), task()]
    assert refused_in_village(world, items, {}) == "FEEDBACK_PROBLEM_OWNER_UNRESOLVED"


def test_a_problem_naming_an_owner_at_another_level_than_checked_is_refused() -> None:
    world = Jinhua()
    township = world.at(FeedbackLevel.TOWNSHIP_COMMITTEE, world.township)
    items = [problem("P1", owner_level=FeedbackLevel.DEPARTMENT, owner_id=township.id), task()]
    owners = {township.id: township}
    assert refused_in_village(world, items, owners) == "FEEDBACK_PROBLEM_OWNER_UNRESOLVED"


def test_only_a_problem_names_the_owner_of_its_fix() -> None:
    world = Jinhua()
    township = world.at(FeedbackLevel.TOWNSHIP_COMMITTEE, world.township)
    items = [problem(), task(owner_level=FeedbackLevel.TOWNSHIP_COMMITTEE, owner_id=township.id)]
    owners = {township.id: township}
    assert refused_in_village(world, items, owners) == "FEEDBACK_OWNER_ON_PROBLEM_ONLY"


# --- common problems --------------------------------------------------------------------


def grouped(world: Jinhua, *units: Unit, round_id: UUID | None = None) -> list[GroupedProblem]:
    return [
        GroupedProblem(
            problem_id=uuid4(),
            feedback_id=uuid4(),
            round_id=round_id or world.round.id,
            unit_id=u.id,
            given_on=GIVEN_ON,
        )
        for u in units
    ]


def common(world: Jinhua, **changes: Any) -> CommonProblem:
    fields: dict[str, Any] = {
        "office_id": world.county.id,
        "key": "共性1",
        "category": "三资管理",
        "text": "村级集体资产台账普遍不全",
        "addressee": world.at(FeedbackLevel.DEPARTMENT, world.department),
        "given_on": date(2026, 4, 1),
        "problems": grouped(world, *world.villages),
        "tasks": [SystemicTaskDraft("S1", "制定村级资产台账规范", date(2026, 6, 30))],
        "round_id": world.round.id,
    }
    fields.update(changes)
    return CommonProblem.group(**fields)


def test_a_common_problem_of_two_villages_gives_the_department_its_own_tasks() -> None:
    world = Jinhua()
    item = common(world)
    (t,) = assign_systemic_tasks(item, item.tasks)

    assert (t.level, t.addressee_id) == (FeedbackLevel.DEPARTMENT, world.department.id)
    assert t.common_problem_id == item.id == t.feedback_id
    assert (t.due_on, t.unit_owner_id) == (date(2026, 6, 30), world.county.id)
    t.report_done(evidence="规范文件", done_on=date(2026, 5, 1))
    t.verify(verified_on=date(2026, 5, 2))


def test_a_common_problem_goes_to_the_county_committee_too() -> None:
    world = Jinhua()
    item = common(world, addressee=county_addressee(world.county, world.targets))
    assert item.level is FeedbackLevel.COUNTY_COMMITTEE


def test_problems_of_one_unit_are_not_a_common_problem() -> None:
    world = Jinhua()
    problems = grouped(world, world.villages[0], world.villages[0])
    assert refused_rule(common, world, problems=problems) == "COMMON_PROBLEM_NEEDS_UNITS"


def test_a_common_problem_groups_problems_of_one_round_only() -> None:
    world = Jinhua()
    problems = [
        *grouped(world, world.villages[0]),
        *grouped(world, world.villages[1], round_id=uuid4()),
    ]
    assert refused_rule(common, world, problems=problems) == "COMMON_PROBLEM_OUTSIDE_SCOPE"


def test_a_common_problem_of_a_term_groups_problems_fed_back_in_it() -> None:
    world = Jinhua()
    term = Term("第十三届", date(2026, 1, 1), date(2030, 12, 31))
    problems = [
        *grouped(world, world.villages[0]),
        *grouped(world, world.villages[1], round_id=uuid4()),
    ]
    item = common(world, round_id=None, term=term, problems=problems)
    assert (item.round_id, item.term) == (None, "第十三届")
    earlier = Term("第十二届", date(2021, 1, 1), date(2025, 12, 31))
    assert (
        refused_rule(common, world, round_id=None, term=earlier, problems=problems)
        == "COMMON_PROBLEM_OUTSIDE_SCOPE"
    )


@pytest.mark.parametrize("level", [FeedbackLevel.UNIT, FeedbackLevel.TOWNSHIP_COMMITTEE])
def test_a_common_problem_goes_to_a_department_or_county_committee_only(
    level: FeedbackLevel,
) -> None:
    world = Jinhua()
    addressee = world.at(
        level, world.villages[0] if level is FeedbackLevel.UNIT else world.township
    )
    assert refused_rule(common, world, addressee=addressee) == "COMMON_PROBLEM_LEVEL"


def test_a_common_problem_needs_a_task_due_within_a_year() -> None:
    world = Jinhua()
    assert refused_rule(common, world, tasks=[]) == "COMMON_PROBLEM_WITHOUT_TASK"
    late = [SystemicTaskDraft("S1", "制定规范", date(2027, 6, 30))]
    assert refused_rule(common, world, tasks=late) == "RECTIFICATION_DEADLINE_BEYOND_ONE_YEAR"


def test_a_common_problem_is_fed_back_after_the_feedback_it_groups() -> None:
    world = Jinhua()
    assert (
        refused_rule(common, world, given_on=date(2026, 3, 1)) == "COMMON_PROBLEM_BEFORE_FEEDBACK"
    )


def test_a_problem_grouped_twice_is_refused() -> None:
    world = Jinhua()
    (one,) = grouped(world, world.villages[0])
    with pytest.raises(ValidationFailed):
        common(world, problems=[one, one, *grouped(world, world.villages[1])])


# --- events are forever -------------------------------------------------------------------


def as_v1(event: Any, *new_keys: str) -> StoredEvent:
    stored = mapper().to_stored_event(event)
    state = json.loads(stored.state)
    for key in (*new_keys, "class_version"):
        state.pop(key, None)
    return StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state).encode(),
    )


def test_a_v1_feedback_and_task_read_as_the_inspected_units_own() -> None:
    world = Jinhua()
    feedback = feedback_to(world, world.at(FeedbackLevel.UNIT, world.villages[0]))
    (t,) = assign_tasks(feedback)
    (recorded,) = feedback.collect_events()
    (assigned,) = t.collect_events()

    loaded_feedback = mapper().to_domain_event(as_v1(recorded, "level"))
    loaded_task = mapper().to_domain_event(
        as_v1(assigned, "level", "addressee_id", "common_problem_id")
    )

    assert isinstance(loaded_feedback, Feedback.Recorded)
    assert isinstance(loaded_task, Task.Assigned)
    assert "level" not in vars(loaded_feedback)  # the stored form is read as it is
    replayed = loaded_feedback.mutate(None)
    assert isinstance(replayed, Feedback)
    assert replayed.level is FeedbackLevel.UNIT
    task_replayed = loaded_task.mutate(None)
    assert isinstance(task_replayed, Task)
    assert (task_replayed.level, task_replayed.addressee_id) == (
        FeedbackLevel.UNIT,
        world.villages[0].id,
    )
    assert task_replayed.common_problem_id is None
    new_keys = {"level", "addressee_id", "common_problem_id"}
    v1_attributes = {k: v for k, v in vars(assigned).items() if k not in new_keys}
    v1_record = canonical_record(get_topic(Task.Assigned), assigned.originator_id, 1, v1_attributes)
    assert event_hash(loaded_task) == hash_record(v1_record)  # hashed as stored, unchanged
