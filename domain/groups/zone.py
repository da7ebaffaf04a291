"""`Zone` — a zone (片区) for cooperation (片区协作): a county pools several of its townships,
or a city several of its counties, and their groups cross inside the zone. A cross batch
planned over a zone takes part only of its members."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation, ValidationFailed
from domain.tenants.tenant import Tenant, TenantLevel
from domain.tenants.unit import Unit, UnitType
from domain.text import required_text

MAX_MEMBERS = 200


def _check_members(office: Tenant, townships: list[Unit], counties: list[Tenant]) -> list[UUID]:
    if office.level is TenantLevel.CITY:
        strangers = [c.code for c in counties if c.parent_id != office.id] + [
            t.code for t in townships
        ]
        ids = [c.id for c in counties]
        what = f"counties of {office.code}"
    else:
        strangers = [
            t.code
            for t in townships
            if t.tenant_id != office.id or t.unit_type is not UnitType.TOWNSHIP
        ] + [c.code for c in counties]
        ids = [t.id for t in townships]
        what = f"townships of {office.code}"
    if strangers:
        raise RuleViolation(
            "ZONE_MEMBER", f"A zone pools {what}; {', '.join(strangers)} are not among them"
        )
    if len(set(ids)) != len(ids):
        raise ValidationFailed("A member is named twice", field="memberIds")
    if not 2 <= len(ids) <= MAX_MEMBERS:
        raise ValidationFailed(
            f"A zone pools 2 to {MAX_MEMBERS} members; {len(ids)} were named", field="memberIds"
        )
    return ids


class Zone(AuditedAggregate):
    @classmethod
    def define(
        cls,
        *,
        office: Tenant,
        name: str,
        townships: list[Unit] | None = None,
        counties: list[Tenant] | None = None,
    ) -> Zone:
        """Define a zone of a county's townships, or of a city's counties."""
        return cls(
            id=uuid4(),
            tenant_id=office.id,
            name=required_text(name, "name", max_length=100),
            member_ids=_check_members(office, townships or [], counties or []),
        )

    class Defined(AuditedAggregate.Created):
        class_version = 1
        name: str
        member_ids: list[UUID]  # townships (a county's zone) or counties (a city's)

    @event(Defined)
    def __init__(
        self, tenant_id: UUID, name: str, member_ids: list[UUID], id: UUID | None = None
    ) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.member_ids = [UUID(str(m)) for m in member_ids]

    def check_pools(self, office_id: UUID, ids: Iterable[UUID]) -> None:
        """Refuse a batch of `office_id` over this zone that names a party outside it."""
        if office_id != self.tenant_id:
            raise RuleViolation("ZONE_OFFICE", f"Zone {self.name} belongs to another office")
        outside = [i for i in ids if i not in self.member_ids]
        if outside:
            raise RuleViolation(
                "ZONE_OUTSIDE",
                f"{outside[0]} is not a member of zone {self.name}",
                member_id=str(outside[0]),
            )
