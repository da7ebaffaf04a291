"""`UnitSchedule` — an index aggregate (one per unit, id derived with uuid5) that books a unit
into open rounds, so the rule "a unit is in at most one open round of a period, unless one is
a REVISIT" holds under concurrency: two rounds booking the same unit at once conflict on the
schedule's version and one of them is refused."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation
from domain.rounds.values import Period, RoundKind

SCHEDULE_NAMESPACE = uuid5(NAMESPACE_URL, "https://xuncha.invalid/unit-schedule")


def schedule_id_for(unit_id: UUID) -> UUID:
    return uuid5(SCHEDULE_NAMESPACE, str(unit_id))


class UnitSchedule(AuditedAggregate):
    @staticmethod
    def create_id(unit_id: UUID) -> UUID:
        return schedule_id_for(unit_id)

    @classmethod
    def open_for(cls, *, unit_id: UUID, owner_id: UUID) -> UnitSchedule:
        return cls(tenant_id=owner_id, unit_id=unit_id)

    class Opened(AuditedAggregate.Created):
        class_version = 1
        unit_id: UUID

    @event(Opened)
    def __init__(self, tenant_id: UUID, unit_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.unit_id = unit_id
        self.bookings: dict[UUID, dict[str, Any]] = {}

    def book(self, *, round_id: UUID, period: Period, kind: RoundKind) -> None:
        """Book the unit into a round, refusing a clash with another open round."""
        for other_id, other in self.bookings.items():
            other_period = Period(other["start"], other["end"])
            revisit = RoundKind.REVISIT.value in (other["kind"], kind.value)
            if other_period.overlaps(period) and not revisit:
                raise RuleViolation(
                    "ROUND_TARGET_OCCUPIED",
                    f"Unit {self.unit_id} is already a target of open round {other_id} "
                    f"({other_period.start} – {other_period.end}); only a REVISIT may overlap",
                    unit_id=str(self.unit_id),
                    round_id=str(other_id),
                )
        self._booked(round_id=round_id, start=period.start, end=period.end, kind=kind.value)

    class Booked(AuditedAggregate.Event):
        class_version = 1
        round_id: UUID
        start: date
        end: date
        kind: str

    @event(Booked)
    def _booked(self, round_id: UUID, start: date, end: date, kind: str) -> None:
        self.bookings[round_id] = {"start": start, "end": end, "kind": kind}

    def release(self, *, round_id: UUID) -> None:
        """Free the unit from a round that has closed."""
        if round_id in self.bookings:
            self._released(round_id=round_id)

    class Released(AuditedAggregate.Event):
        class_version = 1
        round_id: UUID

    @event(Released)
    def _released(self, round_id: UUID) -> None:
        del self.bookings[round_id]
