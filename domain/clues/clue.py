"""`Clue` — a problem clue (问题线索) found in an inspection, with its whole life as events."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.clues.values import ClueSource, ClueStatus, PersonConcerned
from domain.errors import RuleViolation, ValidationFailed
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from domain.text import required_text

SUMMARY_MAX_LENGTH = 2000
MAX_PERSONS_CONCERNED = 50


class Clue(AuditedAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    @classmethod
    def register(
        cls,
        *,
        registrar: Tenant,
        unit: Unit,
        unit_owner: Tenant,
        round_id: UUID | None,
        source: ClueSource,
        category: str,
        summary: str,
        persons_concerned: list[PersonConcerned],
        amount_involved: Decimal | None,
    ) -> Clue:
        """Register a clue about `unit` found by `registrar`'s inspection."""
        if unit_owner.id != registrar.id and unit_owner.parent_id != registrar.id:
            raise RuleViolation(
                "CLUE_UNIT_OUT_OF_SCOPE",
                f"Unit {unit.code} belongs to {unit_owner.code}, which {registrar.code} "
                "does not inspect",
            )
        if amount_involved is not None and amount_involved < 0:
            raise ValidationFailed("amountInvolved must not be negative", field="amountInvolved")
        if len(persons_concerned) > MAX_PERSONS_CONCERNED:
            raise ValidationFailed(
                f"At most {MAX_PERSONS_CONCERNED} persons concerned per clue",
                field="personsConcerned",
            )
        return cls(
            tenant_id=registrar.id,
            round_id=round_id,
            unit_id=unit.id,
            source=ClueSource(source).value,
            category=required_text(category, "category", max_length=100),
            summary=required_text(summary, "summary", max_length=SUMMARY_MAX_LENGTH),
            persons_concerned=[p.as_record() for p in persons_concerned],
            amount_involved=amount_involved,
        )

    class Registered(AuditedAggregate.Created):
        round_id: UUID | None
        unit_id: UUID
        source: str
        category: str
        summary: str
        persons_concerned: list[dict[str, str]]
        amount_involved: Decimal | None

    @event(Registered)
    def __init__(
        self,
        tenant_id: UUID,
        round_id: UUID | None,
        unit_id: UUID,
        source: str,
        category: str,
        summary: str,
        persons_concerned: list[dict[str, str]],
        amount_involved: Decimal | None,
    ) -> None:
        self.tenant_id = tenant_id
        self.round_id = round_id
        self.unit_id = unit_id
        self.source = ClueSource(source)
        self.category = category
        self.summary = summary
        self.persons_concerned = [PersonConcerned(**p) for p in persons_concerned]
        self.amount_involved = amount_involved
        self.status = ClueStatus.REGISTERED
