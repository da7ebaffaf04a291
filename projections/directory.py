"""The directory: offices (tenants) and the units they own, as they stand now. Units keep
the classes most recently recorded for them (`class_tags`, in force from `classes_from`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor, sql
from psycopg.rows import class_row

from domain.clues.clue import Clue
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from projections import coverage, paging, round_offices
from projections.base import Projection
from projections.paging import Page
from projections.row_security import either, visible


@dataclass(frozen=True)
class TenantRow:
    tenant_id: UUID
    code: str
    name: str
    level: str
    parent_id: UUID | None
    merged_into: UUID | None = None


@dataclass(frozen=True)
class UnitRow:
    unit_id: UUID
    tenant_id: UUID
    code: str
    name: str
    unit_type: str
    parent_id: UUID | None
    class_tags: list[str] = field(default_factory=list)
    position: int = 0


_READ_BY_ANOTHER = "{id} IN (SELECT entry_id FROM rm_directory_readers)"


def _add_readers(cur: Cursor[Any], offices: set[UUID], entries: set[UUID]) -> None:
    """Let each of `offices` read the directory entries `entries` (offices or units)."""
    cur.executemany(
        "INSERT INTO rm_directory_readers (tenant_id, entry_id) VALUES (%s, %s) "
        "ON CONFLICT DO NOTHING",
        [(office, entry) for office in offices for entry in entries if office != entry],
    )


class Directory(Projection):
    name = "directory"
    tables = ("rm_tenants", "rm_units", "rm_directory_readers", "rm_directory_clues")
    row_rules: ClassVar[dict[str, str]] = {
        # An entry shows to its own office (and the city above), and to the offices that
        # work with it (`rm_directory_readers`): a county sees its city's entry; the offices
        # of a round see one another and the units it targets; an office sees the unit of a
        # clue it registered or received.
        "rm_tenants": either(visible("tenant_id"), _READ_BY_ANOTHER.format(id="tenant_id")),
        "rm_units": either(visible("tenant_id"), _READ_BY_ANOTHER.format(id="unit_id")),
        "rm_directory_readers": visible("tenant_id"),
        "rm_directory_clues": "false",  # the projection's own bookkeeping
    }
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
    ALTER TABLE rm_tenants ADD COLUMN IF NOT EXISTS merged_into uuid;
    ALTER TABLE rm_units ADD COLUMN IF NOT EXISTS class_tags text[] NOT NULL DEFAULT '{}';
    ALTER TABLE rm_units ADD COLUMN IF NOT EXISTS classes_from date;
    CREATE INDEX IF NOT EXISTS rm_units_classes ON rm_units USING gin (class_tags);
    CREATE TABLE IF NOT EXISTS rm_directory_readers (
        tenant_id uuid NOT NULL,  -- the office that reads
        entry_id uuid NOT NULL,  -- the office or unit it reads
        PRIMARY KEY (tenant_id, entry_id)
    );
    CREATE TABLE IF NOT EXISTS rm_directory_clues (
        clue_id uuid PRIMARY KEY,
        unit_id uuid NOT NULL
    );
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
        if event.parent_id is not None:
            _add_readers(cur, {event.originator_id}, {event.parent_id})

    @apply.register
    def _(self, event: Unit.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_units (unit_id, tenant_id, code, name, unit_type, parent_id, "
            "class_tags, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.originator_id,
                event.tenant_id,
                event.code,
                event.name,
                event.unit_type,
                event.parent_id,
                list(event.class_tags),
                position,
            ),
        )

    @apply.register
    def _(self, event: Round.Planned, cur: Cursor[Any], position: int) -> None:
        offices = round_offices.offices_taking_part(event)
        owners = {UUID(str(target["owner_id"])) for target in event.targets}
        units = {UUID(str(target["unit_id"])) for target in event.targets}
        _add_readers(cur, offices, offices | owners | units)
        _add_readers(cur, owners, offices)

    @apply.register
    def _(self, event: Clue.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_directory_clues (clue_id, unit_id) VALUES (%s, %s)",
            (event.originator_id, event.unit_id),
        )
        _add_readers(cur, {event.tenant_id}, {event.unit_id})

    @apply.register
    def _(self, event: Clue.Transferred, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_directory_readers (tenant_id, entry_id) "
            "SELECT %s, unit_id FROM rm_directory_clues WHERE clue_id = %s "
            "ON CONFLICT DO NOTHING",
            (event.receiving_tenant_id, event.originator_id),
        )

    @apply.register
    def _(self, event: Tenant.Renamed, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_tenants SET name = %s WHERE tenant_id = %s",
            (event.name, event.originator_id),
        )

    @apply.register
    def _(self, event: Tenant.MergedInto, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_tenants SET merged_into = %s WHERE tenant_id = %s",
            (event.into_id, event.originator_id),
        )

    @apply.register
    def _(self, event: Unit.Renamed, cur: Cursor[Any], position: int) -> None:
        self._update_unit(cur, event.originator_id, "name", event.name)

    @apply.register
    def _(self, event: Unit.Retyped, cur: Cursor[Any], position: int) -> None:
        self._update_unit(cur, event.originator_id, "unit_type", event.unit_type)

    @apply.register
    def _(self, event: Unit.Moved, cur: Cursor[Any], position: int) -> None:
        self._update_unit(cur, event.originator_id, "parent_id", event.parent_id)

    @apply.register
    def _(self, event: Unit.Reassigned, cur: Cursor[Any], position: int) -> None:
        self._update_unit(cur, event.originator_id, "tenant_id", event.to_tenant_id)

    @apply.register
    def _(self, event: Unit.Reclassified, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_units SET class_tags = %s, classes_from = %s WHERE unit_id = %s",
            (list(event.class_tags), event.effective_from, event.originator_id),
        )

    @staticmethod
    def _update_unit(cur: Cursor[Any], unit_id: UUID, column: str, value: Any) -> None:
        cur.execute(
            sql.SQL("UPDATE rm_units SET {} = %s WHERE unit_id = %s").format(
                sql.Identifier(column)
            ),
            (value, unit_id),
        )


_UNIT_COLUMNS = "unit_id, tenant_id, code, name, unit_type, parent_id, class_tags, position"


_UNITS = paging.Listing(
    sql.Identifier("rm_units"), sql.SQL(_UNIT_COLUMNS), class_row(UnitRow), lambda r: r.position
)


def tenants(conn: Connection[Any]) -> list[TenantRow]:
    with conn.cursor(row_factory=class_row(TenantRow)) as cur:
        return cur.execute(
            "SELECT tenant_id, code, name, level, parent_id, merged_into FROM rm_tenants "
            "ORDER BY position"
        ).fetchall()


def scope_query(tenant_id: UUID) -> sql.Composed:
    """A query giving, comma-separated, the office `tenant_id` and the counties whose city it
    is: the tenants a caller of that office reads (services/authorization.py `scope_of`)."""
    return sql.SQL(
        "SELECT string_agg(t::text, ',') FROM (SELECT {}::uuid AS t UNION "
        "SELECT tenant_id FROM rm_tenants WHERE parent_id = {}) AS scope"
    ).format(sql.Literal(str(tenant_id)), sql.Literal(str(tenant_id)))


def tenants_by_id(conn: Connection[Any], ids: list[UUID]) -> dict[UUID, TenantRow]:
    with conn.cursor(row_factory=class_row(TenantRow)) as cur:
        rows = cur.execute(
            "SELECT tenant_id, code, name, level, parent_id, merged_into FROM rm_tenants "
            "WHERE tenant_id = ANY(%s)",
            (ids,),
        ).fetchall()
    return {row.tenant_id: row for row in rows}


def units_by_id(conn: Connection[Any], ids: list[UUID]) -> dict[UUID, UnitRow]:
    with conn.cursor(row_factory=class_row(UnitRow)) as cur:
        rows = cur.execute(
            f"SELECT {_UNIT_COLUMNS} FROM rm_units "  # noqa: S608
            "WHERE unit_id = ANY(%s)",
            (ids,),
        ).fetchall()
    return {row.unit_id: row for row in rows}


def units_of(conn: Connection[Any], tenant_id: UUID) -> list[UnitRow]:
    with conn.cursor(row_factory=class_row(UnitRow)) as cur:
        return cur.execute(
            f"SELECT {_UNIT_COLUMNS} FROM rm_units "  # noqa: S608
            "WHERE tenant_id = %s ORDER BY position",
            (tenant_id,),
        ).fetchall()


@dataclass(frozen=True)
class UnitFilter:
    tenant_id: UUID
    unit_type: str | None = None
    class_tag: str | None = None
    township_id: UUID | None = None
    # (start, end, inspected): only units inspected (or, False, not inspected) in that term
    inspected_in: tuple[date, date, bool] | None = None


def units_page(
    conn: Connection[Any], where: UnitFilter, *, first: int, after: str | None
) -> Page[UnitRow]:
    """Units of one office in registration order, filtered by type, class, township and
    whether they were inspected in a term (as coverage counts it)."""
    conditions = paging.Where()
    conditions.add("tenant_id = %s", where.tenant_id)
    conditions.given(where.unit_type, "unit_type = %s")
    conditions.given(where.class_tag, "class_tags @> ARRAY[%s]::text[]")
    conditions.given(where.township_id, "parent_id = %s")
    if where.inspected_in is not None:
        start_day, end_day, inspected = where.inspected_in
        test = coverage.inspected_condition("rm_units.unit_id")
        conditions.add(test if inspected else f"NOT {test}", start_day, end_day)
    return _UNITS.page(conn, paging.keyset(after, first), conditions)


def units_by_code(
    conn: Connection[Any], tenant_ids: list[UUID], codes: list[str]
) -> dict[str, UnitRow]:
    """The units of `tenant_ids` with one of `codes`, by code; a code two offices use is the
    first office's (in the order given)."""
    with conn.cursor(row_factory=class_row(UnitRow)) as cur:
        rows = cur.execute(
            f"SELECT {_UNIT_COLUMNS} FROM rm_units "  # noqa: S608
            "WHERE tenant_id = ANY(%s) AND code = ANY(%s) "
            "ORDER BY array_position(%s::uuid[], tenant_id) DESC",
            (tenant_ids, codes, tenant_ids),
        ).fetchall()
    return {row.code: row for row in rows}  # the first office's row is written last
