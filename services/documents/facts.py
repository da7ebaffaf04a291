"""The facts a document is written from, gathered from the aggregates of its subject (a clue
or a feedback), once the caller may read that subject. What may be issued about it is the
domain's rule (domain/documents/rules.py); who may issue it is decided here, as for any write
on the subject: its office (a clue's registering office, a round's organiser and the offices
taking part) or, for a clue, the city supervising it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.audited import AuditedAggregate
from domain.clues.clue import Clue
from domain.documents import rules
from domain.documents.facts import ClueFacts, FeedbackFacts, ProblemLine, TaskLine
from domain.documents.values import DocumentKind, SubjectKind, place_of
from domain.errors import NotFound
from domain.labels import label_of
from domain.rectification.feedback import Feedback
from domain.rectification.task import Task
from domain.rectification.values import ItemKind
from domain.rounds.round import Round
from services.authorization import Acting
from services.calendar import CalendarService
from services.rounds import readers, taking_part
from services.tenants import TenantService
from services.visibility import seen

_SUBJECT_KINDS: dict[type[AuditedAggregate], SubjectKind] = {
    Clue: SubjectKind.CLUE,
    Feedback: SubjectKind.FEEDBACK,
}


@dataclass(frozen=True)
class Subject:
    """A document's subject: its facts, its office, the offices that may issue on it, and
    the offices that read it (and so read the documents about it)."""

    subject_id: UUID
    facts: ClueFacts | FeedbackFacts
    office_id: UUID
    issuers: set[UUID | None]
    readers: frozenset[UUID]


class SubjectReader:
    def __init__(self, tenants: TenantService, calendar: CalendarService) -> None:
        self.tenants = tenants
        self.store = tenants.store
        self.calendar = calendar

    def subject(self, acting: Acting, kind: DocumentKind, subject_id: UUID) -> Subject:
        """The subject of a `kind` document, or NOT_FOUND as for an id that does not exist
        when the caller may not read it; refused when it is the wrong kind of thing."""
        found: Any = self.store.load(AuditedAggregate, subject_id, what="document subject")
        offices = self._readable(acting, found, subject_id)
        found_kind = _SUBJECT_KINDS.get(type(found))
        if found_kind is not kind.subject:
            found_name = found_kind.value if found_kind else type(found).__name__.upper()
            raise rules.wrong_subject(kind, subject_id, found_name)
        if isinstance(found, Clue):
            rules.check_clue(kind, found)
            city = self.tenants.tenant(found.tenant_id).parent_id
            facts: ClueFacts | FeedbackFacts = self._clue_facts(found)
            issuers: set[UUID | None] = {found.tenant_id, city}
        else:
            round_ = self.store.load(Round, found.round_id, what="round")
            facts, issuers = self._feedback_facts(found, round_), taking_part(round_)
        return Subject(subject_id, facts, found.tenant_id, issuers, offices)

    def _readable(self, acting: Acting, found: Any, subject_id: UUID) -> frozenset[UUID]:
        """The offices reading `found`, once `acting` is one of their readers."""
        if isinstance(found, Clue):
            owner = self.tenants.unit(found.unit_id).tenant_id
            offices = [found.tenant_id, found.receiving_tenant_id, owner]
        elif isinstance(found, Feedback):
            round_ = self.store.load(Round, found.round_id, what="round")
            offices = [*readers(round_), found.unit_owner_id]
        elif isinstance(found, Round):
            offices = readers(found)
        else:
            raise NotFound.no("document subject", subject_id)
        seen(self.tenants, acting, offices, "document subject", subject_id)
        return frozenset(office for office in offices if office is not None)

    def _clue_facts(self, clue: Clue) -> ClueFacts:
        # checked by rules.check_clue: a transferred clue has all three
        assert clue.transferred_on is not None  # noqa: S101
        assert clue.handling_body is not None  # noqa: S101
        assert clue.receiving_tenant_id is not None  # noqa: S101
        round_ = self.store.load(Round, clue.round_id, what="round") if clue.round_id else None
        due_on = clue.due_date(self.calendar.calendar_for(clue.transferred_on))
        return ClueFacts(
            clue_id=clue.id,
            registrar=self.tenants.tenant(clue.tenant_id).name,
            unit=self.tenants.unit(clue.unit_id).name,
            round_title=round_.title if round_ else None,
            source=label_of(clue.source),
            category=clue.category,
            summary=clue.summary,
            persons=[(p.role, p.name) for p in clue.persons_concerned],
            amount_involved=clue.amount_involved,
            handling_body=label_of(clue.handling_body),
            receiver=self.tenants.tenant(clue.receiving_tenant_id).name,
            transferred_on=clue.transferred_on,
            due_on=due_on or clue.transferred_on,
            steps=dict(clue.ladder),
            warning_final_date=clue.warning_final_date,
        )

    def _feedback_facts(self, feedback: Feedback, round_: Round) -> FeedbackFacts:
        return FeedbackFacts(
            feedback_id=feedback.id,
            organiser=self.tenants.tenant(feedback.tenant_id).name,
            round_title=round_.title,
            round_kind=label_of(round_.kind),
            period_start=round_.period.start,
            period_end=round_.period.end,
            addressee=self._addressee_name(feedback.unit_id),
            level=feedback.level.value,
            given_on=feedback.given_on,
            report=feedback.report,
            report_due_on=feedback.report_due_on,
            problems=self._problems(feedback),
        )

    def _addressee_name(self, addressee_id: UUID) -> str:
        """A unit's name; the county committee, addressed by its office's id, by its place
        and 委 (历下区委巡察办 → 历下区委)."""
        try:
            return self.tenants.unit(addressee_id).name
        except NotFound:
            return f"{place_of(self.tenants.tenant(addressee_id).name)}委"

    def _problems(self, feedback: Feedback) -> list[ProblemLine]:
        task_items = feedback.items_of(ItemKind.TASK)
        tasks = self.store.load_many([item["item_id"] for item in task_items])
        return [
            ProblemLine(
                category=problem["category"],
                text=problem["text"],
                tasks=[
                    self._task_line(feedback, item, tasks.get(item["item_id"]))
                    for item in task_items
                    if item["refers_to"] == problem["item_id"]
                ],
            )
            for problem in feedback.items_of(ItemKind.PROBLEM)
        ]

    @staticmethod
    def _task_line(feedback: Feedback, item: dict[str, Any], task: Any) -> TaskLine:
        responsibility = feedback.responsibility_for(item["item_id"]) or {}
        assigned = task if isinstance(task, Task) else None
        return TaskLine(
            measure=item["text"],
            immediate=bool(item["immediate"]),
            leader=responsibility.get("responsible_leader"),
            department=responsibility.get("responsible_department"),
            due_on=responsibility.get("deadline") or feedback.report_due_on,
            status=label_of(assigned.status) if assigned else "整改中",
            done_on=assigned.done_on if assigned else None,
            verified_on=assigned.verified_on if assigned else None,
        )
