"""Use cases of feedback and rectification (反馈与整改): record a feedback with its lists — to
the inspected unit or, in four-level feedback (四级反馈), to the township committee, the county
committee or a line department — group problems common to several units into a systemic item
(面上共性问题), report a task done, verify it (对账销号), record a revisit's satisfaction
ballots.

Who may: an office taking part in the round (its organiser, city, co-organisers, inspecting
county) records feedback, verifies tasks and records ballots; the office owning the addressee
of a task may also report it done. A common problem is grouped by an office taking part in
the round of every problem it groups; its tasks are managed by that office. Auditors only
read."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.configuration.configuration import TenantConfiguration, configuration_id_for
from domain.configuration.values import Term
from domain.dates import occurred_on as document_date
from domain.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from domain.rectification.common_problem import (
    CommonProblem,
    check_systemic_level,
    common_problem_id_for,
)
from domain.rectification.feedback import Feedback, feedback_id_for
from domain.rectification.levels import Targets, county_addressee, unit_addressee
from domain.rectification.task import Task, assign_systemic_tasks, assign_tasks
from domain.rectification.values import (
    DEFAULT_REPORT_DUE_MONTHS,
    Addressee,
    BallotChannel,
    FeedbackLevel,
    GroupedProblem,
    ItemDraft,
    ItemKind,
    ProblemRef,
    SystemicTaskDraft,
)
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
        level: FeedbackLevel = FeedbackLevel.UNIT,
    ) -> Written:
        """Record a round's feedback to `unit_id` at `level` — one of its target units, or a
        township, department or (by its office's id) county committee above them — with the
        tasks it assigns, each to the addressee owning its fix. The rectification report's
        delay is the organiser's configuration in force on the feedback date (national
        default: 2 months)."""
        round_ = self.store.load(Round, round_id, what="round")
        seen(self.tenants, acting, readers(round_), "round", round_id)
        require_office(acting, taking_part(round_), "record the round's feedback")
        given_on = _not_in_future(given_on, "givenOn")
        targets = self._targets(round_, [level, *(i.owner_level for i in items)])
        addressee = self._addressee(round_, targets, FeedbackLevel(level), unit_id)
        if self.store.exists(feedback_id_for(round_.id, addressee.id)):
            raise RuleViolation(
                "FEEDBACK_ALREADY_RECORDED",
                f"Round {round_.id} has already given feedback to {addressee.name}",
            )
        owners = {
            item.owner_id: self._addressee(
                round_, targets, FeedbackLevel(item.owner_level), item.owner_id
            )
            for item in items
            if item.owner_id is not None and item.owner_level is not None
        }
        feedback = Feedback.record(
            round=round_,
            addressee=addressee,
            owners=owners,
            given_on=given_on,
            report=report,
            items=items,
            report_due_months=self._report_due_months(round_.tenant_id, given_on),
        )
        return Written(feedback.id, self.store.record(feedback, *assign_tasks(feedback)))

    def _targets(self, round_: Round, levels: list[FeedbackLevel | None]) -> Targets:
        """The round's targets as the levels check them; their townships are looked up only
        when a township committee is addressed."""
        townships = (
            [self.tenants.unit(t.unit_id).parent_id for t in round_.targets]
            if FeedbackLevel.TOWNSHIP_COMMITTEE in levels
            else []
        )
        return Targets(
            unit_ids=[t.unit_id for t in round_.targets],
            owner_ids=[t.owner_id for t in round_.targets],
            townships=townships,
            organiser_id=round_.tenant_id,
        )

    def _addressee(
        self, round_: Round, targets: Targets, level: FeedbackLevel, addressee_id: UUID
    ) -> Addressee:
        """The addressee at `level`; above the inspected unit NOT_FOUND, as for an id that
        does not exist, when it belongs to no office the round reads."""
        offices = set(readers(round_))
        if level is FeedbackLevel.COUNTY_COMMITTEE:
            if addressee_id not in offices:
                raise NotFound.no("tenant", addressee_id)
            return county_addressee(self.tenants.tenant(addressee_id), targets)
        unit = self.tenants.unit(addressee_id)
        if level is not FeedbackLevel.UNIT and unit.tenant_id not in offices:
            raise NotFound.no("unit", addressee_id)
        return unit_addressee(level, unit, targets)

    def group_common_problem(
        self,
        *,
        acting: Acting,
        key: str,
        category: str,
        text: str,
        level: FeedbackLevel,
        addressee_id: UUID,
        problems: list[ProblemRef],
        tasks: list[SystemicTaskDraft],
        round_id: UUID | None = None,
        given_on: date | None = None,
    ) -> Written:
        """Group problems found in several units of round `round_id` (or, without it, of the
        office's term in force on `given_on`) into one common problem (面上共性问题), fed back
        to a department or a county committee of the office or below it, with its tasks."""
        given_on = _not_in_future(given_on, "givenOn")
        check_systemic_level(FeedbackLevel(level))
        grouped = [self._grouped(acting, ref) for ref in problems]
        office = self._grouping_office(acting, grouped)
        if self.store.exists(common_problem_id_for(office, key)):
            raise RuleViolation(
                "COMMON_PROBLEM_ALREADY_GROUPED", f"Common problem {key} is already recorded"
            )
        common = CommonProblem.group(
            office_id=office,
            key=key,
            category=category,
            text=text,
            addressee=self._office_addressee(office, FeedbackLevel(level), addressee_id),
            given_on=given_on,
            problems=[g for g, _ in grouped],
            tasks=tasks,
            round_id=round_id,
            term=None if round_id is not None else self._term(office, given_on),
        )
        saved = self.store.record(common, *assign_systemic_tasks(common, common.tasks))
        return Written(common.id, saved)

    def _grouped(self, acting: Acting, ref: ProblemRef) -> tuple[GroupedProblem, UUID]:
        """A problem line of a feedback the caller may manage, with the feedback's office."""
        feedback = self.store.load(Feedback, ref.feedback_id, what="feedback")
        round_ = self.store.load(Round, feedback.round_id, what="round")
        seen(self.tenants, acting, readers(round_), "feedback", ref.feedback_id)
        require_office(acting, taking_part(round_), "group the round's problems")
        if not any(i["item_id"] == ref.problem_id for i in feedback.items_of(ItemKind.PROBLEM)):
            raise NotFound.no("problem", ref.problem_id)
        problem = GroupedProblem(
            problem_id=ref.problem_id,
            feedback_id=feedback.id,
            round_id=feedback.round_id,
            unit_id=feedback.unit_id,
            given_on=feedback.given_on,
        )
        return problem, feedback.tenant_id

    @staticmethod
    def _grouping_office(acting: Acting, grouped: list[tuple[GroupedProblem, UUID]]) -> UUID:
        """The caller's office; at the console, the office that gave the first feedback."""
        if acting.tenant_id is not None and not acting.deployment_wide:
            return acting.tenant_id
        if not grouped:
            raise ValidationFailed("Name the problems to group", field="problems")
        return grouped[0][1]

    def _office_addressee(
        self, office: UUID, level: FeedbackLevel, addressee_id: UUID
    ) -> Addressee:
        """A department or county committee of `office` or of a county below it; NOT_FOUND,
        as for an id that does not exist, for one elsewhere."""
        if level is FeedbackLevel.COUNTY_COMMITTEE:
            owner_id = addressee_id
        else:
            owner_id = self.tenants.unit(addressee_id).tenant_id
        if owner_id != office and self.tenants.tenant(owner_id).parent_id != office:
            raise NotFound.no("tenant" if owner_id == addressee_id else "unit", addressee_id)
        below = Targets(unit_ids=[], owner_ids=[owner_id], townships=[], organiser_id=office)
        if level is FeedbackLevel.COUNTY_COMMITTEE:
            return county_addressee(self.tenants.tenant(owner_id), below)
        return unit_addressee(level, self.tenants.unit(addressee_id), below)

    def _term(self, office: UUID, on: date) -> Term:
        config_id = configuration_id_for(office)
        config = (
            self.store.load(TenantConfiguration, config_id, what="tenant configuration")
            if self.store.exists(config_id)
            else None
        )
        term = config.term_on(on) if config else None
        if term is None:
            raise RuleViolation(
                "COMMON_PROBLEM_NO_TERM",
                f"No committee term of the office covers {on}; name the round instead",
            )
        return term

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
        round_ = self._round_of(task)
        offices = [*readers(round_)] if round_ else [task.tenant_id]
        seen(self.tenants, acting, [*offices, task.unit_owner_id], "rectification task", task_id)
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
        office owning the task's addressee. A common problem's task is managed by the office
        that grouped it, and by those taking part in its round."""
        if acting.operator:
            return
        round_ = self._round_of(task)
        allowed = {task.tenant_id} | (taking_part(round_) if round_ else set())
        require_office(acting, allowed | ({task.unit_owner_id} if or_unit_owner else set()), what)

    def _round_of(self, task: Task) -> Round | None:
        if task.round_id is None:  # a common problem grouped over a term
            return None
        return self.store.load(Round, task.round_id, what="round")

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
