"""`Unit` — an inspected Party organisation (被巡察对象), owned by one tenant; units form a tree.

A unit keeps its identity for life: renaming, reclassifying, moving under another township or
to another office (when counties merge) are events on its own stream, never rewrites."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation, ValidationFailed
from domain.tenants.tenant import Tenant
from domain.tenants.versioning import HashPreservingUpcast, mark_upcast
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
PARENT_TYPES: dict[UnitType, frozenset[UnitType]] = {
    UnitType.VILLAGE: frozenset({UnitType.TOWNSHIP}),
    UnitType.COMMUNITY: frozenset({UnitType.TOWNSHIP}),
}

MAX_CLASS_TAGS = 20


def unit_id_for(tenant_id: UUID, code: str) -> UUID:
    """A unit's id follows from its first owner and code: one code names one unit per tenant."""
    return uuid5(tenant_id, f"unit:{code.strip()}")


def clean_class_tags(tags: Sequence[str]) -> list[str]:
    """Class codes as recorded: stripped, without duplicates, in the order given."""
    cleaned: list[str] = []
    for tag in tags:
        text = required_text(tag, "classTags", max_length=64)
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_CLASS_TAGS:
        raise ValidationFailed(
            f"A unit has at most {MAX_CLASS_TAGS} classes; {len(cleaned)} were given",
            field="classTags",
        )
    return cleaned


def check_parent(owner_id: UUID, unit_type: UnitType, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.tenant_id != owner_id:
        raise RuleViolation(
            "UNIT_PARENT_TENANT",
            f"Parent unit {parent.code} belongs to another office than the unit's",
        )
    allowed = PARENT_TYPES.get(unit_type)
    if allowed is not None and parent.unit_type not in allowed:
        raise RuleViolation(
            "UNIT_PARENT_TYPE",
            f"A {unit_type} belongs to a TOWNSHIP, not to a {parent.unit_type}",
        )


class Unit(AuditedAggregate):
    @staticmethod
    def create_id(tenant_id: UUID, code: str) -> UUID:
        return unit_id_for(tenant_id, code)

    @classmethod
    def register(
        cls,
        *,
        owner: Tenant,
        code: str,
        name: str,
        unit_type: UnitType,
        parent: Unit | None,
        tags: Sequence[str] = (),
    ) -> Unit:
        code = required_text(code, "code", max_length=64)
        name = required_text(name, "name")
        check_parent(owner.id, unit_type, parent)
        if owner.merged_into is not None:
            raise RuleViolation(
                "TENANT_MERGED", f"{owner.code} has merged into another office; it owns no units"
            )
        return cls(
            tenant_id=owner.id,
            code=code,
            name=name,
            unit_type=unit_type.value,
            parent_id=parent.id if parent else None,
            class_tags=clean_class_tags(tags),
        )

    class Registered(HashPreservingUpcast, AuditedAggregate.Created):
        """v1 had no class tags; v2 records the classes the unit had when registered."""

        class_version = 2
        code: str
        name: str
        unit_type: str
        parent_id: UUID | None
        class_tags: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            mark_upcast(state, added=("class_tags",))
            state["class_tags"] = []

    @event(Registered)
    def __init__(
        self,
        tenant_id: UUID,
        code: str,
        name: str,
        unit_type: str,
        parent_id: UUID | None,
        class_tags: list[str],
    ) -> None:
        self.tenant_id = tenant_id
        self.code = code
        self.name = name
        self.unit_type = UnitType(unit_type)
        self.parent_id = parent_id
        # (effective from, classes) in the order recorded; None means since registration.
        self.classifications: list[tuple[date | None, list[str]]] = [(None, list(class_tags))]

    # -- renaming ---------------------------------------------------------------------------

    def rename(self, name: str, *, reason: str) -> None:
        name = required_text(name, "name")
        if name == self.name:
            raise RuleViolation("UNIT_NAME_UNCHANGED", f"Unit {self.code} is already {name}")
        self._renamed(name=name, reason=reason)

    class Renamed(AuditedAggregate.Event):
        class_version = 1
        name: str
        reason: str

    @event(Renamed)
    def _renamed(self, name: str, reason: str) -> None:
        self.name = name

    # -- classes ----------------------------------------------------------------------------

    def reclassify(self, tags: Sequence[str], *, effective_from: date, reason: str) -> None:
        """From `effective_from` on, the unit's classes are `tags` (earlier dates keep theirs)."""
        tags = clean_class_tags(tags)
        if tags == self.classes_on(effective_from):
            raise RuleViolation(
                "UNIT_CLASSES_UNCHANGED", f"Unit {self.code} already has these classes then"
            )
        self._reclassified(class_tags=tags, effective_from=effective_from, reason=reason)

    class Reclassified(AuditedAggregate.Event):
        class_version = 1
        class_tags: list[str]
        effective_from: date
        reason: str

    @event(Reclassified)
    def _reclassified(self, class_tags: list[str], effective_from: date, reason: str) -> None:
        self.classifications.append((effective_from, list(class_tags)))

    def classes_on(self, on: date) -> list[str]:
        """The unit's classes in force on `on`: the latest-effective classification not after
        it; among equal dates the one recorded last."""
        in_force = [
            (effective_from or date.min, index, tags)
            for index, (effective_from, tags) in enumerate(self.classifications)
            if effective_from is None or effective_from <= on
        ]
        return list(max(in_force)[2]) if in_force else []

    @property
    def latest_classes(self) -> list[str]:
        """The classes most recently recorded, whatever their effective date."""
        return list(self.classifications[-1][1])

    # -- type and place in the tree ---------------------------------------------------------

    def retype(self, unit_type: UnitType, *, parent: Unit | None, reason: str) -> None:
        """Change the unit's type; `parent` is its current parent, which must suit the type."""
        if unit_type == self.unit_type:
            raise RuleViolation("UNIT_TYPE_UNCHANGED", f"Unit {self.code} is already {unit_type}")
        check_parent(self.tenant_id, unit_type, parent)
        self._retyped(unit_type=unit_type.value, reason=reason)

    class Retyped(AuditedAggregate.Event):
        class_version = 1
        unit_type: str
        reason: str

    @event(Retyped)
    def _retyped(self, unit_type: str, reason: str) -> None:
        self.unit_type = UnitType(unit_type)

    def move(self, parent: Unit | None, *, reason: str) -> None:
        """Place the unit under another parent of the same office (or at the top)."""
        if parent is not None and parent.id == self.id:
            raise RuleViolation("UNIT_PARENT_SELF", f"Unit {self.code} cannot contain itself")
        check_parent(self.tenant_id, self.unit_type, parent)
        new_parent = parent.id if parent else None
        if new_parent == self.parent_id:
            raise RuleViolation("UNIT_PARENT_UNCHANGED", f"Unit {self.code} is already there")
        self._moved(parent_id=new_parent, reason=reason)

    class Moved(AuditedAggregate.Event):
        class_version = 1
        parent_id: UUID | None
        reason: str

    @event(Moved)
    def _moved(self, parent_id: UUID | None, reason: str) -> None:
        self.parent_id = parent_id

    def reassign(self, to: Tenant, *, effective_on: date, reason: str) -> None:
        """The unit now belongs to office `to` (e.g. its county merged into `to`). The event
        is recorded under the former owner; later events carry the new one."""
        if to.id == self.tenant_id:
            raise RuleViolation("UNIT_OWNER_UNCHANGED", f"Unit {self.code} already belongs there")
        self._reassigned(
            from_tenant_id=self.tenant_id,
            to_tenant_id=to.id,
            effective_on=effective_on,
            reason=reason,
        )

    class Reassigned(AuditedAggregate.Event):
        class_version = 1
        from_tenant_id: UUID
        to_tenant_id: UUID
        effective_on: date
        reason: str

    @event(Reassigned)
    def _reassigned(
        self, from_tenant_id: UUID, to_tenant_id: UUID, effective_on: date, reason: str
    ) -> None:
        self.tenant_id = to_tenant_id
