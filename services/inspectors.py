"""Use cases of the inspector context: registering cadres who can serve on teams."""

from __future__ import annotations

from uuid import UUID

from domain.errors import Conflict
from domain.inspectors.inspector import Inspector, Posting, Relation, inspector_id_for
from infrastructure.store import EventStore
from services.authorization import Acting, require_office
from services.results import Written
from services.tenants import TenantService, known_office


class InspectorService:
    def __init__(self, store: EventStore, tenants: TenantService) -> None:
        self.store = store
        self.tenants = tenants

    def inspector(self, inspector_id: UUID) -> Inspector:
        return self.store.load(Inspector, inspector_id, what="inspector")

    def register_inspector(
        self,
        *,
        home_tenant_id: UUID,
        name: str,
        postings: list[Posting],
        relations: list[Relation],
        acting: Acting,
        staff_number: str | None = None,
    ) -> Written:
        """Register a cadre of `home_tenant_id`; its office or that office's city may. With a
        staff number (工号) the id follows from it, so one number names one cadre per office."""
        home = known_office(self.tenants, acting, home_tenant_id)
        require_office(acting, {home.id, home.parent_id}, "register its inspectors")
        for unit_id in {p.unit_id for p in postings} | {r.unit_id for r in relations}:
            self.tenants.unit(unit_id)  # NOT_FOUND for a unit nobody registered
        if staff_number and self.store.exists(inspector_id_for(home.id, staff_number)):
            raise Conflict(f"{home.code} already has an inspector with staff number {staff_number}")
        inspector = Inspector.register(
            home=home,
            name=name,
            postings=postings,
            relations=relations,
            staff_number=staff_number,
        )
        return Written(inspector.id, self.store.record(inspector))
