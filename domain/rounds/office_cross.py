"""Cross inspection inside one office (Hanjiang's 推磨式): the townships taking part form the
same ring as the counties of a city batch (`cross_batch`), each with the group drawn from it.

ROTATION: the group of township i, whole (全建制), inspects the chosen villages of township
i+shift, never those of its home township. EXCHANGE: township i hosts; its own group provides
leader and liaison, the group of township i+shift the deputy and members (who inspect a
township not their own). A batch may be planned over a zone (片区协作, `Zone`): then every
township taking part is one of the zone's, and each round records the zone.

The supervisory group (督导组) overseeing the batch is recorded on every round."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.errors import RuleViolation, ValidationFailed
from domain.groups.group import GroupKind, InspectionGroup
from domain.groups.zone import Zone
from domain.inspectors.inspector import Inspector
from domain.rounds import cross_batch
from domain.rounds.values import CrossMode, SelectionReason, Target, TeamRole
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit

NAMES = ("township", "townships")


@dataclass(frozen=True)
class Crossing:
    """One round's place in a batch inside an office: which group inspects which township."""

    mode: CrossMode
    owning_township_id: UUID
    inspecting_group_id: UUID
    home_township_id: UUID  # of the inspecting group
    host_group_id: UUID | None = None  # EXCHANGE: the owning township's group
    supervisory_group_id: UUID | None = None
    zone_id: UUID | None = None
    zone: str | None = None  # the zone's name

    def staffing_group(self, role: TeamRole) -> UUID:
        """The group whose cadres may fill `role`."""
        if self.host_group_id is not None and role in cross_batch.HOST_ROLES:
            return self.host_group_id
        return self.inspecting_group_id

    def hosts(self, role: TeamRole) -> bool:
        """Whether `role` is filled by the owning township's own group (EXCHANGE, by design)."""
        return self.staffing_group(role) == self.host_group_id

    def as_record(self) -> dict[str, Any]:
        return {
            "mode": self.mode.value,
            "owning_township_id": self.owning_township_id,
            "inspecting_group_id": self.inspecting_group_id,
            "home_township_id": self.home_township_id,
            "host_group_id": self.host_group_id,
            "supervisory_group_id": self.supervisory_group_id,
            "zone_id": self.zone_id,
            "zone": self.zone,
        }

    @staticmethod
    def of(record: dict[str, Any]) -> Crossing:
        def uuid(key: str) -> UUID | None:
            return UUID(str(record[key])) if record.get(key) is not None else None

        return Crossing(
            mode=CrossMode(record["mode"]),
            owning_township_id=UUID(str(record["owning_township_id"])),
            inspecting_group_id=UUID(str(record["inspecting_group_id"])),
            home_township_id=UUID(str(record["home_township_id"])),
            host_group_id=uuid("host_group_id"),
            supervisory_group_id=uuid("supervisory_group_id"),
            zone_id=uuid("zone_id"),
            zone=record.get("zone"),
        )


@dataclass(frozen=True)
class Village:
    """A chosen village and why it was chosen."""

    unit: Unit
    reasons: tuple[SelectionReason, ...] = ()


@dataclass(frozen=True)
class TakingPart:
    """A township of the batch, the group drawn from it, and its villages to be inspected."""

    township: Unit
    group: InspectionGroup
    villages: list[Village]


@dataclass(frozen=True)
class PlannedCrossing:
    crossing: Crossing
    inspecting: TakingPart
    owning: TakingPart

    @property
    def targets(self) -> list[Target]:
        return [Target(v.unit.id, v.unit.tenant_id, v.reasons) for v in self.owning.villages]

    def groups(self) -> list[InspectionGroup]:
        """The groups staffing the round: the inspecting group, and an EXCHANGE host's."""
        if self.crossing.host_group_id is None:
            return [self.inspecting.group]
        return [self.owning.group, self.inspecting.group]


def generate(
    office: Tenant,
    parties: list[TakingPart],
    mode: CrossMode,
    *,
    shift: int = 1,
    supervisory: InspectionGroup | None = None,
    zone: Zone | None = None,
) -> list[PlannedCrossing]:
    """The batch over `parties` (of `zone`, if given), or why none exists."""
    for party in parties:
        _check_party(office, party)
    if len({p.group.id for p in parties}) != len(parties):
        raise ValidationFailed("A group is named twice", field="townships")
    if supervisory is not None:
        _check_supervisory(office, supervisory)
    if zone is not None:
        zone.check_pools(office.id, (p.township.id for p in parties))
    by_id = {p.township.id: p for p in parties}
    ring = [cross_batch.County(p.township.id, p.township.code) for p in parties]
    batch = []
    for assignment in cross_batch.generate(ring, mode, shift, names=NAMES):
        inspecting, owning = by_id[assignment.inspecting.id], by_id[assignment.owning.id]
        crossing = Crossing(
            mode=mode,
            owning_township_id=owning.township.id,
            inspecting_group_id=inspecting.group.id,
            home_township_id=inspecting.township.id,
            host_group_id=owning.group.id if mode is CrossMode.EXCHANGE else None,
            supervisory_group_id=supervisory.id if supervisory else None,
            zone_id=zone.id if zone else None,
            zone=zone.name if zone else None,
        )
        batch.append(PlannedCrossing(crossing, inspecting, owning))
    return batch


def _check_party(office: Tenant, party: TakingPart) -> None:
    township, group = party.township, party.group
    if group.tenant_id != office.id or not group.kind.inspects:
        raise RuleViolation(
            "CROSS_GROUP_KIND",
            f"Group {group.name} is not an inspecting (INSPECTION or EXTENSION) group of "
            f"{office.code}",
            group_id=str(group.id),
        )
    if group.home_township_id != township.id:
        raise RuleViolation(
            "CROSS_GROUP_HOME_TOWNSHIP",
            f"Group {group.name} is not drawn from township {township.name}",
            group_id=str(group.id),
            unit_id=str(township.id),
        )
    if not party.villages:
        raise ValidationFailed(
            f"No villages of township {township.name} were chosen", field="targets"
        )
    for village in party.villages:
        if village.unit.tenant_id != office.id or village.unit.parent_id != township.id:
            raise RuleViolation(
                "CROSS_TARGET_TOWNSHIP",
                f"Unit {village.unit.name} does not belong to township {township.name}",
                unit_id=str(village.unit.id),
            )


def _check_supervisory(office: Tenant, group: InspectionGroup) -> None:
    if group.tenant_id != office.id or group.kind is not GroupKind.SUPERVISORY:
        raise RuleViolation(
            "CROSS_SUPERVISORY_GROUP",
            f"Group {group.name} is not a SUPERVISORY group of {office.code}",
            group_id=str(group.id),
        )


def check_not_home(crossing: Crossing) -> None:
    """No group inspects its home township, except as an EXCHANGE host (by design)."""
    if crossing.home_township_id == crossing.owning_township_id:
        raise RuleViolation(
            "CROSS_HOME_TOWNSHIP",
            f"Group {crossing.inspecting_group_id} would inspect its home township "
            f"{crossing.home_township_id}",
            group_id=str(crossing.inspecting_group_id),
            unit_id=str(crossing.owning_township_id),
        )


def check_team_member(
    crossing: Crossing,
    inspector: Inspector,
    role: TeamRole,
    groups: frozenset[UUID],
    home_townships: frozenset[UUID],
) -> None:
    """A team member of a cross round inside the office is a cadre of the group staffing
    their role, and does not come from the township inspected (地域回避 by township)."""
    staffing = crossing.staffing_group(role)
    if staffing not in groups:
        raise RuleViolation(
            "TEAM_GROUP",
            f"Inspector {inspector.name} is not a cadre of group {staffing}, which staffs the "
            f"{role} of this cross round",
            inspector_id=str(inspector.id),
            group_id=str(staffing),
        )
    if crossing.owning_township_id in home_townships and not crossing.hosts(role):
        raise RuleViolation(
            "RECUSAL_HOME_TOWNSHIP",
            f"Inspector {inspector.name} ({inspector.id}) must recuse from township "
            f"{crossing.owning_township_id}: it is their home township",
            inspector_id=str(inspector.id),
            unit_id=str(crossing.owning_township_id),
        )
