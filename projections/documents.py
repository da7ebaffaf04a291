"""The documents view: every official document (公文) issued, as its `DocumentIssued` event
recorded it, for listing and for authorizing its download. A row is visible to readers of
the issuing office (its own office and, for a county, its city)."""

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
from projections.row_security import visible

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


@dataclass(frozen=True)
class DocumentFilter:
    tenant_ids: frozenset[UUID] | None = None  # None: every office the reader sees
    kind: str | None = None
    subject_id: UUID | None = None
    year: int | None = None
    number: str | None = None


_NAMES = (
    "document_id", "tenant_id", "number", "serial", "kind", "subject_id", "recipient", "title",
    "sha256", "size", "issued_on", "issued_by", "recorded_at", "position",
)  # fmt: skip
_COLUMNS = sql.SQL(", ").join(map(sql.Identifier, _NAMES))
_INSERT = sql.SQL(
    "INSERT INTO rm_documents ({}) VALUES ({}) ON CONFLICT (document_id) DO NOTHING"
).format(_COLUMNS, sql.SQL(", ").join(sql.Placeholder() * len(_NAMES)))
_SELECT = sql.SQL("SELECT {} FROM rm_documents").format(_COLUMNS)


class DocumentsView(Projection):
    name = "documents"
    tables = ("rm_documents",)
    row_rules: ClassVar[dict[str, str]] = {"rm_documents": visible("tenant_id")}
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
        position bigint NOT NULL
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
            ),
        )


def documents(conn: Connection[Any], where: DocumentFilter, *, first: int) -> list[DocumentRow]:
    """Issued documents, latest first, filtered by office, kind, subject and year."""
    given = {
        "tenant_id = ANY(%s)": list(where.tenant_ids) if where.tenant_ids is not None else None,
        "kind = %s": where.kind,
        "subject_id = %s": where.subject_id,
        "extract(year FROM issued_on) = %s": where.year,
        "number = %s": where.number,
    }
    conditions = [sql.SQL(condition) for condition, value in given.items() if value is not None]
    query = sql.SQL("{} WHERE {} ORDER BY position DESC LIMIT %s").format(
        _SELECT, sql.SQL(" AND ").join([sql.SQL("TRUE"), *conditions])
    )
    params = [value for value in given.values() if value is not None]
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        return cur.execute(query, [*params, min(first, MAX_LISTED)]).fetchall()


def document(conn: Connection[Any], document_id: UUID) -> DocumentRow | None:
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        query = sql.SQL("{} WHERE document_id = %s").format(_SELECT)
        return cur.execute(query, (document_id,)).fetchone()
