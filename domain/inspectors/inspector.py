"""`Inspector` — a cadre who can serve on an inspection team (巡察干部): home office, current
and past postings, and declared relations (kinship to a named person in a unit's leadership)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import ValidationFailed
from domain.tenants.tenant import Tenant
from domain.text import required_text

MAX_POSTINGS = 100
MAX_RELATIONS = 100


class Kinship(StrEnum):
    """The relations that make an inspector recuse themselves (回避) from a unit."""

    SPOUSE = "SPOUSE"  # 夫妻关系
    LINEAL = "LINEAL"  # 直系血亲
    COLLATERAL = "COLLATERAL"  # 三代以内旁系血亲
    IN_LAW = "IN_LAW"  # 近姻亲


@dataclass(frozen=True)
class Posting:
    """A post held at a unit from `start` to `end` (None while still held)."""

    unit_id: UUID
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValidationFailed(
                f"A posting ends on {self.end}, before it starts on {self.start}",
                field="postings",
            )

    def held_since(self, since: date) -> bool:
        """Whether the post was still held on or after `since`."""
        return self.end is None or self.end >= since

    def as_record(self) -> dict[str, Any]:
        return {"unit_id": self.unit_id, "start": self.start, "end": self.end}

    @staticmethod
    def of(record: dict[str, Any]) -> Posting:
        return Posting(UUID(str(record["unit_id"])), record["start"], record["end"])


@dataclass(frozen=True)
class Relation:
    """Kinship to `person`, who holds `position` in the leadership of a unit."""

    kinship: Kinship
    person: str
    position: str
    unit_id: UUID

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinship", Kinship(self.kinship))
        object.__setattr__(self, "person", required_text(self.person, "relations.person"))
        object.__setattr__(self, "position", required_text(self.position, "relations.position"))

    def as_record(self) -> dict[str, Any]:
        return {
            "kinship": self.kinship.value,
            "person": self.person,
            "position": self.position,
            "unit_id": self.unit_id,
        }

    @staticmethod
    def of(record: dict[str, Any]) -> Relation:
        return Relation(
            Kinship(record["kinship"]),
            record["person"],
            record["position"],
            UUID(str(record["unit_id"])),
        )


class Inspector(AuditedAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    @classmethod
    def register(
        cls, *, home: Tenant, name: str, postings: list[Posting], relations: list[Relation]
    ) -> Inspector:
        if len(postings) > MAX_POSTINGS:
            raise ValidationFailed(f"At most {MAX_POSTINGS} postings", field="postings")
        if len(relations) > MAX_RELATIONS:
            raise ValidationFailed(f"At most {MAX_RELATIONS} relations", field="relations")
        return cls(
            tenant_id=home.id,
            name=required_text(name, "name", max_length=100),
            postings=[p.as_record() for p in postings],
            relations=[r.as_record() for r in relations],
        )

    class Registered(AuditedAggregate.Created):
        class_version = 1
        name: str
        postings: list[dict[str, Any]]
        relations: list[dict[str, Any]]

    @event(Registered)
    def __init__(
        self,
        tenant_id: UUID,
        name: str,
        postings: list[dict[str, Any]],
        relations: list[dict[str, Any]],
    ) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.postings = [Posting.of(p) for p in postings]
        self.relations = [Relation.of(r) for r in relations]

    @property
    def home_tenant_id(self) -> UUID:
        return self.tenant_id
