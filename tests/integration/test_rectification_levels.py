"""The rectification view of four-level feedback and common problems on a real PostgreSQL:
rates per level owning the tasks, systemic items apart; a common problem of a term; who sees
a common problem (the office that grouped it and its addressee's office, not a sibling); and
feedback stored before there were levels, still loaded, projected and chained."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.audit.hashing import canonical_record, hash_record
from domain.configuration.values import Term
from domain.errors import NotFound, RuleViolation
from domain.rectification.feedback import Feedback, item_id_for
from domain.rectification.task import Task, assign_tasks
from domain.rectification.values import (
    FeedbackLevel,
    ItemDraft,
    ItemKind,
    ProblemRef,
    SystemicTaskDraft,
)
from domain.rounds.round import Round
from domain.rounds.values import Linkage, Period, RoundKind
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from projections import rectification_levels
from projections.rectification import Rectification
from services.audit import AuditTrail
from services.authorization import CONSOLE, Acting
from services.reads import ReadSession
from services.runtime import Runtime

TODAY = date(2026, 11, 20)


class World:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        tenants = runtime.tenants
        self.city = tenants.register_tenant(
            code="3307", name="金华市", level=TenantLevel.CITY, parent_id=None, acting=CONSOLE
        ).id
        self.county, self.sibling = (
            tenants.register_tenant(
                code=code, name=name, level=TenantLevel.COUNTY, parent_id=self.city, acting=CONSOLE
            ).id
            for code, name in (("330702", "婺城区"), ("330703", "金东区"))
        )
        self.township = self.unit("T1", UnitType.TOWNSHIP)
        self.villages = [self.unit(f"V{n}", UnitType.VILLAGE, self.township) for n in (1, 2, 3)]
        self.department = self.unit("D1", UnitType.DEPARTMENT)
        self.rounds = [self.round(self.villages[:2]), self.round(self.villages[2:])]
        self.position = 0

    def unit(self, code: str, kind: UnitType, parent: UUID | None = None) -> UUID:
        return self.runtime.tenants.register_unit(
            tenant_id=self.county,
            code=code,
            name=code,
            unit_type=kind,
            parent_id=parent,
            acting=CONSOLE,
        ).id

    def round(self, villages: list[UUID]) -> UUID:
        return self.runtime.rounds.plan_round(
            tenant_id=self.county,
            kind=RoundKind.REGULAR,
            linkage=Linkage.STANDALONE,
            title="村级巡察",
            period=Period(date(2026, 3, 1), date(2026, 4, 30)),
            target_unit_ids=villages,
            acting=CONSOLE,
        ).id

    def feed_back(
        self, round_id: UUID, unit_id: UUID, level: FeedbackLevel, deadline: date, **owner: Any
    ) -> UUID:
        written = self.runtime.rectification.record_feedback(
            acting=CONSOLE,
            round_id=round_id,
            unit_id=unit_id,
            level=level,
            report="巡察反馈意见",
            given_on=date(2026, 5, 10),
            items=[
                ItemDraft(ItemKind.PROBLEM, "P1", "资产台账不全", category="三资管理", **owner),
                ItemDraft(ItemKind.TASK, "T1", "补登台账", refers_to="P1"),
                ItemDraft(
                    ItemKind.RESPONSIBILITY,
                    "R1",
                    "书记负责",
                    refers_to="T1",
                    responsible_leader="张某",
                    responsible_department="镇农经站",
                    deadline=deadline,
                ),
            ],
        )
        self.position = written.position
        return written.id

    def close(self, task_id: UUID, on: date) -> None:
        rectification = self.runtime.rectification
        rectification.report_task_done(acting=CONSOLE, task_id=task_id, evidence="凭证", done_on=on)
        self.position = rectification.verify_task(
            acting=CONSOLE, task_id=task_id, verified_on=on
        ).position

    def read(self, reader: UUID, **scope: Any) -> Any:
        """The figures per level and the common problems, as an office `reader` reads them."""
        self.runtime.wait_for_projections(self.position, [Rectification.name])
        acting = Acting(role="COUNTY_TEAM", tenant_id=reader)
        session = ReadSession(self.runtime.reads, acting, 5000)
        scope.setdefault("round_id", None)
        scope.setdefault("tenant_id", None)
        with session.reading() as conn:
            levels = rectification_levels.by_level(conn, today=TODAY, **scope)
            common = rectification_levels.common_problems(conn, today=TODAY, **scope)
        return {(f.level, f.systemic): f for f in levels}, common


@pytest.fixture
def world(runtime: Runtime) -> World:
    return World(runtime)


def test_rates_are_per_level_owning_the_tasks(world: World) -> None:
    r1 = world.rounds[0]
    v1 = world.feed_back(
        r1,
        world.villages[0],
        FeedbackLevel.UNIT,
        date(2026, 6, 30),
        owner_level=FeedbackLevel.TOWNSHIP_COMMITTEE,
        owner_id=world.township,
    )
    world.feed_back(r1, world.villages[1], FeedbackLevel.UNIT, date(2026, 12, 31))
    dept = world.feed_back(r1, world.department, FeedbackLevel.DEPARTMENT, date(2026, 8, 31))
    world.close(item_id_for(v1, "T1"), date(2026, 6, 1))
    world.close(item_id_for(dept, "T1"), date(2026, 9, 10))

    figures, _ = world.read(world.county, round_id=r1)

    township = figures[("TOWNSHIP_COMMITTEE", False)]
    assert (township.tasks, township.tasks_due, township.tasks_verified) == (1, 1, 1)
    unit = figures[("UNIT", False)]  # V2's task, due only at the end of the year
    assert (unit.tasks, unit.tasks_due, unit.rectification_rate) == (1, 0, None)
    department = figures[("DEPARTMENT", False)]
    assert (department.tasks_verified, department.overdue, department.rectification_rate) == (
        1,
        0,
        1.0,
    )


def test_a_common_problem_of_a_term_is_seen_by_its_office_and_its_addressee_only(
    world: World,
) -> None:
    feedbacks = [
        world.feed_back(world.rounds[0], world.villages[0], FeedbackLevel.UNIT, date(2026, 6, 30)),
        world.feed_back(world.rounds[1], world.villages[2], FeedbackLevel.UNIT, date(2026, 6, 30)),
    ]
    world.runtime.configuration.declare_term(
        acting=Acting.console(),
        tenant_id=world.city,
        term=Term("第八届", date(2026, 1, 1), date(2030, 12, 31)),
    )
    city_office = Acting(role="CITY_OFFICE", tenant_id=world.city)
    written = world.runtime.rectification.group_common_problem(
        acting=city_office,
        key="共性-01",
        category="三资管理",
        text="村级集体资产台账普遍不全",
        level=FeedbackLevel.COUNTY_COMMITTEE,
        addressee_id=world.county,
        problems=[ProblemRef(f, item_id_for(f, "P1")) for f in feedbacks],
        tasks=[SystemicTaskDraft("S1", "部署台账专项整治", date(2026, 10, 31))],
        given_on=date(2026, 6, 1),
    )
    world.position = written.position

    figures, (common,) = world.read(world.city, tenant_id=world.city)
    assert (common.term, common.round_id, common.level) == ("第八届", None, "COUNTY_COMMITTEE")
    assert {p.round_id for p in common.problems} == set(world.rounds)
    (task,) = common.tasks
    assert (task.status, task.overdue) == ("OPEN", True)
    systemic = figures[("COUNTY_COMMITTEE", True)]
    assert (systemic.tasks, systemic.tasks_due, systemic.rectification_rate) == (1, 1, 0.0)
    # the county committee's office sees it (by round too), a sibling county does not
    _, by_round = world.read(world.county, round_id=world.rounds[1])
    assert [c.key for c in by_round] == ["共性-01"]
    sibling_figures, seen_by_sibling = world.read(world.sibling, tenant_id=world.city)
    assert seen_by_sibling == []
    assert ("COUNTY_COMMITTEE", True) not in sibling_figures


def test_a_county_cannot_address_a_sibling_countys_department(world: World) -> None:
    feedbacks = [
        world.feed_back(world.rounds[0], v, FeedbackLevel.UNIT, date(2026, 6, 30))
        for v in world.villages[:2]
    ]
    elsewhere = world.runtime.tenants.register_unit(
        tenant_id=world.sibling,
        code="D9",
        name="金东区农业农村局",
        unit_type=UnitType.DEPARTMENT,
        parent_id=None,
        acting=CONSOLE,
    ).id
    before = world.runtime.store.max_position()

    def group(level: FeedbackLevel, addressee_id: UUID) -> None:
        world.runtime.rectification.group_common_problem(
            acting=Acting(role="COUNTY_TEAM", tenant_id=world.county),
            key="共性-02",
            category="三资管理",
            text="台账不全",
            level=level,
            addressee_id=addressee_id,
            round_id=world.rounds[0],
            problems=[ProblemRef(f, item_id_for(f, "P1")) for f in feedbacks],
            tasks=[SystemicTaskDraft("S1", "整治", date(2026, 10, 31))],
            given_on=date(2026, 6, 1),
        )

    with pytest.raises(NotFound):
        group(FeedbackLevel.DEPARTMENT, elsewhere)
    with pytest.raises(RuleViolation) as refused:  # a township is not a systemic addressee
        group(FeedbackLevel.TOWNSHIP_COMMITTEE, world.township)
    assert refused.value.rule == "COMMON_PROBLEM_LEVEL"
    assert world.runtime.store.max_position() == before


def store_as_v1(runtime: Runtime, event: Any, *new_keys: str) -> dict[str, Any]:
    """`event` written into the event table exactly as version 1 stored it."""
    stored = runtime.store.mapper.to_stored_event(event)
    state = runtime.store.mapper.transcoder.decode(stored.state)
    for key in (*new_keys, "class_version"):
        state.pop(key, None)
    encoded = runtime.store.mapper.transcoder.encode(state)
    runtime.store.recorder.insert_events(
        [
            StoredEvent(
                originator_id=stored.originator_id,
                originator_version=stored.originator_version,
                topic=stored.topic,
                state=encoded,
            )
        ]
    )
    return dict(state)


def test_feedback_and_tasks_stored_before_levels_load_project_and_chain_on(world: World) -> None:
    runtime = world.runtime
    feedback = Feedback.record(
        round=runtime.store.load(Round, world.rounds[0], what="round"),
        unit=runtime.tenants.unit(world.villages[0]),
        given_on=date(2026, 5, 10),
        report="巡察反馈意见",
        items=[
            ItemDraft(ItemKind.PROBLEM, "P1", "资产台账不全", category="三资管理"),
            ItemDraft(ItemKind.TASK, "T1", "补登台账", refers_to="P1"),
        ],
    )
    (task,) = assign_tasks(feedback)
    (recorded,) = feedback.collect_events()
    (assigned,) = task.collect_events()
    store_as_v1(runtime, recorded, "level")
    v1_state = store_as_v1(runtime, assigned, "level", "addressee_id", "common_problem_id")

    world.close(task.id, date(2026, 6, 1))

    figures, _ = world.read(world.county, round_id=world.rounds[0])
    unit = figures[("UNIT", False)]
    assert (unit.tasks, unit.tasks_verified, unit.rectification_rate) == (1, 1, 1.0)
    second = runtime.store.recorder.select_events(task.id)[1]
    stored_hash = hash_record(canonical_record(get_topic(Task.Assigned), task.id, 1, v1_state))
    assert runtime.store.mapper.transcoder.decode(second.state)["prev_hash"] == stored_hash
    assert AuditTrail(runtime.store, runtime.reads, runtime.settings).verify().findings == []
