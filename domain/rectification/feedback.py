"""`Feedback` (反馈) — what a round's team reports back to one inspected unit: the report and
its problem, task and responsibility lists. One feedback per unit and round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation, ValidationFailed
from domain.rectification.values import (
    DEFAULT_REPORT_DUE_MONTHS,
    MAX_RECTIFICATION_MONTHS,
    ItemDraft,
    ItemKind,
    add_months,
)
from domain.tenants.unit import Unit
from domain.text import required_text

REPORT_MAX_LENGTH = 20000
ITEM_TEXT_MAX_LENGTH = 2000
MAX_ITEMS = 1000

# What each kind of item must refer to: a task answers a problem, a responsibility a task.
_REFERS_TO: dict[ItemKind, ItemKind | None] = {
    ItemKind.PROBLEM: None,
    ItemKind.TASK: ItemKind.PROBLEM,
    ItemKind.RESPONSIBILITY: ItemKind.TASK,
}


class _Target(Protocol):
    @property
    def unit_id(self) -> UUID: ...


class _Period(Protocol):
    @property
    def start(self) -> date: ...


class InspectedRound(Protocol):
    """What feedback needs of a round (`domain.rounds.round.Round`): its organiser, period
    and target units."""

    @property
    def id(self) -> UUID: ...

    @property
    def tenant_id(self) -> UUID: ...

    @property
    def period(self) -> _Period: ...

    @property
    def targets(self) -> Sequence[_Target]: ...


def feedback_id_for(round_id: UUID, unit_id: UUID) -> UUID:
    """One feedback per unit and round: its id follows from both."""
    return uuid5(round_id, f"feedback:{unit_id}")


def item_id_for(feedback_id: UUID, key: str) -> UUID:
    """An item's id follows from its feedback and key; a TASK item's id is its task's id."""
    return uuid5(feedback_id, f"item:{key}")


class Feedback(AuditedAggregate):
    @staticmethod
    def create_id(round_id: UUID, unit_id: UUID) -> UUID:
        return feedback_id_for(round_id, unit_id)

    @classmethod
    def record(
        cls,
        *,
        round: InspectedRound,
        unit: Unit,
        given_on: date,
        report: str,
        items: list[ItemDraft],
        report_due_months: int = DEFAULT_REPORT_DUE_MONTHS,
    ) -> Feedback:
        """Record the feedback `round` gives to its target `unit` on `given_on`, in the name
        of the round's organiser. `report_due_months` comes from the organiser's
        configuration (national default 2)."""
        if unit.id not in {target.unit_id for target in round.targets}:
            raise RuleViolation(
                "FEEDBACK_UNIT_NOT_A_TARGET",
                f"Unit {unit.code} is not a target of round {round.id}",
                unit_id=str(unit.id),
            )
        if given_on < round.period.start:
            raise RuleViolation(
                "FEEDBACK_BEFORE_ROUND",
                f"Round {round.id} starts on {round.period.start}; feedback cannot be given "
                f"on {given_on}",
                field="givenOn",
            )
        if not 1 <= report_due_months <= MAX_RECTIFICATION_MONTHS:
            raise ValidationFailed(
                f"The rectification report is due 1 to {MAX_RECTIFICATION_MONTHS} months after "
                f"feedback; {report_due_months} was configured",
                field="reportDueMonths",
            )
        if len(items) > MAX_ITEMS:
            raise ValidationFailed(f"At most {MAX_ITEMS} items per feedback", field="items")
        feedback_id = feedback_id_for(round.id, unit.id)
        return cls(
            tenant_id=round.tenant_id,
            round_id=round.id,
            unit_id=unit.id,
            unit_owner_id=unit.tenant_id,
            given_on=given_on,
            report=required_text(report, "report", max_length=REPORT_MAX_LENGTH),
            report_due_on=add_months(given_on, report_due_months),
            items=_checked_items(feedback_id, given_on, items),
        )

    class Recorded(AuditedAggregate.Created):
        class_version = 1
        document_date = "given_on"
        round_id: UUID
        unit_id: UUID
        unit_owner_id: UUID
        given_on: date
        report: str
        report_due_on: date
        items: list[dict[str, Any]]

    @event(Recorded)
    def __init__(
        self,
        tenant_id: UUID,
        round_id: UUID,
        unit_id: UUID,
        unit_owner_id: UUID,
        given_on: date,
        report: str,
        report_due_on: date,
        items: list[dict[str, Any]],
    ) -> None:
        self.tenant_id = tenant_id
        self.round_id = round_id
        self.unit_id = unit_id
        self.unit_owner_id = unit_owner_id
        self.given_on = given_on
        self.report = report
        self.report_due_on = report_due_on
        self.items = items

    def items_of(self, kind: ItemKind) -> list[dict[str, Any]]:
        return [item for item in self.items if item["kind"] == kind.value]

    def responsibility_for(self, task_id: UUID) -> dict[str, Any] | None:
        for item in self.items_of(ItemKind.RESPONSIBILITY):
            if item["refers_to"] == task_id:
                return item
        return None


def _checked_items(
    feedback_id: UUID, given_on: date, drafts: list[ItemDraft]
) -> list[dict[str, Any]]:
    """The items as recorded: keys unique, references resolved to item ids, category and
    disclosure restrictions inherited along problem → task → responsibility."""
    by_key: dict[str, dict[str, Any]] = {}
    for draft in drafts:
        key = required_text(draft.key, "items.key", max_length=64)
        if key in by_key:
            raise ValidationFailed(f"Item key {key} is used twice", field="items.key")
        by_key[key] = {"draft": draft}
    latest_deadline = add_months(given_on, MAX_RECTIFICATION_MONTHS)
    recorded: dict[str, dict[str, Any]] = {}
    answered: set[str] = set()  # keys of tasks that have their responsibility line

    def resolve(key: str) -> dict[str, Any]:
        if key in recorded:
            return recorded[key]
        draft: ItemDraft = by_key[key]["draft"]
        kind = ItemKind(draft.kind)
        wanted = _REFERS_TO[kind]
        parent: dict[str, Any] | None = None
        if wanted is None:
            if draft.refers_to:
                raise RuleViolation(
                    "FEEDBACK_PROBLEM_REFERS_TO_ITEM",
                    f"Problem {key} is the start of its line and refers to no other item",
                )
        else:
            ref = (draft.refers_to or "").strip()
            if ref not in by_key or ItemKind(by_key[ref]["draft"].kind) is not wanted:
                raise RuleViolation(
                    f"FEEDBACK_{kind.value}_NEEDS_{wanted.value}",
                    f"{kind.value.title()} {key} must refer to a {wanted.value.lower()} of "
                    f"this feedback; {draft.refers_to or 'nothing'} was given",
                )
            if kind is ItemKind.RESPONSIBILITY:
                if ref in answered:
                    raise RuleViolation(
                        "FEEDBACK_ONE_RESPONSIBILITY_PER_TASK",
                        f"Task {ref} already has a responsibility line; {key} is a second one",
                    )
                answered.add(ref)
            parent = resolve(ref)
        category = (
            required_text(draft.category or "", "items.category", max_length=100)
            if parent is None
            else parent["category"]
        )
        restrictions = sorted(
            {*(d.value for d in draft.disclosure), *(parent or {}).get("restrictions", [])}
        )
        item = {
            "item_id": item_id_for(feedback_id, key),
            "kind": kind.value,
            "key": key,
            "refers_to": parent["item_id"] if parent else None,
            "text": required_text(draft.text, "items.text", max_length=ITEM_TEXT_MAX_LENGTH),
            "category": category,
            "immediate": bool(draft.immediate),
            "restrictions": restrictions,
            "responsible_leader": None,
            "responsible_department": None,
            "deadline": None,
            "evidence": None,
        }
        if kind is ItemKind.RESPONSIBILITY:
            item["responsible_leader"] = required_text(
                draft.responsible_leader or "", "items.responsibleLeader"
            )
            item["responsible_department"] = required_text(
                draft.responsible_department or "", "items.responsibleDepartment"
            )
            item["deadline"] = _checked_deadline(key, draft.deadline, given_on, latest_deadline)
        if kind is ItemKind.TASK and draft.immediate and draft.evidence:
            item["evidence"] = required_text(draft.evidence, "items.evidence", max_length=2000)
        recorded[key] = item
        return item

    for key in by_key:
        resolve(key)
    tasked = {item["refers_to"] for item in recorded.values() if item["kind"] == "TASK"}
    for item in recorded.values():
        if item["kind"] == ItemKind.PROBLEM.value and item["item_id"] not in tasked:
            raise RuleViolation(
                "FEEDBACK_PROBLEM_WITHOUT_TASK",
                f"Problem {item['key']} has no rectification task (整改措施)",
            )
    return [recorded[key] for key in by_key]


def _checked_deadline(key: str, deadline: date | None, given_on: date, latest: date) -> date:
    if deadline is None:
        raise ValidationFailed(f"Responsibility {key} needs a deadline", field="items.deadline")
    if deadline < given_on:
        raise RuleViolation(
            "RECTIFICATION_DEADLINE_BEFORE_FEEDBACK",
            f"Responsibility {key} is due {deadline}, before the feedback of {given_on}",
        )
    if deadline > latest:
        raise RuleViolation(
            "RECTIFICATION_DEADLINE_BEYOND_ONE_YEAR",
            f"Responsibility {key} is due {deadline}; rectification ends at most one year "
            f"after feedback, by {latest}",
        )
    return deadline
