"""What a command may name, and which objects it may act on. A command that names an office,
unit or round its caller may not know of is answered NOT_FOUND, as if it did not exist, before
any rule could describe it (a rule's message names codes and owners). Reads have their own
scope (services/reads.py); this is the same line drawn for the ids a writer sends.

A caller knows the offices of its city (the city and its counties); its own units and its
counties' units, and the targets of a round it takes part in; and the rounds in which an office
of its city takes part or owns targets.

A clue or round a command acts on must be one the caller reads (`seen`: the read scope of
services/authorization.py, its own office and, for a city, its counties); one it does not is
answered exactly as one that does not exist, so that neither FORBIDDEN nor a rule tells a caller
that an id it may not see exists."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.errors import NotFound
from domain.rounds.round import Round
from domain.tenants.unit import Unit
from services.authorization import Acting
from services.tenants import TenantService, knows_office


def reads_office(tenants: TenantService, acting: Acting, office_ids: Iterable[UUID | None]) -> bool:
    """Whether one of the offices is in `acting`'s read scope: its own office, or a county of
    it (services/authorization.scope_of, drawn from the store rather than the read model)."""
    if acting.deployment_wide:
        return True
    own = acting.tenant_id

    def read(office: UUID) -> bool:
        return office == own or (
            tenants.store.exists(office) and tenants.tenant(office).parent_id == own
        )

    return own is not None and any(read(office) for office in office_ids if office is not None)


def seen(
    tenants: TenantService, acting: Acting, readers: Iterable[UUID | None], what: str, id_: UUID
) -> None:
    """NOT_FOUND, worded as for an id that does not exist, unless `acting` reads one of the
    offices that read the object."""
    if not reads_office(tenants, acting, readers):
        raise NotFound.no(what, id_)


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
    raise NotFound.no("unit", unit_id)


def known_round(tenants: TenantService, acting: Acting, round_: Round) -> Round:
    offices = [*round_.offices_taking_part, round_.owning_county_id]
    if not knows_office(tenants, acting, offices + [t.owner_id for t in round_.targets]):
        raise NotFound.no("round", round_.id)
    return round_
