"""`Tenant` — an inspection office: a city (市委巡察机构) or a county/district (县/区委巡察机构)."""

from __future__ import annotations

from datetime import date
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


def office_id_of(given: str) -> UUID:
    """An office named by its id or by its code (e.g. 3701), as people type it."""
    try:
        return UUID(given)
    except ValueError:
        return tenant_id_for(given)


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
        class_version = 1
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
        self.merged_into: UUID | None = None
        self.absorbed: list[UUID] = []  # counties merged into this one, oldest first
        self.former_names: list[tuple[date, str]] = []  # (renamed on, name until then)

    def _require_county_in_service(self) -> None:
        if self.level is not TenantLevel.COUNTY:
            raise RuleViolation(
                "TENANT_NOT_COUNTY", f"{self.code} is a {self.level}; only counties change so"
            )
        if self.merged_into is not None:
            raise RuleViolation(
                "TENANT_MERGED", f"{self.code} has merged into another county and is closed"
            )

    def rename(self, name: str, *, effective_on: date, reason: str) -> None:
        """The county is called `name` from `effective_on` on (e.g. 县 becomes 区)."""
        self._require_county_in_service()
        name = required_text(name, "name")
        if name == self.name:
            raise RuleViolation("TENANT_NAME_UNCHANGED", f"{self.code} is already called {name}")
        self._renamed(name=name, effective_on=effective_on, reason=required_text(reason, "reason"))

    class Renamed(AuditedAggregate.Event):
        class_version = 1
        name: str
        effective_on: date
        reason: str

    @event(Renamed)
    def _renamed(self, name: str, effective_on: date, reason: str) -> None:
        self.former_names.append((effective_on, self.name))
        self.name = name

    def name_on(self, on: date) -> str:
        """The name the office had on `on`."""
        for renamed_on, former in self.former_names:
            if on < renamed_on:
                return former
        return self.name

    def merge_into(self, absorber: Tenant, *, effective_on: date, reason: str) -> None:
        """This county ceases on `effective_on`; its units pass to `absorber` (a county of
        the same city). Its history stays on its own stream and its units' streams."""
        self._require_county_in_service()
        absorber._require_county_in_service()
        if absorber.id == self.id:
            raise RuleViolation("COUNTY_MERGE_SELF", f"{self.code} cannot merge into itself")
        if absorber.parent_id != self.parent_id:
            raise RuleViolation(
                "COUNTY_MERGE_OTHER_CITY",
                f"{self.code} and {absorber.code} belong to different cities",
            )
        reason = required_text(reason, "reason")
        self._merged_into(into_id=absorber.id, effective_on=effective_on, reason=reason)
        absorber._absorbed(
            county_id=self.id,
            namespaces=[self.id, *self.absorbed],
            effective_on=effective_on,
            reason=reason,
        )

    class MergedInto(AuditedAggregate.Event):
        class_version = 1
        into_id: UUID
        effective_on: date
        reason: str

    @event(MergedInto)
    def _merged_into(self, into_id: UUID, effective_on: date, reason: str) -> None:
        self.merged_into = into_id

    class Absorbed(AuditedAggregate.Event):
        class_version = 1
        county_id: UUID
        namespaces: list[UUID]  # the merged county and every county it had absorbed
        effective_on: date
        reason: str

    @event(Absorbed)
    def _absorbed(
        self, county_id: UUID, namespaces: list[UUID], effective_on: date, reason: str
    ) -> None:
        self.absorbed.extend(namespaces)

    @property
    def unit_namespaces(self) -> list[UUID]:
        """The tenants whose unit ids (`unit_id_for`) may name a unit this office owns now."""
        return [self.id, *self.absorbed]
