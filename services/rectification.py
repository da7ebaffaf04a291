"""Use cases of feedback and rectification (反馈与整改): record a unit's feedback with its
lists, report a task done, verify it (对账销号), record a revisit's satisfaction ballots.

Who may: an office taking part in the round (its organiser, city, co-organisers, inspecting
county) records feedback, verifies tasks and records ballots; the office owning the inspected
unit may also report a task done. Auditors only read."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.configuration.configuration import TenantConfiguration, configuration_id_for
from domain.dates import occurred_on as document_date
from domain.errors import Conflict, RuleViolation
from domain.rectification.feedback import Feedback, feedback_id_for
from domain.rectification.task import Task, assign_tasks
from domain.rectification.values import DEFAULT_REPORT_DUE_MONTHS, BallotChannel, ItemDraft
from domain.rounds.round import Round
from infrastructure.store import EventStore
from services.authorization import Acting, require_office
from services.clock import today_in_china
from services.results import Written
from services.rounds import readers, taking_part
from services.tenants import TenantService
from services.visibility import seen


class RectificationService:
    def __init__(self, store: EventStore, tenants: TenantService) -> None:
        self.store = store
        self.tenants = tenants

    def task(self, task_id: UUID) -> Task:
        return self.store.load(Task, task_id, what="rectification task")

    def record_feedback(
        self,
        *,
        acting: Acting,
        round_id: UUID,
        unit_id: UUID,
        report: str,
        items: list[ItemDraft],
        given_on: date | None = None,
    ) -> Written:
        """Record a round's feedback to one of its target units, with the tasks it assigns.
        The rectification report's delay is the organiser's configuration in force on the
        feedback date (national default: 2 months)."""
        round_ = self.store.load(Round, round_id, what="round")
        seen(self.tenants, acting, readers(round_), "round", round_id)
        require_office(acting, taking_part(round_), "record the round's feedback")
        unit = self.tenants.unit(unit_id)
        given_on = _not_in_future(given_on, "givenOn")
        if self.store.exists(feedback_id_for(round_.id, unit.id)):
            raise RuleViolation(
                "FEEDBACK_ALREADY_RECORDED",
                f"Round {round_.id} has already given feedback to unit {unit.code}",
            )
        feedback = Feedback.record(
            round=round_,
            unit=unit,
            given_on=given_on,
            report=report,
            items=items,
            report_due_months=self._report_due_months(round_.tenant_id, given_on),
        )
        return Written(feedback.id, self.store.record(feedback, *assign_tasks(feedback)))

    def report_task_done(
        self,
        *,
        acting: Acting,
        task_id: UUID,
        evidence: str,
        done_on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        task = self._task_at(acting, task_id, expected_version)
        self._require_office(acting, task, "report its tasks done", or_unit_owner=True)
        task.report_done(evidence=evidence, done_on=_not_in_future(done_on, "doneOn"))
        return Written(task.id, self.store.record(task))

    def verify_task(
        self,
        *,
        acting: Acting,
        task_id: UUID,
        verified_on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        task = self._task_at(acting, task_id, expected_version)
        self._require_office(acting, task, "verify its tasks")
        task.verify(verified_on=_not_in_future(verified_on, "verifiedOn"))
        return Written(task.id, self.store.record(task))

    def record_satisfaction_ballots(
        self,
        *,
        acting: Acting,
        task_id: UUID,
        satisfied: int,
        basically_satisfied: int,
        dissatisfied: int,
        channel: BallotChannel,
        held_on: date | None = None,
        expected_version: int | None = None,
    ) -> Written:
        task = self._task_at(acting, task_id, expected_version)
        self._require_office(acting, task, "record its revisits")
        task.record_ballots(
            satisfied=satisfied,
            basically_satisfied=basically_satisfied,
            dissatisfied=dissatisfied,
            channel=channel,
            held_on=_not_in_future(held_on, "heldOn"),
        )
        return Written(task.id, self.store.record(task))

    def _task_at(self, acting: Acting, task_id: UUID, expected_version: int | None) -> Task:
        """The task, refused with CONFLICT when the caller saw another version of it, and
        NOT_FOUND, as for an id that does not exist, unless the caller reads its round or the
        inspected unit's office."""
        task = self.task(task_id)
        round_ = self.store.load(Round, task.round_id, what="round")
        seen(
            self.tenants,
            acting,
            [*readers(round_), task.unit_owner_id],
            "rectification task",
            task_id,
        )
        if expected_version is not None and task.version != expected_version:
            raise Conflict(
                f"Task {task_id} is at version {task.version}, not {expected_version}; "
                "reload it and try again",
                id=str(task_id),
                version=task.version,
            )
        return task

    def _require_office(
        self, acting: Acting, task: Task, what: str, *, or_unit_owner: bool = False
    ) -> None:
        """Refuse unless `acting` writes for an office taking part in the task's round
        (organiser, its city, co-organisers, inspecting county) or, when allowed, for the
        office owning the inspected unit."""
        if acting.operator:
            return
        allowed = taking_part(self.store.load(Round, task.round_id, what="round"))
        require_office(acting, allowed | ({task.unit_owner_id} if or_unit_owner else set()), what)

    def _report_due_months(self, tenant_id: UUID, on: date) -> int:
        config_id = configuration_id_for(tenant_id)
        if not self.store.exists(config_id):
            return DEFAULT_REPORT_DUE_MONTHS
        config = self.store.load(TenantConfiguration, config_id, what="tenant configuration")
        return config.practice_on(on).rectification_report_due_months


def _not_in_future(day: date | None, field: str) -> date:
    """`day`, or today when not given; a day still to come is refused: figures count only
    what has happened."""
    return document_date(day, today_in_china(), field)  # feedback, work, revisits: China days
