"""The bytes of every issued document, kept exactly as sent. A document's row is written in
the same transaction as its `DocumentIssued` event (it rides along with the save,
`EventStore.save_with`), so there is never an event without its bytes or bytes without their
event; the download serves these bytes, and `xuncha documents verify` hashes them against the
event. Rows are never updated or deleted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

from psycopg_pool import ConnectionPool

from infrastructure.store import Alongside

DDL = """
CREATE TABLE IF NOT EXISTS issued_documents (
    document_id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL,
    filename text NOT NULL,
    media_type text NOT NULL,
    content bytea NOT NULL,
    reader_ids uuid[] NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
);
"""

_INSERT = (
    "INSERT INTO issued_documents (document_id, tenant_id, filename, media_type, content, "
    "reader_ids) VALUES (%s, %s, %s, %s, %s, %s)"
)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class StoredDocument:
    """A document's bytes, with the office that issued it and the offices reading its
    subject (whose readers may download it), and the name it is downloaded under."""

    document_id: UUID
    tenant_id: UUID
    filename: str
    media_type: str
    content: bytes
    reader_ids: frozenset[UUID]


def install(pool: ConnectionPool) -> None:
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('xuncha.issued_documents'))")
        conn.execute(DDL)


def alongside(document: StoredDocument) -> Alongside:
    """The row of a document, to write with the event that issues it."""
    row = (document.document_id, document.tenant_id, document.filename, document.media_type)
    return Alongside(_INSERT, [(*row, document.content, sorted(document.reader_ids))])


def stored(pool: ConnectionPool, document_ids: list[UUID]) -> dict[UUID, StoredDocument]:
    """The stored bytes of the documents that have them."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT document_id, tenant_id, filename, media_type, content, reader_ids "
            "FROM issued_documents "
            "WHERE document_id = ANY(%s)",
            (document_ids,),
        ).fetchall()
    return {
        document_id: StoredDocument(
            document_id, tenant_id, filename, media_type, bytes(content), frozenset(readers)
        )
        for document_id, tenant_id, filename, media_type, content, readers in rows
    }
