"""What a command may name. A command that names an office, unit or round its caller may not
know of is answered NOT_FOUND, as if it did not exist, before any rule could describe it (a
rule's message names codes and owners). Reads have their own scope (services/reads.py); this
is the same line drawn for the ids a writer sends.

A caller knows the offices of its city (the city and its counties); its own units and its
counties' units, and the targets of a round it takes part in; and the rounds in which an office
of its city takes part or owns targets."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.errors import NotFound
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from services.authorization import Acting
from services.tenants import TenantService


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
    if not knows_office(tenants, acting, [tenant_id]):
        raise NotFound(f"No tenant with id {tenant_id}", id=str(tenant_id))
    return tenants.tenant(tenant_id)


def known_unit(
    tenants: TenantService, acting: Acting, unit_id: UUID, *, target_of: Round | None = None
) -> Unit:
    unit = tenants.unit(unit_id)
    if acting.deployment_wide or acting.tenant_id == unit.tenant_id:
        return unit
    if tenants.tenant(unit.tenant_id).parent_id == acting.tenant_id:
        return unit
    if (
        target_of is not None
        and target_of.inspects(unit_id)
        and acting.tenant_id in target_of.offices_taking_part
    ):
        return unit
    raise NotFound(f"No unit with id {unit_id}", id=str(unit_id))


def known_round(tenants: TenantService, acting: Acting, round_: Round) -> Round:
    offices = [*round_.offices_taking_part, round_.owning_county_id]
    if not knows_office(tenants, acting, offices + [t.owner_id for t in round_.targets]):
        raise NotFound(f"No round with id {round_.id}", id=str(round_.id))
    return round_
