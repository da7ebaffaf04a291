"""`Task` — one rectification task (整改任务) of a feedback's task list: reported done with
evidence, then verified and closed (对账销号) by the inspection office, then optionally
revisited with satisfaction ballots. Each task has its own stream, so two units' teams
reporting different tasks never conflict."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.counts import MAX_BALLOTS, count_within
from domain.dates import not_before_previous
from domain.errors import RuleViolation
from domain.rectification.feedback import Feedback
from domain.rectification.values import BallotChannel, ItemKind, TaskStatus
from domain.text import required_text

EVIDENCE_MAX_LENGTH = 4000
IMMEDIATE_EVIDENCE = "立行立改: rectified during stationing"


class Task(AuditedAggregate):
    @staticmethod
    def create_id(task_id: UUID) -> UUID:
        return task_id

    @classmethod
    def assign(cls, feedback: Feedback, item: dict[str, Any]) -> Task:
        """The task of a TASK item of `feedback`. It is due on its responsibility line's
        deadline, or else when the rectification report is due. An IMMEDIATE task was fixed
        during stationing and starts as done; the office still verifies it."""
        if item["kind"] != ItemKind.TASK.value:
            raise RuleViolation(
                "TASK_FROM_TASK_ITEM", f"Item {item['key']} is a {item['kind']}, not a TASK"
            )
        responsibility = feedback.responsibility_for(item["item_id"])
        return cls(
            task_id=item["item_id"],
            tenant_id=feedback.tenant_id,
            feedback_id=feedback.id,
            round_id=feedback.round_id,
            unit_id=feedback.unit_id,
            unit_owner_id=feedback.unit_owner_id,
            problem_id=item["refers_to"],
            category=item["category"],
            measure=item["text"],
            assigned_on=feedback.given_on,
            due_on=responsibility["deadline"] if responsibility else feedback.report_due_on,
            immediate=item["immediate"],
            evidence=(item["evidence"] or IMMEDIATE_EVIDENCE) if item["immediate"] else None,
        )

    class Assigned(AuditedAggregate.Created):
        class_version = 1
        document_date = "assigned_on"
        task_id: UUID  # the TASK item's id, which is also this stream's id
        feedback_id: UUID
        round_id: UUID
        unit_id: UUID
        unit_owner_id: UUID
        problem_id: UUID
        category: str
        measure: str
        assigned_on: date
        due_on: date
        immediate: bool
        evidence: str | None

    @event(Assigned)
    def __init__(
        self,
        task_id: UUID,
        tenant_id: UUID,
        feedback_id: UUID,
        round_id: UUID,
        unit_id: UUID,
        unit_owner_id: UUID,
        problem_id: UUID,
        category: str,
        measure: str,
        assigned_on: date,
        due_on: date,
        immediate: bool,
        evidence: str | None,
    ) -> None:
        self.tenant_id = tenant_id
        self.feedback_id = feedback_id
        self.round_id = round_id
        self.unit_id = unit_id
        self.unit_owner_id = unit_owner_id
        self.problem_id = problem_id
        self.category = category
        self.measure = measure
        self.assigned_on = assigned_on
        self.due_on = due_on
        self.immediate = immediate
        self.evidence = evidence
        self.status = TaskStatus.DONE if immediate else TaskStatus.OPEN
        self.done_on: date | None = assigned_on if immediate else None
        self.verified_on: date | None = None
        self.ballots: dict[str, int] = {"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}

    def report_done(self, *, evidence: str, done_on: date) -> None:
        """The unit reports the task done, with evidence (整改佐证材料)."""
        if self.status is not TaskStatus.OPEN:
            raise RuleViolation(
                "TASK_ALREADY_DONE",
                f"Task {self.id} was already reported done on {self.done_on}",
            )
        if done_on < self.assigned_on:
            raise RuleViolation(
                "TASK_DONE_BEFORE_FEEDBACK",
                f"Task {self.id} cannot be done on {done_on}, before the feedback of "
                f"{self.assigned_on}",
                field="doneOn",
            )
        self._reported_done(
            evidence=required_text(evidence, "evidence", max_length=EVIDENCE_MAX_LENGTH),
            done_on=done_on,
        )

    class ReportedDone(AuditedAggregate.Event):
        class_version = 1
        document_date = "done_on"
        evidence: str
        done_on: date

    @event(ReportedDone)
    def _reported_done(self, evidence: str, done_on: date) -> None:
        self.evidence = evidence
        self.done_on = done_on
        self.status = TaskStatus.DONE

    def verify(self, *, verified_on: date) -> None:
        """The inspection office checks the evidence and closes the task (对账销号)."""
        if self.status is TaskStatus.OPEN:
            raise RuleViolation(
                "TASK_VERIFIED_BEFORE_DONE",
                f"Task {self.id} has not been reported done; it cannot be verified yet",
            )
        if self.status is TaskStatus.VERIFIED:
            raise RuleViolation(
                "TASK_ALREADY_VERIFIED",
                f"Task {self.id} was already verified on {self.verified_on}",
            )
        done_on = self.done_on or self.assigned_on
        if verified_on < done_on:
            raise RuleViolation(
                "TASK_VERIFICATION_DATED_BEFORE_DONE",
                f"Task {self.id} was done on {done_on}; it cannot be verified on {verified_on}",
                field="verifiedOn",
            )
        self._verified(verified_on=verified_on)

    class Verified(AuditedAggregate.Event):
        class_version = 1
        document_date = "verified_on"
        verified_on: date

    @event(Verified)
    def _verified(self, verified_on: date) -> None:
        self.verified_on = verified_on
        self.status = TaskStatus.VERIFIED

    def record_ballots(
        self,
        *,
        satisfied: int,
        basically_satisfied: int,
        dissatisfied: int,
        channel: BallotChannel,
        held_on: date,
    ) -> None:
        """A revisit (回访) of a verified task: the masses' ballots, 满意/基本满意/不满意."""
        if self.status is not TaskStatus.VERIFIED or self.verified_on is None:
            raise RuleViolation(
                "BALLOTS_ON_UNVERIFIED_TASK",
                f"Task {self.id} is {self.status}; ballots are taken once it is verified",
            )
        counts = {
            "satisfied": satisfied,
            "basically_satisfied": basically_satisfied,
            "dissatisfied": dissatisfied,
        }
        negative = [name for name, count in counts.items() if count < 0]
        if negative:
            raise RuleViolation(
                "BALLOT_COUNT_NEGATIVE",
                f"Ballot counts must not be negative: {', '.join(negative)}",
            )
        for name, count in counts.items():
            count_within(count, name, MAX_BALLOTS)
        if sum(counts.values()) == 0:
            raise RuleViolation("BALLOTS_EMPTY", "A revisit records at least one ballot")
        if held_on < self.verified_on:
            raise RuleViolation(
                "BALLOTS_BEFORE_VERIFICATION",
                f"Task {self.id} was verified on {self.verified_on}; a revisit on {held_on} "
                "comes before it",
                field="heldOn",
            )
        not_before_previous(held_on, self.last_occurred_on, f"task {self.id}", field="heldOn")
        self._ballots_recorded(channel=BallotChannel(channel).value, held_on=held_on, **counts)

    class BallotsRecorded(AuditedAggregate.Event):
        class_version = 1
        document_date = "held_on"
        channel: str
        held_on: date
        satisfied: int
        basically_satisfied: int
        dissatisfied: int

    @event(BallotsRecorded)
    def _ballots_recorded(
        self,
        channel: str,
        held_on: date,
        satisfied: int,
        basically_satisfied: int,
        dissatisfied: int,
    ) -> None:
        self.ballots = {
            "satisfied": self.ballots["satisfied"] + satisfied,
            "basically_satisfied": self.ballots["basically_satisfied"] + basically_satisfied,
            "dissatisfied": self.ballots["dissatisfied"] + dissatisfied,
        }


def assign_tasks(feedback: Feedback) -> list[Task]:
    """Every TASK item of a new feedback becomes a task with its own stream."""
    return [Task.assign(feedback, item) for item in feedback.items_of(ItemKind.TASK)]
