"""Use cases of inspection groups (巡察组): forming a group of an office and changing who
holds its posts; defining zones (片区) that batches are planned over. An office forms its
own groups and zones, or its city does (as for planning rounds).

Also where a cadre comes from, for the home-township recusal (地域回避) of cross rounds
inside an office: the townships of the posts they hold, and the home townships of their
groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.groups.group import GroupKind, InspectionGroup, Staff
from domain.groups.zone import Zone
from domain.inspectors.inspector import Inspector
from domain.rounds.round import Round
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType
from infrastructure.store import EventStore
from services.authorization import Acting, require_office
from services.inspectors import InspectorService
from services.results import Written
from services.tenants import TenantService, known_office
from services.visibility import known_unit, seen


@dataclass(frozen=True)
class StaffIds:
    """Who holds which post in a group, by inspector id."""

    leader_id: UUID
    deputy_id: UUID | None = None
    member_ids: tuple[UUID, ...] = ()
    liaison_id: UUID | None = None


class GroupService:
    def __init__(
        self, store: EventStore, tenants: TenantService, inspectors: InspectorService
    ) -> None:
        self.store = store
        self.tenants = tenants
        self.inspectors = inspectors

    def group(self, group_id: UUID) -> InspectionGroup:
        return self.store.load(InspectionGroup, group_id, what="inspection group")

    def group_for(self, acting: Acting, group_id: UUID) -> InspectionGroup:
        """The group, or NOT_FOUND as for an id nobody formed unless `acting` knows its
        office."""
        group = self.group(group_id)
        seen(self.tenants, acting, [group.tenant_id], "inspection group", group_id)
        return group

    def form_group(
        self,
        *,
        tenant_id: UUID,
        name: str,
        kind: GroupKind,
        staff: StaffIds,
        home_township_id: UUID | None = None,
        acting: Acting,
    ) -> Written:
        office = known_office(self.tenants, acting, tenant_id)
        require_office(acting, {office.id, office.parent_id}, "form its inspection groups")
        township = known_unit(self.tenants, acting, home_township_id) if home_township_id else None
        group = InspectionGroup.form(
            office=office,
            name=name,
            kind=kind,
            staff=self._staff(staff),
            home_township=township,
        )
        return Written(group.id, self.store.record(group))

    def change_group_members(
        self, *, group_id: UUID, staff: StaffIds, reason: str, acting: Acting
    ) -> Written:
        group = self.group_for(acting, group_id)
        office = self.tenants.tenant(group.tenant_id)
        require_office(acting, {office.id, office.parent_id}, "change its inspection groups")
        group.change_members(office=office, staff=self._staff(staff), reason=reason)
        return Written(group.id, self.store.record(group))

    # -- zones (片区) -------------------------------------------------------------------------

    def zone_for(self, acting: Acting, zone_id: UUID) -> Zone:
        zone = self.store.load(Zone, zone_id, what="zone")
        seen(self.tenants, acting, [zone.tenant_id], "zone", zone_id)
        return zone

    def define_zone(
        self, *, tenant_id: UUID, name: str, member_ids: list[UUID], acting: Acting
    ) -> Written:
        """A zone of a county's townships, or of a city's counties."""
        office = known_office(self.tenants, acting, tenant_id)
        require_office(acting, {office.id, office.parent_id}, "define its zones")
        if office.level is TenantLevel.CITY:
            counties = [known_office(self.tenants, acting, m) for m in member_ids]
            zone = Zone.define(office=office, name=name, counties=counties)
        else:
            townships = [known_unit(self.tenants, acting, m) for m in member_ids]
            zone = Zone.define(office=office, name=name, townships=townships)
        return Written(zone.id, self.store.record(zone))

    def _staff(self, ids: StaffIds) -> Staff:
        def cadre(inspector_id: UUID | None) -> Inspector | None:
            return self.inspectors.inspector(inspector_id) if inspector_id else None

        return Staff(
            leader=self.inspectors.inspector(ids.leader_id),
            deputy=cadre(ids.deputy_id),
            members=tuple(self.inspectors.inspector(m) for m in ids.member_ids),
            liaison=cadre(ids.liaison_id),
        )

    # -- where a cadre comes from ---------------------------------------------------------

    def home_townships(self, inspector: Inspector, on: date, *groups: InspectionGroup) -> set[UUID]:
        """The townships `inspector` comes from on `on`: those of the posts they hold (a
        township, or the township of a village), and the home townships of `groups`."""
        townships = {g.home_township_id for g in groups if g.home_township_id is not None}
        for posting in inspector.postings:
            if posting.start > on or not posting.held_since(on):
                continue
            unit = self.tenants.unit(posting.unit_id)
            if unit.unit_type is UnitType.TOWNSHIP:
                townships.add(unit.id)
            elif unit.parent_id is not None:
                townships.add(unit.parent_id)
        return townships

    def staffing_of(
        self, round_: Round, inspector: Inspector
    ) -> tuple[frozenset[UUID], frozenset[UUID]]:
        """For a cross round inside an office: the round's groups `inspector` is a cadre of,
        and the townships they come from (nothing for any other round)."""
        crossing = round_.crossing
        if crossing is None:
            return frozenset(), frozenset()
        ids = {crossing.inspecting_group_id, crossing.host_group_id} - {None}
        groups = [self.group(g) for g in ids if g is not None]
        theirs = [g for g in groups if g.roles_of(inspector.id)]
        townships = self.home_townships(inspector, round_.period.start, *theirs)
        return frozenset(g.id for g in theirs), frozenset(townships)
