"""Use cases of official documents (公文): issue one from the events, download one the caller
may read, and verify the stored bytes against the events (docs/DOCUMENTS.md). Listing reads
the documents view (projections/documents.py).

Issuing: the subject is read (services/documents/facts.py) and checked before anything is
numbered; the office's register of the year gives the next number; the document is laid out
with that number and hashed; the `DocumentIssued` event and the bytes are saved in one
transaction. Two issues of one office that read the same register version cannot both be
saved: the later one is numbered and made again, so numbers have neither gaps nor repeats.
Issues of one register also take turns, which spares that work."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

from domain.dates import occurred_on as document_date
from domain.documents.facts import FeedbackFacts
from domain.documents.letters import Letter, letter_of
from domain.documents.register import DocumentRegister, Issue, IssuedDocument, register_id_for
from domain.documents.values import DocumentKind
from domain.errors import Conflict, NotFound
from infrastructure import document_files
from infrastructure.document_files import StoredDocument, sha256_of
from infrastructure.store import EventStore
from services.authorization import Acting, require_office
from services.calendar import CalendarService
from services.clock import today_in_china
from services.documents.facts import Subject, SubjectReader
from services.documents.layout import docx_bytes
from services.documents.ledger import xlsx_bytes
from services.tenants import TenantService
from services.visibility import seen

MAX_ATTEMPTS = 50  # issues of one office colliding in a row before giving up
BACKOFF_SECONDS = 0.02  # the most a collided issue waits, times its attempts, before again


@dataclass(frozen=True)
class Issued:
    """An issued document and the log position of its event."""

    document: IssuedDocument
    position: int

    @property
    def id(self) -> UUID:
        return self.document.document_id


@dataclass(frozen=True)
class Verification:
    """One issued document checked: OK when the stored bytes hash to the event's SHA-256."""

    document_id: UUID
    number: str
    recorded_sha256: str
    stored_sha256: str | None  # None: no bytes stored

    @property
    def ok(self) -> bool:
        return self.stored_sha256 == self.recorded_sha256


def filename_of(number: str, title: str, kind: DocumentKind) -> str:
    return f"{number}{title}.{kind.extension}"


def _content(kind: DocumentKind, subject: Subject, letter: Letter) -> bytes:
    """The document's bytes: the ledger as a sheet, every other kind as the letter laid out."""
    if kind is DocumentKind.RECTIFICATION_LEDGER:
        assert isinstance(subject.facts, FeedbackFacts)  # noqa: S101 - the ledger's subject
        return xlsx_bytes(
            subject.facts, issuer=letter.issuer, number=letter.number, issued_on=letter.issued_on
        )
    return docx_bytes(letter)


class DocumentService:
    def __init__(
        self,
        store: EventStore,
        tenants: TenantService,
        calendar: CalendarService,
        reads: ConnectionPool,
        today: Callable[[], date] = today_in_china,
    ) -> None:
        self.store = store
        self.tenants = tenants
        self.subjects = SubjectReader(tenants, calendar)
        self.reads = reads
        self.today = today

    def issue_document(
        self,
        *,
        acting: Acting,
        kind: DocumentKind,
        subject_id: UUID,
        recipient: str | None = None,
        occurred_on: date | None = None,
    ) -> Issued:
        """Issue the `kind` document about `subject_id` in the name of the caller's office
        (the console: the subject's office), dated `occurred_on` (default today)."""
        kind = DocumentKind(kind)
        subject = self.subjects.subject(acting, kind, subject_id)
        require_office(acting, subject.issuers, "issue documents about it")
        office_id = subject.office_id if acting.deployment_wide else acting.tenant_id
        assert office_id is not None  # noqa: S101 - require_office admits no office-less caller
        issued_on = document_date(occurred_on, self.today(), "occurredOn")
        with self._in_turn(office_id, issued_on.year):
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    return self._issue(office_id, kind, subject, recipient, issued_on)
                except Conflict:  # another issue took the number (one not taking turns, as
                    # an older process): number it again after a random pause
                    time.sleep(random.uniform(0, BACKOFF_SECONDS * attempt))  # noqa: S311
        raise Conflict(f"Too many documents issued at once by office {office_id}; try again")

    @contextmanager
    def _in_turn(self, office_id: UUID, year: int) -> Iterator[None]:
        """Issues of one register wait for each other instead of making documents whose
        save collides and is thrown away. Only a saving of work: the register's version
        still decides the number. Its own connection, so waiting holds none of the pool."""
        key = f"xuncha.documents/{office_id}/{year}"
        conninfo = self.reads.conninfo
        with psycopg.connect(
            conninfo() if callable(conninfo) else conninfo, autocommit=True
        ) as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            yield  # the lock goes with the connection

    def _issue(
        self,
        office_id: UUID,
        kind: DocumentKind,
        subject: Subject,
        recipient: str | None,
        issued_on: date,
    ) -> Issued:
        register = self._register(office_id, issued_on.year)
        number = register.number_for(issued_on)
        letter = letter_of(
            kind,
            subject.facts,
            issuer=register.office_name,
            number=number,
            issued_on=issued_on,
            recipient=recipient.strip() if recipient and recipient.strip() else None,
        )
        content = _content(kind, subject, letter)
        issue = Issue(
            kind, subject.subject_id, letter.recipient, letter.title, issued_on, subject.readers
        )
        document = register.issue(issue, sha256=sha256_of(content), size=len(content))
        stored = StoredDocument(
            document.document_id,
            office_id,
            filename_of(number, letter.title, kind),
            kind.media_type,
            content,
            document.reader_ids,
        )
        positions = self.store.save_with(
            register.collect_events(), [document_files.alongside(stored)]
        )
        return Issued(document, max(positions.values()))

    def _register(self, office_id: UUID, year: int) -> DocumentRegister:
        register_id = register_id_for(office_id, year)
        if self.store.exists(register_id):
            return self.store.load(DocumentRegister, register_id, what="document register")
        office = self.tenants.tenant(office_id)
        return DocumentRegister.open(office_id=office.id, office_name=office.name, year=year)

    def download(self, acting: Acting, document_id: UUID) -> StoredDocument:
        """The bytes of a document the caller may read (as the `documents` list: readers of
        the issuing office or of the offices reading its subject), exactly as hashed when
        issued; read from the store, so a document is there the moment its issue is
        answered."""
        stored = document_files.stored(self.reads, [document_id]).get(document_id)
        if stored is None:
            raise NotFound.no("document", document_id)
        offices = [stored.tenant_id, *stored.reader_ids]
        seen(self.tenants, acting, offices, "document", document_id)
        return stored

    def verify(self) -> list[Verification]:
        """Every issued document of the event store, its stored bytes hashed against the
        SHA-256 its event recorded."""
        issued = [
            event
            for stream in self.store.streams_opened_by(DocumentRegister.Opened)
            for event in stream
            if isinstance(event, DocumentRegister.DocumentIssued)
        ]
        stored = document_files.stored(self.reads, [e.document_id for e in issued])
        return [
            Verification(
                document_id=e.document_id,
                number=e.number,
                recorded_sha256=e.sha256,
                stored_sha256=(
                    sha256_of(stored[e.document_id].content) if e.document_id in stored else None
                ),
            )
            for e in issued
        ]
