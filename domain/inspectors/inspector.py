"""`Inspector` — a cadre who can serve on an inspection team (巡察干部): home office, current
and past postings, and declared relations (kinship to a named person in a unit's leadership)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.tenants.tenant import Tenant
from domain.tenants.versioning import HashPreservingUpcast, mark_upcast
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

    @property
    def key(self) -> tuple[Kinship, str, UUID]:
        """What tells two relations apart: the position held may be corrected."""
        return (self.kinship, self.person, self.unit_id)

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


def inspector_id_for(home_tenant_id: UUID, staff_number: str) -> UUID:
    """An inspector's id follows from their home office and staff number (工号)."""
    return uuid5(home_tenant_id, f"inspector:{staff_number.strip()}")


def _check_counts(postings: list[Posting], relations: list[Relation]) -> None:
    if len(postings) > MAX_POSTINGS:
        raise ValidationFailed(f"At most {MAX_POSTINGS} postings", field="postings")
    if len(relations) > MAX_RELATIONS:
        raise ValidationFailed(f"At most {MAX_RELATIONS} relations", field="relations")
    if len({(p.unit_id, p.start) for p in postings}) < len(postings):
        raise ValidationFailed("Two postings at one unit start on the same day", field="postings")
    if len({r.key for r in relations}) < len(relations):
        raise ValidationFailed("A relation is declared twice", field="relations")


class Inspector(AuditedAggregate):
    @staticmethod
    def create_id(tenant_id: UUID, staff_number: str | None) -> UUID:
        return inspector_id_for(tenant_id, staff_number) if staff_number else uuid4()

    @classmethod
    def register(
        cls,
        *,
        home: Tenant,
        name: str,
        postings: list[Posting],
        relations: list[Relation],
        staff_number: str | None = None,
    ) -> Inspector:
        _check_counts(postings, relations)
        number = required_text(staff_number, "staffNumber", max_length=64) if staff_number else None
        return cls(
            tenant_id=home.id,
            staff_number=number,
            name=required_text(name, "name", max_length=100),
            postings=[p.as_record() for p in postings],
            relations=[r.as_record() for r in relations],
        )

    class Registered(HashPreservingUpcast, AuditedAggregate.Created):
        """v1 had no staff number; v2 records it (None for cadres registered without one)."""

        class_version = 2
        staff_number: str | None
        name: str
        postings: list[dict[str, Any]]
        relations: list[dict[str, Any]]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            mark_upcast(state, added=("staff_number",))
            state["staff_number"] = None

    @event(Registered)
    def __init__(
        self,
        tenant_id: UUID,
        staff_number: str | None,
        name: str,
        postings: list[dict[str, Any]],
        relations: list[dict[str, Any]],
    ) -> None:
        self.tenant_id = tenant_id
        self.staff_number = staff_number
        self.name = name
        self.postings = [Posting.of(p) for p in postings]
        self.relations = [Relation.of(r) for r in relations]

    @property
    def home_tenant_id(self) -> UUID:
        return self.tenant_id

    # -- changes after registration ---------------------------------------------------------

    def rename(self, name: str, *, reason: str) -> None:
        name = required_text(name, "name", max_length=100)
        if name == self.name:
            raise Conflict(f"Inspector {self.id} is already named {name}")
        self._renamed(name=name, reason=reason)

    class Renamed(AuditedAggregate.Event):
        class_version = 1
        name: str
        reason: str

    @event(Renamed)
    def _renamed(self, name: str, reason: str) -> None:
        self.name = name

    def add_posting(self, posting: Posting, *, reason: str) -> None:
        if self._posting(posting.unit_id, posting.start) is not None:
            raise Conflict(
                f"Inspector {self.name} already has a posting at unit {posting.unit_id} "
                f"from {posting.start}"
            )
        if len(self.postings) >= MAX_POSTINGS:
            raise ValidationFailed(f"At most {MAX_POSTINGS} postings", field="postings")
        self._posting_added(posting=posting.as_record(), reason=reason)

    class PostingAdded(AuditedAggregate.Event):
        class_version = 1
        posting: dict[str, Any]
        reason: str

    @event(PostingAdded)
    def _posting_added(self, posting: dict[str, Any], reason: str) -> None:
        self.postings = [*self.postings, Posting.of(posting)]

    def end_posting(self, unit_id: UUID, start: date, end: date, *, reason: str) -> None:
        """Record the day a post ended (or correct that day)."""
        current = self._posting(unit_id, start)
        if current is None:
            raise NotFound(f"Inspector {self.name} has no posting at unit {unit_id} from {start}")
        Posting(unit_id, start, end)  # refuses an end before the start
        if current.end == end:
            raise Conflict(f"The posting at unit {unit_id} already ends on {end}")
        self._posting_ended(unit_id=unit_id, start=start, end=end, reason=reason)

    class PostingEnded(AuditedAggregate.Event):
        class_version = 1
        unit_id: UUID
        start: date
        end: date
        reason: str

    @event(PostingEnded)
    def _posting_ended(self, unit_id: UUID, start: date, end: date, reason: str) -> None:
        self.postings = [
            Posting(p.unit_id, p.start, end) if (p.unit_id, p.start) == (unit_id, start) else p
            for p in self.postings
        ]

    def remove_posting(self, unit_id: UUID, start: date, *, reason: str) -> None:
        """Strike a posting from the record (entered in error, or no longer on file)."""
        if self._posting(unit_id, start) is None:
            raise NotFound(f"Inspector {self.name} has no posting at unit {unit_id} from {start}")
        self._posting_removed(unit_id=unit_id, start=start, reason=reason)

    class PostingRemoved(AuditedAggregate.Event):
        class_version = 1
        unit_id: UUID
        start: date
        reason: str

    @event(PostingRemoved)
    def _posting_removed(self, unit_id: UUID, start: date, reason: str) -> None:
        self.postings = [p for p in self.postings if (p.unit_id, p.start) != (unit_id, start)]

    def declare_relation(self, relation: Relation, *, reason: str) -> None:
        if any(r.key == relation.key for r in self.relations):
            raise Conflict(
                f"Inspector {self.name} already declared a {relation.kinship} relation to "
                f"{relation.person} at unit {relation.unit_id}"
            )
        if len(self.relations) >= MAX_RELATIONS:
            raise ValidationFailed(f"At most {MAX_RELATIONS} relations", field="relations")
        self._relation_declared(relation=relation.as_record(), reason=reason)

    class RelationDeclared(AuditedAggregate.Event):
        class_version = 1
        relation: dict[str, Any]
        reason: str

    @event(RelationDeclared)
    def _relation_declared(self, relation: dict[str, Any], reason: str) -> None:
        self.relations = [*self.relations, Relation.of(relation)]

    def withdraw_relation(
        self, kinship: Kinship, person: str, unit_id: UUID, *, reason: str
    ) -> None:
        key = (Kinship(kinship), person, unit_id)
        if not any(r.key == key for r in self.relations):
            raise NotFound(f"Inspector {self.name} declared no such relation to {person}")
        self._relation_withdrawn(
            kinship=key[0].value, person=person, unit_id=unit_id, reason=reason
        )

    class RelationWithdrawn(AuditedAggregate.Event):
        class_version = 1
        kinship: str
        person: str
        unit_id: UUID
        reason: str

    @event(RelationWithdrawn)
    def _relation_withdrawn(self, kinship: str, person: str, unit_id: UUID, reason: str) -> None:
        key = (Kinship(kinship), person, unit_id)
        self.relations = [r for r in self.relations if r.key != key]

    def bring_up_to_date(
        self, *, name: str, postings: list[Posting], relations: list[Relation], reason: str
    ) -> int:
        """Make the record match `name`, `postings` and `relations` (an office's file), by
        the verbs above, recording only what differs. Postings are told apart by unit and
        start, relations by kinship, person and unit. Returns how many events were added."""
        _check_counts(postings, relations)
        before = len(self.pending_events)
        if required_text(name, "name", max_length=100) != self.name:
            self.rename(name, reason=reason)
        wanted = {(p.unit_id, p.start): p for p in postings}
        for held in list(self.postings):
            new = wanted.get((held.unit_id, held.start))
            if new is None or (held.end is not None and new.end != held.end):
                # gone from the file, or reopened/cut back: only removing and adding says so
                self.remove_posting(held.unit_id, held.start, reason=reason)
            elif new.end != held.end and new.end is not None:
                self.end_posting(held.unit_id, held.start, new.end, reason=reason)
        for posting in postings:
            if self._posting(posting.unit_id, posting.start) is None:
                self.add_posting(posting, reason=reason)
        wanted_relations = {r.key: r for r in relations}
        for relation in list(self.relations):
            if wanted_relations.get(relation.key) != relation:
                self.withdraw_relation(
                    relation.kinship, relation.person, relation.unit_id, reason=reason
                )
        for relation in relations:
            if relation not in self.relations:
                self.declare_relation(relation, reason=reason)
        return len(self.pending_events) - before

    def _posting(self, unit_id: UUID, start: date) -> Posting | None:
        return next((p for p in self.postings if (p.unit_id, p.start) == (unit_id, start)), None)
