"""The directory: offices (tenants) and the units they own, as the API lists them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor
from psycopg.rows import class_row

from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from projections.base import Projection


@dataclass(frozen=True)
class TenantRow:
    tenant_id: UUID
    code: str
    name: str
    level: str
    parent_id: UUID | None


@dataclass(frozen=True)
class UnitRow:
    unit_id: UUID
    tenant_id: UUID
    code: str
    name: str
    unit_type: str
    parent_id: UUID | None


class Directory(Projection):
    name = "directory"
    tables = ("rm_tenants", "rm_units")
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_tenants (
        tenant_id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        level text NOT NULL,
        parent_id uuid,
        position bigint NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rm_units (
        unit_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        unit_type text NOT NULL,
        parent_id uuid,
        position bigint NOT NULL,
        UNIQUE (tenant_id, code)
    );
    CREATE INDEX IF NOT EXISTS rm_units_tenant ON rm_units (tenant_id, position);
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Tenant.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_tenants (tenant_id, code, name, level, parent_id, position) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (event.originator_id, event.code, event.name, event.level, event.parent_id, position),
        )

    @apply.register
    def _(self, event: Unit.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_units (unit_id, tenant_id, code, name, unit_type, parent_id, position)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.code,
                event.name,
                event.unit_type,
                event.parent_id,
                position,
            ),
        )


def tenants(conn: Connection[Any]) -> list[TenantRow]:
    with conn.cursor(row_factory=class_row(TenantRow)) as cur:
        return cur.execute(
            "SELECT tenant_id, code, name, level, parent_id FROM rm_tenants ORDER BY position"
        ).fetchall()


def tenants_by_id(conn: Connection[Any], ids: list[UUID]) -> dict[UUID, TenantRow]:
    with conn.cursor(row_factory=class_row(TenantRow)) as cur:
        rows = cur.execute(
            "SELECT tenant_id, code, name, level, parent_id FROM rm_tenants "
            "WHERE tenant_id = ANY(%s)",
            (ids,),
        ).fetchall()
    return {row.tenant_id: row for row in rows}


def units_by_id(conn: Connection[Any], ids: list[UUID]) -> dict[UUID, UnitRow]:
    with conn.cursor(row_factory=class_row(UnitRow)) as cur:
        rows = cur.execute(
            "SELECT unit_id, tenant_id, code, name, unit_type, parent_id FROM rm_units "
            "WHERE unit_id = ANY(%s)",
            (ids,),
        ).fetchall()
    return {row.unit_id: row for row in rows}


def units_of(conn: Connection[Any], tenant_id: UUID) -> list[UnitRow]:
    with conn.cursor(row_factory=class_row(UnitRow)) as cur:
        return cur.execute(
            "SELECT unit_id, tenant_id, code, name, unit_type, parent_id FROM rm_units "
            "WHERE tenant_id = %s ORDER BY position",
            (tenant_id,),
        ).fetchall()
