"""Use cases of the tenant context: registering offices and the units they inspect."""

from __future__ import annotations

from uuid import UUID

from domain.errors import Conflict
from domain.tenants.tenant import Tenant, TenantLevel, tenant_id_for
from domain.tenants.unit import Unit, UnitType, unit_id_for
from services.results import Written
from services.store import EventStore


class TenantService:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def tenant(self, tenant_id: UUID) -> Tenant:
        return self.store.load(Tenant, tenant_id, what="tenant")

    def unit(self, unit_id: UUID) -> Unit:
        return self.store.load(Unit, unit_id, what="unit")

    def register_tenant(
        self, *, code: str, name: str, level: TenantLevel, parent_id: UUID | None
    ) -> Written:
        parent = self.tenant(parent_id) if parent_id is not None else None
        if self.store.exists(tenant_id_for(code)):
            raise Conflict(f"A tenant with code {code.strip()} is already registered")
        tenant = Tenant.register(code=code, name=name, level=level, parent=parent)
        return Written(tenant.id, self.store.record(tenant))

    def register_unit(
        self,
        *,
        tenant_id: UUID,
        code: str,
        name: str,
        unit_type: UnitType,
        parent_id: UUID | None,
    ) -> Written:
        owner = self.tenant(tenant_id)
        parent = self.unit(parent_id) if parent_id is not None else None
        if self.store.exists(unit_id_for(tenant_id, code)):
            raise Conflict(f"Tenant {owner.code} already has a unit with code {code.strip()}")
        unit = Unit.register(owner=owner, code=code, name=name, unit_type=unit_type, parent=parent)
        return Written(unit.id, self.store.record(unit))
