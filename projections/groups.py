"""The inspection groups view: each office's groups (巡察组, 督导组, 指导组, 延伸巡察组) as they
stand now, with who holds which post, for `inspectionGroups`; and the visits of guidance
and supervisory groups (蹲点指导) with their suggestions, for `guidanceVisits`; and the zones
(片区) batches are planned over, for `zones`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor, sql
from psycopg.rows import class_row

from domain.groups.group import InspectionGroup
from domain.groups.zone import Zone
from projections import paging
from projections.base import Projection
from projections.paging import Page
from projections.row_security import either, visible


@dataclass(frozen=True)
class GroupRow:
    group_id: UUID
    tenant_id: UUID
    name: str
    kind: str
    home_township_id: UUID | None
    leader_ids: list[UUID]
    deputy_ids: list[UUID]
    member_ids: list[UUID]
    liaison_ids: list[UUID]
    version: int
    position: int


_STAFF = ("leader_ids", "deputy_ids", "member_ids", "liaison_ids")
_ROLES = {
    "LEADER": "leader_ids",
    "DEPUTY_LEADER": "deputy_ids",
    "MEMBER": "member_ids",
    "LIAISON": "liaison_ids",
}


def _staff_columns(staff: dict[str, list[UUID]]) -> list[list[UUID]]:
    """The staff as recorded (role -> ids), in the order of the `_STAFF` columns."""
    by_column = {_ROLES[role]: ids for role, ids in staff.items()}
    return [[UUID(str(i)) for i in by_column.get(column, [])] for column in _STAFF]


class GroupsView(Projection):
    name = "inspection_groups"
    tables = ("rm_inspection_groups", "rm_guidance_visits", "rm_zones")
    row_rules: ClassVar[dict[str, str]] = {
        "rm_inspection_groups": visible("tenant_id"),
        "rm_zones": visible("tenant_id"),
        # the group's office, the round's organiser and the unit's owner (and their cities)
        "rm_guidance_visits": either(
            visible("group_tenant_id"), visible("round_tenant_id"), visible("unit_owner_id")
        ),
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_inspection_groups (
        group_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        home_township_id uuid,
        leader_ids uuid[] NOT NULL,
        deputy_ids uuid[] NOT NULL,
        member_ids uuid[] NOT NULL,
        liaison_ids uuid[] NOT NULL,
        version integer NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_inspection_groups_tenant
        ON rm_inspection_groups (tenant_id, position);
    CREATE TABLE IF NOT EXISTS rm_guidance_visits (
        visit_id uuid PRIMARY KEY,
        group_id uuid NOT NULL,
        group_tenant_id uuid NOT NULL,
        group_name text NOT NULL,
        round_id uuid NOT NULL,
        round_tenant_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        unit_owner_id uuid NOT NULL,
        started_on date NOT NULL,
        ended_on date NOT NULL,
        suggestions text[] NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_guidance_visits_round ON rm_guidance_visits (round_id);
    CREATE INDEX IF NOT EXISTS rm_guidance_visits_group ON rm_guidance_visits (group_id);
    CREATE TABLE IF NOT EXISTS rm_zones (
        zone_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        member_ids uuid[] NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_zones_tenant ON rm_zones (tenant_id, position);
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: InspectionGroup.Formed, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_inspection_groups (group_id, tenant_id, name, kind, "
            "home_township_id, leader_ids, deputy_ids, member_ids, liaison_ids, version, "
            "position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.name,
                event.kind,
                event.home_township_id,
                *_staff_columns(event.staff),
                event.originator_version,
                position,
            ),
        )

    @apply.register
    def _(self, event: InspectionGroup.MembersChanged, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_inspection_groups SET leader_ids = %s, deputy_ids = %s, "
            "member_ids = %s, liaison_ids = %s, version = %s WHERE group_id = %s",
            (*_staff_columns(event.staff), event.originator_version, event.originator_id),
        )

    @apply.register
    def _(self, event: InspectionGroup.VisitRecorded, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            # the group's name goes with the visit: a county reads a city group's visits
            # without reading the city's groups
            "INSERT INTO rm_guidance_visits (visit_id, group_id, group_tenant_id, group_name, "
            "round_id, round_tenant_id, unit_id, unit_owner_id, started_on, ended_on, "
            "suggestions, position) SELECT %s, %s, %s, name, %s, %s, %s, %s, %s, %s, %s, %s "
            "FROM rm_inspection_groups WHERE group_id = %s",
            (
                event.visit_id,
                event.originator_id,
                event.tenant_id,
                event.round_id,
                event.round_tenant_id,
                event.unit_id,
                event.unit_owner_id,
                event.started_on,
                event.ended_on,
                list(event.suggestions),
                position,
                event.originator_id,
            ),
        )

    @apply.register
    def _(self, event: Zone.Defined, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_zones (zone_id, tenant_id, name, member_ids, position) "
            "VALUES (%s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.name,
                [UUID(str(m)) for m in event.member_ids],
                position,
            ),
        )


@dataclass(frozen=True)
class GroupFilter:
    tenant_id: UUID
    kind: str | None = None
    home_township_id: UUID | None = None


_GROUPS = paging.Listing(
    sql.Identifier("rm_inspection_groups"),
    sql.SQL(", ".join(GroupRow.__dataclass_fields__)),
    class_row(GroupRow),
    lambda row: row.position,
)


def groups_page(
    conn: Connection[Any], where: GroupFilter, *, first: int, after: str | None
) -> Page[GroupRow]:
    """An office's groups in the order they were formed."""
    conditions = paging.Where()
    conditions.add("tenant_id = %s", where.tenant_id)
    conditions.given(where.kind, "kind = %s")
    conditions.given(where.home_township_id, "home_township_id = %s")
    return _GROUPS.page(conn, paging.keyset(after, first), conditions)


def groups_by_id(conn: Connection[Any], ids: list[UUID]) -> dict[UUID, GroupRow]:
    with conn.cursor(row_factory=class_row(GroupRow)) as cur:
        rows = cur.execute(
            "SELECT * FROM rm_inspection_groups WHERE group_id = ANY(%s)", (ids,)
        ).fetchall()
    return {row.group_id: row for row in rows}


@dataclass(frozen=True)
class VisitRow:
    visit_id: UUID
    group_id: UUID
    group_tenant_id: UUID
    group_name: str
    round_id: UUID
    unit_id: UUID
    started_on: date
    ended_on: date
    suggestions: list[str]
    position: int


@dataclass(frozen=True)
class VisitFilter:
    round_id: UUID | None = None
    group_id: UUID | None = None
    unit_id: UUID | None = None


_VISITS = paging.Listing(
    sql.Identifier("rm_guidance_visits"),
    sql.SQL(", ".join(VisitRow.__dataclass_fields__)),
    class_row(VisitRow),
    lambda row: row.position,
)


def visits_page(
    conn: Connection[Any], where: VisitFilter, *, first: int, after: str | None
) -> Page[VisitRow]:
    """Guidance visits in the order they were recorded."""
    conditions = paging.Where()
    conditions.given(where.round_id, "round_id = %s")
    conditions.given(where.group_id, "group_id = %s")
    conditions.given(where.unit_id, "unit_id = %s")
    return _VISITS.page(conn, paging.keyset(after, first), conditions)


@dataclass(frozen=True)
class ZoneRow:
    zone_id: UUID
    tenant_id: UUID
    name: str
    member_ids: list[UUID]


MAX_ZONES = 500


def zones_of(conn: Connection[Any], tenant_id: UUID) -> list[ZoneRow]:
    """An office's zones in the order they were defined (at most MAX_ZONES)."""
    with conn.cursor(row_factory=class_row(ZoneRow)) as cur:
        return cur.execute(
            "SELECT zone_id, tenant_id, name, member_ids FROM rm_zones WHERE tenant_id = %s "
            "ORDER BY position LIMIT %s",
            (tenant_id, MAX_ZONES),
        ).fetchall()
