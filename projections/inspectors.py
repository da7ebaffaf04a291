"""The inspectors view: cadres who can serve on teams (巡察干部) as they stand now, with
their postings and declared relations, for listing and filtering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor, sql
from psycopg.rows import dict_row

from domain.inspectors.inspector import Inspector
from projections import paging
from projections.base import Projection
from projections.paging import Page
from projections.row_security import visible


@dataclass(frozen=True)
class PostingRow:
    unit_id: UUID
    start: date
    end: date | None


@dataclass(frozen=True)
class RelationRow:
    kinship: str
    person: str
    position: str
    unit_id: UUID


@dataclass(frozen=True)
class InspectorRow:
    inspector_id: UUID
    home_tenant_id: UUID
    staff_number: str | None
    name: str
    position: int
    postings: list[PostingRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)


_OF_A_VISIBLE_INSPECTOR = "inspector_id IN (SELECT inspector_id FROM rm_inspectors)"


class InspectorsView(Projection):
    name = "inspectors"
    tables = ("rm_inspectors", "rm_inspector_postings", "rm_inspector_relations")
    row_rules: ClassVar[dict[str, str]] = {
        "rm_inspectors": visible("home_tenant_id"),
        "rm_inspector_postings": _OF_A_VISIBLE_INSPECTOR,
        "rm_inspector_relations": _OF_A_VISIBLE_INSPECTOR,
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_inspectors (
        inspector_id uuid PRIMARY KEY,
        home_tenant_id uuid NOT NULL,
        staff_number text,
        name text NOT NULL,
        position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_inspectors_home ON rm_inspectors (home_tenant_id, position);
    CREATE TABLE IF NOT EXISTS rm_inspector_postings (
        inspector_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        start date NOT NULL,
        "end" date,
        PRIMARY KEY (inspector_id, unit_id, start)
    );
    CREATE INDEX IF NOT EXISTS rm_inspector_postings_unit ON rm_inspector_postings (unit_id);
    CREATE TABLE IF NOT EXISTS rm_inspector_relations (
        inspector_id uuid NOT NULL,
        kinship text NOT NULL,
        person text NOT NULL,
        position text NOT NULL,
        unit_id uuid NOT NULL,
        PRIMARY KEY (inspector_id, kinship, person, unit_id)
    );
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: Inspector.Registered, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "INSERT INTO rm_inspectors (inspector_id, home_tenant_id, staff_number, name, "
            "position) VALUES (%s, %s, %s, %s, %s)",
            (event.originator_id, event.tenant_id, event.staff_number, event.name, position),
        )
        for posting in event.postings:
            self._add_posting(cur, event.originator_id, posting)
        for relation in event.relations:
            self._add_relation(cur, event.originator_id, relation)

    @apply.register
    def _(self, event: Inspector.Renamed, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "UPDATE rm_inspectors SET name = %s WHERE inspector_id = %s",
            (event.name, event.originator_id),
        )

    @apply.register
    def _(self, event: Inspector.PostingAdded, cur: Cursor[Any], position: int) -> None:
        self._add_posting(cur, event.originator_id, event.posting)

    @apply.register
    def _(self, event: Inspector.PostingEnded, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            'UPDATE rm_inspector_postings SET "end" = %s '
            "WHERE inspector_id = %s AND unit_id = %s AND start = %s",
            (event.end, event.originator_id, event.unit_id, event.start),
        )

    @apply.register
    def _(self, event: Inspector.PostingRemoved, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "DELETE FROM rm_inspector_postings "
            "WHERE inspector_id = %s AND unit_id = %s AND start = %s",
            (event.originator_id, event.unit_id, event.start),
        )

    @apply.register
    def _(self, event: Inspector.RelationDeclared, cur: Cursor[Any], position: int) -> None:
        self._add_relation(cur, event.originator_id, event.relation)

    @apply.register
    def _(self, event: Inspector.RelationWithdrawn, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            "DELETE FROM rm_inspector_relations WHERE inspector_id = %s AND kinship = %s "
            "AND person = %s AND unit_id = %s",
            (event.originator_id, event.kinship, event.person, event.unit_id),
        )

    @staticmethod
    def _add_posting(cur: Cursor[Any], inspector_id: UUID, posting: dict[str, Any]) -> None:
        cur.execute(
            'INSERT INTO rm_inspector_postings (inspector_id, unit_id, start, "end") '
            "VALUES (%s, %s, %s, %s)",
            (inspector_id, UUID(str(posting["unit_id"])), posting["start"], posting["end"]),
        )

    @staticmethod
    def _add_relation(cur: Cursor[Any], inspector_id: UUID, relation: dict[str, Any]) -> None:
        cur.execute(
            "INSERT INTO rm_inspector_relations (inspector_id, kinship, person, position, "
            "unit_id) VALUES (%s, %s, %s, %s, %s)",
            (
                inspector_id,
                relation["kinship"],
                relation["person"],
                relation["position"],
                UUID(str(relation["unit_id"])),
            ),
        )


@dataclass(frozen=True)
class InspectorFilter:
    home_tenant_id: UUID | None = None
    name_contains: str | None = None
    posted_at_unit_id: UUID | None = None  # any posting there, past or present
    visible_tenants: frozenset[UUID] | None = None  # None: every home office


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_INSPECTORS = paging.Listing(
    sql.SQL("rm_inspectors i"),
    sql.SQL("inspector_id, home_tenant_id, staff_number, name, position"),
    dict_row,
    lambda row: int(row["position"]),
)


def inspectors_page(
    conn: Connection[Any], where: InspectorFilter, *, first: int, after: str | None
) -> Page[InspectorRow]:
    """Inspectors in registration order, filtered by home office, name and posting."""
    conditions = paging.Where()
    conditions.given(where.home_tenant_id, "i.home_tenant_id = %s")
    if where.visible_tenants is not None:
        conditions.add("i.home_tenant_id = ANY(%s)", list(where.visible_tenants))
    if where.name_contains:
        conditions.add("i.name ILIKE %s", _like(where.name_contains))
    conditions.given(
        where.posted_at_unit_id,
        "EXISTS (SELECT 1 FROM rm_inspector_postings p "
        "WHERE p.inspector_id = i.inspector_id AND p.unit_id = %s)",
    )
    keyed = paging.keyset(after, first, sql.Identifier("i", "position"))
    page = _INSPECTORS.page(conn, keyed, conditions)
    return page.with_items(lambda rows: _with_details(conn, rows))


def _with_details(conn: Connection[Any], rows: list[dict[str, Any]]) -> list[InspectorRow]:
    ids = [row["inspector_id"] for row in rows]
    postings: dict[UUID, list[PostingRow]] = {}
    relations: dict[UUID, list[RelationRow]] = {}
    for inspector_id, unit_id, begun, ended in conn.execute(
        'SELECT inspector_id, unit_id, start, "end" FROM rm_inspector_postings '
        "WHERE inspector_id = ANY(%s) ORDER BY start, unit_id",
        (ids,),
    ):
        postings.setdefault(inspector_id, []).append(PostingRow(unit_id, begun, ended))
    for inspector_id, kinship, person, post, unit_id in conn.execute(
        "SELECT inspector_id, kinship, person, position, unit_id FROM rm_inspector_relations "
        "WHERE inspector_id = ANY(%s) ORDER BY person, kinship",
        (ids,),
    ):
        relations.setdefault(inspector_id, []).append(RelationRow(kinship, person, post, unit_id))
    return [
        InspectorRow(
            **row,
            postings=postings.get(row["inspector_id"], []),
            relations=relations.get(row["inspector_id"], []),
        )
        for row in rows
    ]
