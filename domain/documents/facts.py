"""The facts a document is written from, as read from the events (services/documents/facts.py
gathers them): plain values, so that composing and laying out a document is pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.clues.values import SupervisionStep


@dataclass(frozen=True)
class ClueFacts:
    """A transferred clue, as its letters tell it. The informant is never among them."""

    clue_id: UUID
    registrar: str  # the office that found and transferred it
    unit: str  # the inspected unit it is about
    round_title: str | None
    source: str  # the source's Chinese label
    category: str
    summary: str
    persons: list[tuple[str, str]]  # (role, name)
    amount_involved: Decimal | None
    handling_body: str  # the body's Chinese label, e.g. 纪委监委
    receiver: str  # the receiving office's name
    transferred_on: date
    due_on: date
    steps: dict[SupervisionStep, date] = field(default_factory=dict)  # the ladder so far
    warning_final_date: date | None = None


@dataclass(frozen=True)
class TaskLine:
    """One rectification task (整改措施) with its responsibility line and how it stands."""

    measure: str
    immediate: bool
    leader: str | None
    department: str | None
    due_on: date
    status: str  # the status's Chinese label
    done_on: date | None
    verified_on: date | None


@dataclass(frozen=True)
class ProblemLine:
    category: str
    text: str
    tasks: list[TaskLine]


@dataclass(frozen=True)
class FeedbackFacts:
    """One round's feedback to one addressee, with its lists and the state of its tasks."""

    feedback_id: UUID
    organiser: str  # the office that organised the round
    round_title: str
    round_kind: str  # the kind's Chinese label
    period_start: date
    period_end: date
    addressee: str
    level: str  # FeedbackLevel value
    given_on: date
    report: str
    report_due_on: date
    problems: list[ProblemLine]
