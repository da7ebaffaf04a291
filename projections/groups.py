"""The inspection groups view: each office's groups (巡察组, 督导组, 指导组, 延伸巡察组) as they
stand now, with who holds which post, for `inspectionGroups`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor, sql
from psycopg.rows import class_row

from domain.groups.group import InspectionGroup
from projections import paging
from projections.base import Projection
from projections.paging import Page
from projections.row_security import visible


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
    tables = ("rm_inspection_groups",)
    row_rules: ClassVar[dict[str, str]] = {"rm_inspection_groups": visible("tenant_id")}
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


@dataclass(frozen=True)
class GroupFilter:
    tenant_id: UUID
    kind: str | None = None
    home_township_id: UUID | None = None


_GROUPS = paging.Listing(
    sql.Identifier("rm_inspection_groups"),
    sql.SQL(", ".join(f.name for f in GroupRow.__dataclass_fields__.values())),
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
