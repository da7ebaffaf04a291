"""`Unit` — an inspected Party organisation (被巡察对象), owned by one tenant; units form a tree."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation
from domain.tenants.tenant import Tenant
from domain.text import required_text


class UnitType(StrEnum):
    VILLAGE = "VILLAGE"
    COMMUNITY = "COMMUNITY"
    TOWNSHIP = "TOWNSHIP"
    DEPARTMENT = "DEPARTMENT"
    ENTERPRISE = "ENTERPRISE"
    SCHOOL = "SCHOOL"
    OTHER = "OTHER"


# A village or community belongs to a township (乡镇/街道) when it has a parent at all.
_PARENT_TYPES: dict[UnitType, frozenset[UnitType]] = {
    UnitType.VILLAGE: frozenset({UnitType.TOWNSHIP}),
    UnitType.COMMUNITY: frozenset({UnitType.TOWNSHIP}),
}


def unit_id_for(tenant_id: UUID, code: str) -> UUID:
    """A unit's id follows from its owner and code: one code names one unit per tenant."""
    return uuid5(tenant_id, f"unit:{code.strip()}")


class Unit(AuditedAggregate):
    @staticmethod
    def create_id(tenant_id: UUID, code: str) -> UUID:
        return unit_id_for(tenant_id, code)

    @classmethod
    def register(
        cls, *, owner: Tenant, code: str, name: str, unit_type: UnitType, parent: Unit | None
    ) -> Unit:
        code = required_text(code, "code", max_length=64)
        name = required_text(name, "name")
        if parent is not None:
            if parent.tenant_id != owner.id:
                raise RuleViolation(
                    "UNIT_PARENT_TENANT",
                    f"Parent unit {parent.code} belongs to another office than {owner.code}",
                )
            allowed = _PARENT_TYPES.get(unit_type)
            if allowed is not None and parent.unit_type not in allowed:
                raise RuleViolation(
                    "UNIT_PARENT_TYPE",
                    f"A {unit_type} belongs to a TOWNSHIP, not to a {parent.unit_type}",
                )
        return cls(
            tenant_id=owner.id,
            code=code,
            name=name,
            unit_type=unit_type.value,
            parent_id=parent.id if parent else None,
        )

    class Registered(AuditedAggregate.Created):
        code: str
        name: str
        unit_type: str
        parent_id: UUID | None

    @event(Registered)
    def __init__(
        self, tenant_id: UUID, code: str, name: str, unit_type: str, parent_id: UUID | None
    ) -> None:
        self.tenant_id = tenant_id
        self.code = code
        self.name = name
        self.unit_type = UnitType(unit_type)
        self.parent_id = parent_id
