"""Use cases of the clue context."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.clues.clue import Clue
from domain.clues.values import ClueSource, PersonConcerned
from services.results import Written
from services.store import EventStore
from services.tenants import TenantService


class ClueService:
    def __init__(self, store: EventStore, tenants: TenantService) -> None:
        self.store = store
        self.tenants = tenants

    def register_clue(
        self,
        *,
        tenant_id: UUID,
        unit_id: UUID,
        round_id: UUID | None,
        source: ClueSource,
        category: str,
        summary: str,
        persons_concerned: list[PersonConcerned],
        amount_involved: Decimal | None,
    ) -> Written:
        registrar = self.tenants.tenant(tenant_id)
        unit = self.tenants.unit(unit_id)
        clue = Clue.register(
            registrar=registrar,
            unit=unit,
            unit_owner=self.tenants.tenant(unit.tenant_id),
            round_id=round_id,
            source=source,
            category=category,
            summary=summary,
            persons_concerned=persons_concerned,
            amount_involved=amount_involved,
        )
        return Written(clue.id, self.store.record(clue))
