"""Use cases of the tenant context: registering offices and the units they inspect, renaming
and merging counties. Only an ADMIN of a city manages that city's counties."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from domain.errors import Conflict, NotFound, RuleViolation
from domain.tenants.tenant import Tenant, TenantLevel, tenant_id_for
from domain.tenants.unit import Unit, UnitType, unit_id_for
from infrastructure.store import EventStore
from services import authorization
from services.authorization import Acting as Acting  # re-exported: callers import it here
from services.authorization import require_admin_of
from services.results import Written


def require_admin_over(acting: Acting, tenant: Tenant, what: str) -> None:
    """Refuse unless `acting` is deployment-wide or an ADMIN of `tenant` or of its city."""
    authorization.require_admin_over(acting, tenant.id, tenant.parent_id, what)


def knows_office(tenants: TenantService, acting: Acting, office_ids: Iterable[UUID | None]) -> bool:
    """Whether one of the offices is of `acting`'s city: the city itself or one of its
    counties (a clue may be handed to another county of the city)."""
    if acting.deployment_wide:
        return True
    own_id = acting.tenant_id
    if own_id is None or not tenants.store.exists(own_id):
        return False
    city = tenants.tenant(own_id).parent_id or own_id

    def of_the_city(office: UUID) -> bool:
        return office == city or (
            tenants.store.exists(office) and tenants.tenant(office).parent_id == city
        )

    return any(of_the_city(office) for office in office_ids if office is not None)


def known_office(tenants: TenantService, acting: Acting, tenant_id: UUID) -> Tenant:
    """The office, or NOT_FOUND as for an id that does not exist if `acting` may not know of
    it (services/visibility.py)."""
    if not knows_office(tenants, acting, [tenant_id]):
        raise NotFound.no("tenant", tenant_id)
    return tenants.tenant(tenant_id)


class TenantService:
    def __init__(self, store: EventStore) -> None:
        self.store = store

    def tenant(self, tenant_id: UUID) -> Tenant:
        return self.store.load(Tenant, tenant_id, what="tenant")

    def unit(self, unit_id: UUID) -> Unit:
        return self.store.load(Unit, unit_id, what="unit")

    def unit_by_code(self, owner: Tenant, code: str) -> Unit | None:
        """The unit `owner` holds under `code`, including units of counties it absorbed."""
        for namespace in owner.unit_namespaces:
            unit_id = unit_id_for(namespace, code)
            if self.store.exists(unit_id):
                unit = self.unit(unit_id)
                if unit.tenant_id == owner.id:
                    return unit
        return None

    def register_tenant(
        self,
        *,
        code: str,
        name: str,
        level: TenantLevel,
        parent_id: UUID | None,
        acting: Acting,
    ) -> Written:
        """Register an office: a city by the deployment's ADMIN, a county by an ADMIN of its
        city."""
        if level is TenantLevel.COUNTY:
            require_admin_of(acting, parent_id, "register its counties")
        else:
            authorization.require_deployment_admin(acting, "register a city")
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
        class_tags: list[str] | None = None,
        acting: Acting,
    ) -> Written:
        owner = known_office(self, acting, tenant_id)
        require_admin_over(acting, owner, "register its units")
        parent = self.unit(parent_id) if parent_id is not None else None
        if self.store.exists(unit_id_for(tenant_id, code)) or self.unit_by_code(owner, code):
            raise Conflict(f"Tenant {owner.code} already has a unit with code {code.strip()}")
        unit = Unit.register(
            owner=owner,
            code=code,
            name=name,
            unit_type=unit_type,
            parent=parent,
            tags=class_tags or [],
        )
        return Written(unit.id, self.store.record(unit))

    # -- managing counties ------------------------------------------------------------------

    def rename_county(
        self, *, acting: Acting, county_id: UUID, name: str, effective_on: date, reason: str
    ) -> Written:
        county = known_office(self, acting, county_id)
        require_admin_of(acting, county.parent_id, "rename its counties")
        county.rename(name, effective_on=effective_on, reason=reason)
        return Written(county.id, self.store.record(county))

    def merge_county(
        self,
        *,
        acting: Acting,
        county_id: UUID,
        into_id: UUID,
        units: list[UUID],
        effective_on: date,
        reason: str,
    ) -> Written:
        """Merge county `county_id` into `into_id`: both tenants record the merge and every
        unit in `units` (the merged county's units, from the directory) is reassigned by an
        event on its own stream, all in one atomic save."""
        county = known_office(self, acting, county_id)
        absorber = known_office(self, acting, into_id)
        require_admin_of(acting, county.parent_id, "merge its counties")
        moving = [self.unit(unit_id) for unit_id in units]
        for unit in moving:
            if unit.tenant_id != county.id:
                raise Conflict(f"Unit {unit.code} no longer belongs to {county.code}; retry")
            clash = self.unit_by_code(absorber, unit.code)
            if clash is not None:
                raise RuleViolation(
                    "COUNTY_MERGE_CODE_CLASH",
                    f"Both {county.code} and {absorber.code} have a unit with code {unit.code}; "
                    "recode one of them first",
                    code=unit.code,
                )
        county.merge_into(absorber, effective_on=effective_on, reason=reason)
        for unit in moving:
            unit.reassign(absorber, effective_on=effective_on, reason=reason)
        return Written(county.id, self.store.record(county, absorber, *moving))
