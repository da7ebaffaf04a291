"""Use cases of the inspector context: registering cadres who can serve on teams."""

from __future__ import annotations

from uuid import UUID

from domain.errors import Forbidden
from domain.inspectors.inspector import Inspector, Posting, Relation
from services.results import Written
from services.store import EventStore
from services.tenants import Acting, TenantService

WRITING_ROLES = frozenset({"ADMIN", "CITY_OFFICE", "COUNTY_TEAM"})


def require_office(acting: Acting, allowed: set[UUID | None], what: str) -> None:
    """Refuse unless `acting` is the console or writes for one of the `allowed` offices."""
    if acting.operator:
        return
    if acting.role not in WRITING_ROLES or acting.tenant_id not in allowed - {None}:
        raise Forbidden(
            f"Only an office taking part may {what}", required_role="CITY_OFFICE or COUNTY_TEAM"
        )


CONSOLE = Acting.console()


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
        acting: Acting = CONSOLE,
    ) -> Written:
        """Register a cadre of `home_tenant_id`; its office or that office's city may."""
        home = self.tenants.tenant(home_tenant_id)
        require_office(acting, {home.id, home.parent_id}, "register its inspectors")
        for unit_id in {p.unit_id for p in postings} | {r.unit_id for r in relations}:
            self.tenants.unit(unit_id)  # NOT_FOUND for a unit nobody registered
        inspector = Inspector.register(home=home, name=name, postings=postings, relations=relations)
        return Written(inspector.id, self.store.record(inspector))
