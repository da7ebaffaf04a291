"""The documents view: every official document (公文) issued, as its `DocumentIssued` event
recorded it, for listing. A row is visible to readers of the issuing office and of the offices
reading its subject (`reader_ids`: a clue's receiving office, the inspected unit's owner), so
each of them, and a city over them, lists it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from psycopg import Connection, Cursor, sql
from psycopg.rows import class_row

from domain.documents.register import DocumentRegister
from projections.base import Projection
from projections.row_security import any_visible, either, visible

MAX_LISTED = 1000


@dataclass(frozen=True)
class DocumentRow:
    document_id: UUID
    tenant_id: UUID
    number: str
    serial: int
    kind: str
    subject_id: UUID
    recipient: str
    title: str
    sha256: str
    size: int
    issued_on: date
    issued_by: str
    recorded_at: datetime
    position: int
    reader_ids: list[UUID]


@dataclass(frozen=True)
class DocumentFilter:
    office_ids: frozenset[UUID] | None = None  # issued by or read by one of them; None: any
    kind: str | None = None
    subject_id: UUID | None = None
    year: int | None = None
    number: str | None = None


_NAMES = (
    "document_id", "tenant_id", "number", "serial", "kind", "subject_id", "recipient", "title",
    "sha256", "size", "issued_on", "issued_by", "recorded_at", "position", "reader_ids",
)  # fmt: skip
_COLUMNS = sql.SQL(", ").join(map(sql.Identifier, _NAMES))
_INSERT = sql.SQL(
    "INSERT INTO rm_documents ({}) VALUES ({}) ON CONFLICT (document_id) DO NOTHING"
).format(_COLUMNS, sql.SQL(", ").join(sql.Placeholder() * len(_NAMES)))
_SELECT = sql.SQL("SELECT {} FROM rm_documents").format(_COLUMNS)


class DocumentsView(Projection):
    name = "documents"
    tables = ("rm_documents",)
    row_rules: ClassVar[dict[str, str]] = {
        "rm_documents": either(visible("tenant_id"), any_visible("reader_ids"))
    }
    ddl = """
    CREATE TABLE IF NOT EXISTS rm_documents (
        document_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        number text NOT NULL,
        serial integer NOT NULL,
        kind text NOT NULL,
        subject_id uuid NOT NULL,
        recipient text NOT NULL,
        title text NOT NULL,
        sha256 text NOT NULL,
        size integer NOT NULL,
        issued_on date NOT NULL,
        issued_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        position bigint NOT NULL,
        reader_ids uuid[] NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rm_documents_office ON rm_documents (tenant_id, position);
    CREATE INDEX IF NOT EXISTS rm_documents_subject ON rm_documents (subject_id);
    """

    @singledispatchmethod
    def apply(self, event: object, cur: Cursor[Any], position: int) -> None:
        """Events this view does not need are passed over."""

    @apply.register
    def _(self, event: DocumentRegister.DocumentIssued, cur: Cursor[Any], position: int) -> None:
        cur.execute(
            _INSERT,
            (
                event.document_id,
                event.tenant_id,
                event.number,
                event.serial,
                event.kind,
                event.subject_id,
                event.recipient,
                event.title,
                event.sha256,
                event.size,
                event.issued_on,
                event.actor,
                event.timestamp,
                position,
                event.reader_ids,
            ),
        )


def documents(conn: Connection[Any], where: DocumentFilter, *, first: int) -> list[DocumentRow]:
    """Issued documents, latest first, filtered by office, kind, subject and year."""
    offices = list(where.office_ids) if where.office_ids is not None else None
    given: list[tuple[str, Any, int]] = [  # condition, value, how many times it is passed
        ("(tenant_id = ANY(%s) OR reader_ids && %s::uuid[])", offices, 2),
        ("kind = %s", where.kind, 1),
        ("subject_id = %s", where.subject_id, 1),
        ("extract(year FROM issued_on) = %s", where.year, 1),
        ("number = %s", where.number, 1),
    ]
    used = [(condition, value, times) for condition, value, times in given if value is not None]
    query = sql.SQL("{} WHERE {} ORDER BY position DESC LIMIT %s").format(
        _SELECT, sql.SQL(" AND ").join([sql.SQL("TRUE"), *(sql.SQL(c) for c, _, _ in used)])
    )
    params = [value for _, value, times in used for _ in range(times)]
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        return cur.execute(query, [*params, min(first, MAX_LISTED)]).fetchall()


def document(conn: Connection[Any], document_id: UUID) -> DocumentRow | None:
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        query = sql.SQL("{} WHERE document_id = %s").format(_SELECT)
        return cur.execute(query, (document_id,)).fetchone()
