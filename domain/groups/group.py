"""`InspectionGroup` — an inspection group (巡察组) of an office: its kind, leader (组长),
deputy (副组长), members, liaison (联络员), all cadres of the office, and the township it is
drawn from (its home township), which it may not inspect in a cross batch (地域回避).
Guidance and supervisory groups record their visits to the villages of a round (蹲点指导)
and the suggestions they leave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.errors import RuleViolation, ValidationFailed
from domain.inspectors.inspector import Inspector
from domain.rounds.values import Period, Target, TeamRole
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit, UnitType
from domain.text import required_text

MAX_MEMBERS = 50
MAX_SUGGESTIONS = 100


class GroupKind(StrEnum):
    INSPECTION = "INSPECTION"  # 巡察组
    SUPERVISORY = "SUPERVISORY"  # 督导组: coordinates progress, judges results
    GUIDANCE = "GUIDANCE"  # 指导组: squats in villages (蹲点指导), leaves suggestions
    EXTENSION = "EXTENSION"  # 延伸巡察组

    @property
    def inspects(self) -> bool:
        """Whether groups of this kind inspect units themselves (and so cross)."""
        return self in (GroupKind.INSPECTION, GroupKind.EXTENSION)


@dataclass(frozen=True)
class Staff:
    """Who holds which post in a group."""

    leader: Inspector
    deputy: Inspector | None = None
    members: tuple[Inspector, ...] = ()
    liaison: Inspector | None = None

    def by_role(self) -> list[tuple[TeamRole, Inspector]]:
        posts = [(TeamRole.LEADER, self.leader)]
        if self.deputy is not None:
            posts.append((TeamRole.DEPUTY_LEADER, self.deputy))
        posts.extend((TeamRole.MEMBER, m) for m in self.members)
        if self.liaison is not None:
            posts.append((TeamRole.LIAISON, self.liaison))
        return posts


def _check_staff(office: Tenant, staff: Staff) -> dict[str, list[UUID]]:
    """The staff as recorded (role -> inspector ids), or why it cannot be."""
    posts = staff.by_role()
    if len(posts) > MAX_MEMBERS:
        raise ValidationFailed(f"A group has at most {MAX_MEMBERS} cadres", field="memberIds")
    ids = [inspector.id for _, inspector in posts]
    if len(set(ids)) != len(ids):
        raise ValidationFailed("A cadre holds two posts in the group", field="memberIds")
    for role, inspector in posts:
        if inspector.home_tenant_id != office.id:
            raise RuleViolation(
                "GROUP_MEMBER_OFFICE",
                f"Inspector {inspector.name} ({role}) is not a cadre of {office.code}",
                inspector_id=str(inspector.id),
            )
    recorded: dict[str, list[UUID]] = {role.value: [] for role in TeamRole}
    for role, inspector in posts:
        recorded[role.value].append(inspector.id)
    return recorded


def _check_home_township(office: Tenant, township: Unit | None) -> UUID | None:
    if township is None:
        return None
    if township.tenant_id != office.id or township.unit_type is not UnitType.TOWNSHIP:
        raise RuleViolation(
            "GROUP_HOME_TOWNSHIP",
            f"A group's home township is a TOWNSHIP of {office.code}; unit {township.code} "
            "is not one",
            unit_id=str(township.id),
        )
    return township.id


class InspectionGroup(AuditedAggregate):
    @classmethod
    def form(
        cls,
        *,
        office: Tenant,
        name: str,
        kind: GroupKind,
        staff: Staff,
        home_township: Unit | None,
        group_id: UUID | None = None,
    ) -> InspectionGroup:
        """Form a group of `office`; a group that inspects (INSPECTION, EXTENSION) names the
        township it is drawn from, so that cross batches keep it out of there."""
        if kind.inspects and home_township is None:
            raise ValidationFailed(
                f"An {kind} group names its home township", field="homeTownshipId"
            )
        return cls(
            id=group_id or uuid4(),
            tenant_id=office.id,
            name=required_text(name, "name", max_length=100),
            kind=kind.value,
            home_township_id=_check_home_township(office, home_township),
            staff=_check_staff(office, staff),
        )

    class Formed(AuditedAggregate.Created):
        class_version = 1
        name: str
        kind: str
        home_township_id: UUID | None
        staff: dict[str, list[UUID]]  # TeamRole -> inspector ids

    @event(Formed)
    def __init__(
        self,
        tenant_id: UUID,
        name: str,
        kind: str,
        home_township_id: UUID | None,
        staff: dict[str, list[UUID]],
        id: UUID | None = None,  # eventsourcing takes a given aggregate id by this name
    ) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.kind = GroupKind(kind)
        self.home_township_id = home_township_id
        self.staff = _staff_of(staff)
        self.visits = 0

    def change_members(self, *, office: Tenant, staff: Staff, reason: str) -> None:
        """Replace who holds the group's posts; refused when nothing changes."""
        recorded = _check_staff(office, staff)
        if _staff_of(recorded) == self.staff:
            raise RuleViolation("GROUP_UNCHANGED", f"Group {self.name} already has these cadres")
        self._members_changed(staff=recorded, reason=required_text(reason, "reason"))

    class MembersChanged(AuditedAggregate.Event):
        class_version = 1
        staff: dict[str, list[UUID]]
        reason: str

    @event(MembersChanged)
    def _members_changed(self, staff: dict[str, list[UUID]], reason: str) -> None:
        self.staff = _staff_of(staff)

    # -- guidance (蹲点指导) -----------------------------------------------------------------

    def record_visit(self, visit: Visit, *, round_: VisitedRound) -> UUID:
        """Record that this guidance or supervisory group squatted in a unit the round
        inspects, from `started_on` to `ended_on`, and the suggestions it left."""
        if self.kind not in (GroupKind.GUIDANCE, GroupKind.SUPERVISORY):
            raise RuleViolation(
                "VISIT_GROUP_KIND",
                f"Group {self.name} is {self.kind}; only GUIDANCE and SUPERVISORY groups visit",
            )
        target = next((t for t in round_.targets if t.unit_id == visit.unit_id), None)
        if target is None:
            raise RuleViolation(
                "VISIT_UNIT_NOT_TARGET",
                f"Unit {visit.unit_id} is not a target of round {round_.id}",
                unit_id=str(visit.unit_id),
            )
        if not round_.period.contains(Period(visit.started_on, visit.ended_on)):
            raise RuleViolation(
                "VISIT_PERIOD",
                f"A visit runs inside round {round_.id}'s period {round_.period.start} – "
                f"{round_.period.end}",
            )
        visit_id = uuid4()
        self._visit_recorded(
            visit_id=visit_id,
            round_id=round_.id,
            round_tenant_id=round_.tenant_id,
            unit_id=visit.unit_id,
            unit_owner_id=target.owner_id,
            started_on=visit.started_on,
            ended_on=visit.ended_on,
            suggestions=visit.suggestions,
        )
        return visit_id

    class VisitRecorded(AuditedAggregate.Event):
        """A visit (蹲点指导) to `unit_id` (owned by `unit_owner_id`) during round `round_id`
        (organised by `round_tenant_id`), with the suggestions left."""

        class_version = 1
        visit_id: UUID
        round_id: UUID
        round_tenant_id: UUID
        unit_id: UUID
        unit_owner_id: UUID
        started_on: date
        ended_on: date
        suggestions: list[str]

    @event(VisitRecorded)
    def _visit_recorded(
        self,
        visit_id: UUID,
        round_id: UUID,
        round_tenant_id: UUID,
        unit_id: UUID,
        unit_owner_id: UUID,
        started_on: date,
        ended_on: date,
        suggestions: list[str],
    ) -> None:
        self.visits += 1

    def roles_of(self, inspector_id: UUID) -> set[TeamRole]:
        return {role for role, ids in self.staff.items() if inspector_id in ids}

    @property
    def cadres(self) -> list[tuple[TeamRole, UUID]]:
        """Each cadre with their post, leader first."""
        return [(role, i) for role in TeamRole for i in self.staff.get(role, [])]


@dataclass(frozen=True)
class Visit:
    """A guidance visit (蹲点指导) as reported: where, when, and the suggestions left."""

    unit_id: UUID
    started_on: date
    ended_on: date
    suggestions: list[str]

    def __post_init__(self) -> None:
        Period(self.started_on, self.ended_on)  # refuses an end before the start
        if len(self.suggestions) > MAX_SUGGESTIONS:
            raise ValidationFailed(
                f"At most {MAX_SUGGESTIONS} suggestions a visit", field="suggestions"
            )
        cleaned = [required_text(s, "suggestions", max_length=2000) for s in self.suggestions]
        object.__setattr__(self, "suggestions", cleaned)


class VisitedRound(Protocol):
    """What a visit needs to know of the round."""

    @property
    def id(self) -> UUID: ...
    @property
    def tenant_id(self) -> UUID: ...
    @property
    def period(self) -> Period: ...
    @property
    def targets(self) -> list[Target]: ...


def _staff_of(recorded: dict[str, list[UUID]]) -> dict[TeamRole, list[UUID]]:
    return {TeamRole(role): [UUID(str(i)) for i in ids] for role, ids in recorded.items()}
