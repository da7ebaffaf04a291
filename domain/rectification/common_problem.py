"""`CommonProblem` (面上共性问题) — problems found across several units of one round, or of one
committee term, that an office groups into a category and feeds back, as one systemic item, to
the line department or the county committee responsible (Jinhua: 42 categories to city
departments, 14 to county committees). Its tasks are ordinary `Task`s, reported done and
verified like any other, counted apart from the units' own."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.configuration.values import Term
from domain.errors import RuleViolation, ValidationFailed
from domain.rectification.feedback import ITEM_TEXT_MAX_LENGTH, checked_deadline
from domain.rectification.values import (
    MAX_RECTIFICATION_MONTHS,
    SYSTEMIC_LEVELS,
    Addressee,
    FeedbackLevel,
    GroupedProblem,
    SystemicTaskDraft,
    add_months,
)
from domain.text import required_text

MIN_UNITS = 2  # a problem of one unit is that unit's, not a common one
MAX_PROBLEMS = 1000
MAX_TASKS = 50


def common_problem_id_for(tenant_id: UUID, key: str) -> UUID:
    """One common problem per office and key (the office's own reference)."""
    return uuid5(tenant_id, f"common-problem:{key.strip()}")


def systemic_task_id_for(common_problem_id: UUID, key: str) -> UUID:
    return uuid5(common_problem_id, f"task:{key}")


class CommonProblem(AuditedAggregate):
    @staticmethod
    def create_id(tenant_id: UUID, key: str) -> UUID:
        return common_problem_id_for(tenant_id, key)

    @classmethod
    def group(
        cls,
        *,
        office_id: UUID,
        key: str,
        category: str,
        text: str,
        addressee: Addressee,
        given_on: date,
        problems: list[GroupedProblem],
        tasks: list[SystemicTaskDraft],
        round_id: UUID | None = None,
        term: Term | None = None,
    ) -> CommonProblem:
        """Group `problems` of one round (`round_id`) or of one `term` and feed them back on
        `given_on` to `addressee`, a department or a county committee, with `tasks`."""
        key = required_text(key, "key", max_length=64)
        check_systemic_level(addressee.level)
        _check_grouping(problems, round_id, term, given_on)
        common_id = common_problem_id_for(office_id, key)
        return cls(
            tenant_id=office_id,
            key=key,
            category=required_text(category, "category", max_length=100),
            text=required_text(text, "text", max_length=ITEM_TEXT_MAX_LENGTH),
            level=addressee.level.value,
            addressee_id=addressee.id,
            addressee_owner_id=addressee.owner_id,
            round_id=round_id,
            term=None if term is None else term.name,
            given_on=given_on,
            problems=[
                {
                    "problem_id": p.problem_id,
                    "feedback_id": p.feedback_id,
                    "round_id": p.round_id,
                    "unit_id": p.unit_id,
                }
                for p in problems
            ],
            tasks=_checked_tasks(common_id, given_on, tasks),
        )

    class Grouped(AuditedAggregate.Created):
        class_version = 1
        key: str
        category: str
        text: str
        level: str
        addressee_id: UUID
        addressee_owner_id: UUID
        round_id: UUID | None
        term: str | None
        given_on: date
        problems: list[dict[str, Any]]
        tasks: list[dict[str, Any]]

    @event(Grouped)
    def __init__(
        self,
        tenant_id: UUID,
        key: str,
        category: str,
        text: str,
        level: str,
        addressee_id: UUID,
        addressee_owner_id: UUID,
        round_id: UUID | None,
        term: str | None,
        given_on: date,
        problems: list[dict[str, Any]],
        tasks: list[dict[str, Any]],
    ) -> None:
        self.tenant_id = tenant_id
        self.key = key
        self.category = category
        self.text = text
        self.level = FeedbackLevel(level)
        self.addressee_id = addressee_id
        self.addressee_owner_id = addressee_owner_id
        self.round_id = round_id
        self.term = term
        self.given_on = given_on
        self.problems = problems
        self.tasks = tasks


def check_systemic_level(level: FeedbackLevel) -> None:
    if level not in SYSTEMIC_LEVELS:
        raise RuleViolation(
            "COMMON_PROBLEM_LEVEL",
            "A common problem is fed back to a line department or a county committee, "
            f"not to {level.named}",
        )


def _check_grouping(
    problems: list[GroupedProblem], round_id: UUID | None, term: Term | None, given_on: date
) -> None:
    if (round_id is None) == (term is None):
        raise ValidationFailed("Group the problems of one round or of one term", field="roundId")
    if len(problems) > MAX_PROBLEMS:
        raise ValidationFailed(f"At most {MAX_PROBLEMS} problems", field="problems")
    if len({p.problem_id for p in problems}) != len(problems):
        raise ValidationFailed("A problem is grouped twice", field="problems")
    if len({p.unit_id for p in problems}) < MIN_UNITS:
        raise RuleViolation(
            "COMMON_PROBLEM_NEEDS_UNITS",
            f"A common problem groups problems found in at least {MIN_UNITS} units",
        )
    outside = [
        p
        for p in problems
        if (round_id is not None and p.round_id != round_id)
        or (term is not None and not term.covers(p.given_on))
    ]
    if outside:
        where = f"round {round_id}" if round_id is not None else f"term {term.name if term else ''}"
        raise RuleViolation(
            "COMMON_PROBLEM_OUTSIDE_SCOPE",
            f"Problem {outside[0].problem_id} was not found in {where}",
        )
    latest = max(p.given_on for p in problems)
    if given_on < latest:
        raise RuleViolation(
            "COMMON_PROBLEM_BEFORE_FEEDBACK",
            f"A common problem is fed back after the feedback it groups (the last on {latest})",
        )


def _checked_tasks(
    common_id: UUID, given_on: date, drafts: list[SystemicTaskDraft]
) -> list[dict[str, Any]]:
    if not drafts:
        raise RuleViolation(
            "COMMON_PROBLEM_WITHOUT_TASK", "A common problem needs a rectification task"
        )
    if len(drafts) > MAX_TASKS:
        raise ValidationFailed(f"At most {MAX_TASKS} tasks", field="tasks")
    latest = add_months(given_on, MAX_RECTIFICATION_MONTHS)
    tasks: list[dict[str, Any]] = []
    for draft in drafts:
        key = required_text(draft.key, "tasks.key", max_length=64)
        if any(t["key"] == key for t in tasks):
            raise ValidationFailed(f"Task key {key} is used twice", field="tasks.key")
        tasks.append(
            {
                "task_id": systemic_task_id_for(common_id, key),
                "key": key,
                "measure": required_text(
                    draft.measure, "tasks.measure", max_length=ITEM_TEXT_MAX_LENGTH
                ),
                "deadline": checked_deadline(
                    key, draft.deadline, given_on, latest, what="Task", field="tasks.deadline"
                ),
            }
        )
    return tasks
