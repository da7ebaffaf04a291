"""`Tenant` — an inspection office: a city (市委巡察机构) or a county/district (县/区委巡察机构)."""

from __future__ import annotations

from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation
from domain.text import required_text

TENANT_NAMESPACE = uuid5(NAMESPACE_URL, "https://xuncha.invalid/tenant")


class TenantLevel(StrEnum):
    CITY = "CITY"
    COUNTY = "COUNTY"


# Which level a tenant's parent must have. The hierarchy is a tree: a province level can be
# added here without touching the rest.
PARENT_LEVEL: dict[TenantLevel, TenantLevel | None] = {
    TenantLevel.CITY: None,
    TenantLevel.COUNTY: TenantLevel.CITY,
}


def tenant_id_for(code: str) -> UUID:
    """A tenant's id follows from its code, so the same code cannot be registered twice."""
    return uuid5(TENANT_NAMESPACE, code.strip())


class Tenant(AuditedAggregate):
    @staticmethod
    def create_id(tenant_id: UUID) -> UUID:
        return tenant_id

    @classmethod
    def register(cls, *, code: str, name: str, level: TenantLevel, parent: Tenant | None) -> Tenant:
        code = required_text(code, "code", max_length=64)
        name = required_text(name, "name")
        expected = PARENT_LEVEL[level]
        if expected is None and parent is not None:
            raise RuleViolation(
                "TENANT_PARENT_LEVEL", f"A {level} office has no parent; {parent.code} was given"
            )
        if expected is not None and (parent is None or parent.level != expected):
            raise RuleViolation(
                "TENANT_PARENT_LEVEL", f"A {level} office must have a parent {expected} office"
            )
        return cls(
            tenant_id=tenant_id_for(code),
            code=code,
            name=name,
            level=level.value,
            parent_id=parent.id if parent else None,
        )

    class Registered(AuditedAggregate.Created):
        code: str
        name: str
        level: str
        parent_id: UUID | None

    @event(Registered)
    def __init__(
        self, tenant_id: UUID, code: str, name: str, level: str, parent_id: UUID | None
    ) -> None:
        self.tenant_id = tenant_id
        self.code = code
        self.name = name
        self.level = TenantLevel(level)
        self.parent_id = parent_id
