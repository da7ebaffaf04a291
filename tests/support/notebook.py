"""A small audited aggregate for audit-trail tests: any number of events per stream, with and
without reasons, independent of how the real contexts evolve."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate


class Notebook(AuditedAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    class Opened(AuditedAggregate.Created):
        title: str

    @event(Opened)
    def __init__(self, tenant_id: UUID, title: str) -> None:
        self.tenant_id = tenant_id
        self.title = title
        self.notes: list[str] = []

    class Noted(AuditedAggregate.Event):
        text: str

    @event(Noted)
    def note(self, text: str) -> None:
        self.notes.append(text)

    class Retitled(AuditedAggregate.Event):
        title: str
        reason: str

    @event(Retitled)
    def retitle(self, title: str, reason: str) -> None:
        self.title = title

    class Tallied(AuditedAggregate.Event):
        """Carries a value of every kind events store, to test their canonical forms."""

        class_version = 2
        amount: Decimal
        on: date
        at: datetime
        ref: UUID
        share: float
        done: bool
        nothing: None
        items: list[dict[str, Any]]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("share", 0.0)

    @event(Tallied)
    def tally(
        self,
        amount: Decimal,
        on: date,
        at: datetime,
        ref: UUID,
        share: float,
        done: bool,
        nothing: None,
        items: list[dict[str, Any]],
    ) -> None:
        self.amount = amount


def notebook(tenant_id: UUID, notes: int, title: str = "巡察笔记") -> Notebook:
    book = Notebook(tenant_id=tenant_id, title=title)
    for i in range(1, notes + 1):
        book.note(f"note {i}")
    return book
