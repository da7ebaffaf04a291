"""Rules of feedback and rectification (反馈与整改): the three lists, the task lifecycle
(done → verified → ballots) and the rectification report's due date."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.counts import MAX_BALLOTS
from domain.errors import RuleViolation, ValidationFailed
from domain.rectification.feedback import Feedback
from domain.rectification.task import Task, assign_tasks
from domain.rectification.values import (
    BallotChannel,
    Disclosure,
    ItemDraft,
    ItemKind,
    TaskStatus,
    add_months,
)
from domain.rounds.linkage import Scope
from domain.rounds.round import Round
from domain.rounds.values import Linkage, Period, RoundKind, Target
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from tests.unit.domain.factories import city, county, village

GIVEN_ON = date(2026, 3, 10)


def problem(key: str = "P1", **changes: Any) -> ItemDraft:
    fields: dict[str, Any] = {"category": "三资管理", "text": "村集体土地流转收入未入账"}
    fields.update(changes)
    return ItemDraft(kind=ItemKind.PROBLEM, key=key, **fields)


def task(key: str = "T1", refers_to: str = "P1", **changes: Any) -> ItemDraft:
    fields: dict[str, Any] = {"text": "追缴收入并入账"}
    fields.update(changes)
    return ItemDraft(kind=ItemKind.TASK, key=key, refers_to=refers_to, **fields)


def responsibility(key: str = "R1", refers_to: str = "T1", **changes: Any) -> ItemDraft:
    fields: dict[str, Any] = {
        "text": "村党支部书记牵头",
        "responsible_leader": "张某",
        "responsible_department": "镇农经站",
        "deadline": date(2026, 4, 30),
    }
    fields.update(changes)
    return ItemDraft(kind=ItemKind.RESPONSIBILITY, key=key, refers_to=refers_to, **fields)


def standalone_round(organiser: Tenant, *units: Unit) -> Round:
    return Round.plan(
        scope=Scope(
            organiser=organiser,
            linkage=Linkage.STANDALONE,
            period=Period(date(2026, 3, 1), date(2026, 5, 31)),
            targets=[Target(unit_id=u.id, owner_id=u.tenant_id) for u in units],
        ),
        kind=RoundKind.REGULAR,
        title="2026年第一轮巡察",
        counties_of_city=set(),
    )


def record(items: list[ItemDraft] | None = None, **changes: Any) -> Feedback:
    lixia = county(city())
    unit = village(lixia)
    fields: dict[str, Any] = {
        "round": standalone_round(lixia, unit),
        "unit": unit,
        "given_on": GIVEN_ON,
        "report": "巡察反馈意见",
        "items": [problem(), task(), responsibility()] if items is None else items,
    }
    fields.update(changes)
    return Feedback.record(**fields)


def one_task(**task_changes: Any) -> Task:
    (only,) = assign_tasks(record([problem(), task(**task_changes)]))
    return only


def verified_task() -> Task:
    t = one_task()
    t.report_done(evidence="入账凭证", done_on=date(2026, 4, 1))
    t.verify(verified_on=date(2026, 4, 5))
    return t


def refused_rule(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(RuleViolation) as refused:
        call(*args, **kwargs)
    return refused.value.rule


# --- feedback and its lists -------------------------------------------------------------


def test_feedback_links_problem_task_and_responsibility() -> None:
    feedback = record()
    p, t, r = feedback.items
    assert t["refers_to"] == p["item_id"]
    assert r["refers_to"] == t["item_id"]
    assert t["category"] == r["category"] == "三资管理"  # inherited from the problem
    assert r["responsible_leader"] == "张某"
    assert r["deadline"] == date(2026, 4, 30)


def test_the_report_is_due_two_months_after_feedback_by_default() -> None:
    assert record().report_due_on == date(2026, 5, 10)


def test_a_tenant_may_configure_another_report_delay() -> None:
    assert record(report_due_months=3).report_due_on == date(2026, 6, 10)


@pytest.mark.parametrize("months", [0, 13])
def test_a_report_delay_outside_one_to_twelve_months_is_refused(months: int) -> None:
    with pytest.raises(ValidationFailed):
        record(report_due_months=months)


def test_adding_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)


def test_a_task_is_due_on_its_responsibility_deadline() -> None:
    (t,) = assign_tasks(record())
    assert t.due_on == date(2026, 4, 30)
    assert t.status is TaskStatus.OPEN


def test_a_task_without_a_responsibility_line_is_due_with_the_report() -> None:
    assert one_task().due_on == date(2026, 5, 10)


def test_an_immediate_task_starts_done_but_is_not_yet_verified() -> None:
    t = one_task(immediate=True, evidence="当场退还")
    assert t.status is TaskStatus.DONE
    assert t.done_on == GIVEN_ON
    assert t.evidence == "当场退还"


def test_restrictions_on_disclosure_pass_from_a_problem_to_its_lines() -> None:
    feedback = record(
        [problem(disclosure=(Disclosure.UNDER_INVESTIGATION,)), task(), responsibility()]
    )
    assert [i["restrictions"] for i in feedback.items] == [["UNDER_INVESTIGATION"]] * 3


def test_feedback_goes_only_to_a_target_of_the_round() -> None:
    lixia = county(city())
    inspected, other = village(lixia), village(lixia, "V002")
    rule = refused_rule(record, round=standalone_round(lixia, inspected), unit=other)
    assert rule == "FEEDBACK_UNIT_NOT_A_TARGET"


def test_feedback_cannot_predate_the_round() -> None:
    assert refused_rule(record, given_on=date(2026, 2, 28)) == "FEEDBACK_BEFORE_ROUND"


def test_feedback_is_given_in_the_name_of_the_rounds_organiser() -> None:
    lixia = county(city())
    unit = village(lixia)
    round_ = standalone_round(lixia, unit)
    feedback = record(round=round_, unit=unit)
    assert (feedback.tenant_id, feedback.round_id) == (lixia.id, round_.id)


@pytest.mark.parametrize(
    ("items", "rule"),
    [
        ([problem(), task(refers_to="P9")], "FEEDBACK_TASK_NEEDS_PROBLEM"),
        ([problem(), task(), responsibility(refers_to="P1")], "FEEDBACK_RESPONSIBILITY_NEEDS_TASK"),
        ([problem(refers_to="P0"), task()], "FEEDBACK_PROBLEM_REFERS_TO_ITEM"),
        (
            [problem(), task(), responsibility(), responsibility("R2")],
            "FEEDBACK_ONE_RESPONSIBILITY_PER_TASK",
        ),
        ([problem(), problem("P2"), task()], "FEEDBACK_PROBLEM_WITHOUT_TASK"),
        (
            [problem(), task(), responsibility(deadline=date(2026, 3, 9))],
            "RECTIFICATION_DEADLINE_BEFORE_FEEDBACK",
        ),
        (
            [problem(), task(), responsibility(deadline=date(2027, 3, 11))],
            "RECTIFICATION_DEADLINE_BEYOND_ONE_YEAR",
        ),
    ],
)
def test_ill_formed_lists_are_refused_naming_the_rule(items: list[ItemDraft], rule: str) -> None:
    assert refused_rule(record, items) == rule


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([problem(), problem()], "items.key"),
        ([problem(category=None), task()], "items.category"),
        ([problem(text=" "), task()], "items.text"),
        ([problem(), task(), responsibility(deadline=None)], "items.deadline"),
        ([problem(), task(), responsibility(responsible_leader="")], "items.responsibleLeader"),
    ],
)
def test_incomplete_items_are_refused_naming_the_field(items: list[ItemDraft], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        record(items)
    assert refused.value.details["field"] == field


def test_an_empty_report_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        record(report="  ")


# --- the task lifecycle -----------------------------------------------------------------


def test_a_task_is_reported_done_then_verified() -> None:
    t = verified_task()
    assert t.status is TaskStatus.VERIFIED
    assert (t.done_on, t.verified_on, t.evidence) == (
        date(2026, 4, 1),
        date(2026, 4, 5),
        "入账凭证",
    )
    assert [type(e).__name__ for e in t.collect_events()] == [
        "Assigned",
        "ReportedDone",
        "Verified",
    ]


def test_a_task_cannot_be_verified_before_it_is_reported_done() -> None:
    assert (
        refused_rule(one_task().verify, verified_on=date(2026, 4, 5)) == "TASK_VERIFIED_BEFORE_DONE"
    )


def test_a_task_cannot_be_reported_done_twice() -> None:
    t = one_task()
    t.report_done(evidence="凭证", done_on=date(2026, 4, 1))
    assert (
        refused_rule(t.report_done, evidence="再报", done_on=date(2026, 4, 2))
        == "TASK_ALREADY_DONE"
    )


def test_an_immediate_task_cannot_be_reported_done_again() -> None:
    t = one_task(immediate=True)
    assert refused_rule(t.report_done, evidence="x", done_on=GIVEN_ON) == "TASK_ALREADY_DONE"


def test_a_task_cannot_be_verified_twice() -> None:
    assert refused_rule(verified_task().verify, verified_on=date(2026, 5, 1)) == (
        "TASK_ALREADY_VERIFIED"
    )


def test_a_task_cannot_be_done_before_the_feedback() -> None:
    rule = refused_rule(one_task().report_done, evidence="x", done_on=date(2026, 3, 9))
    assert rule == "TASK_DONE_BEFORE_FEEDBACK"


def test_a_verification_cannot_predate_the_work() -> None:
    t = one_task()
    t.report_done(evidence="凭证", done_on=date(2026, 4, 1))
    assert refused_rule(t.verify, verified_on=date(2026, 3, 31)) == (
        "TASK_VERIFICATION_DATED_BEFORE_DONE"
    )


def test_reporting_done_needs_evidence() -> None:
    with pytest.raises(ValidationFailed):
        one_task().report_done(evidence=" ", done_on=date(2026, 4, 1))


# --- satisfaction ballots ---------------------------------------------------------------


def ballots(t: Task, **changes: Any) -> None:
    fields: dict[str, Any] = {
        "satisfied": 8,
        "basically_satisfied": 1,
        "dissatisfied": 1,
        "channel": BallotChannel.PAPER,
        "held_on": date(2026, 6, 1),
    }
    fields.update(changes)
    t.record_ballots(**fields)


def test_ballots_of_several_revisits_add_up() -> None:
    t = verified_task()
    ballots(t)
    ballots(t, satisfied=2, basically_satisfied=0, dissatisfied=0, channel=BallotChannel.ONLINE)
    assert t.ballots == {"satisfied": 10, "basically_satisfied": 1, "dissatisfied": 1}


@pytest.mark.parametrize("status", ["open", "done"])
def test_ballots_on_a_task_not_verified_are_refused(status: str) -> None:
    t = one_task()
    if status == "done":
        t.report_done(evidence="凭证", done_on=date(2026, 4, 1))
    assert refused_rule(ballots, t) == "BALLOTS_ON_UNVERIFIED_TASK"


@pytest.mark.parametrize("name", ["satisfied", "basically_satisfied", "dissatisfied"])
def test_negative_ballot_counts_are_refused(name: str) -> None:
    assert refused_rule(ballots, verified_task(), **{name: -1}) == "BALLOT_COUNT_NEGATIVE"


def test_a_revisit_without_ballots_is_refused() -> None:
    rule = refused_rule(
        ballots, verified_task(), satisfied=0, basically_satisfied=0, dissatisfied=0
    )
    assert rule == "BALLOTS_EMPTY"


def test_a_revisit_cannot_predate_the_verification() -> None:
    assert refused_rule(ballots, verified_task(), held_on=date(2026, 4, 4)) == (
        "BALLOTS_BEFORE_VERIFICATION"
    )


def test_a_refused_command_records_no_event() -> None:
    t = verified_task()
    t.collect_events()
    with pytest.raises(RuleViolation):
        ballots(t, dissatisfied=-3)
    assert t.collect_events() == []
    assert t.ballots == {"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}


def test_each_task_item_gets_its_own_stream_named_by_the_item() -> None:
    feedback = record([problem(), task(), task("T2"), responsibility()])
    tasks = assign_tasks(feedback)
    assert [t.id for t in tasks] == [i["item_id"] for i in feedback.items_of(ItemKind.TASK)]
    assert {t.tenant_id for t in tasks} == {feedback.tenant_id}
    assert len({t.id for t in tasks} | {uuid4()}) == 3


@pytest.mark.parametrize("name", ["satisfied", "basically_satisfied", "dissatisfied"])
def test_ballot_counts_beyond_any_revisit_are_refused(name: str) -> None:
    t = verified_task()
    with pytest.raises(ValidationFailed) as refused:
        ballots(t, **{name: MAX_BALLOTS + 1})
    assert refused.value.details["field"] == name
