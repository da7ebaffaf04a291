"""`DocumentRegister` (发文登记簿) — the documents one office issues in one year, numbered
1, 2, 3, … without a gap or a repeat. Each issue is a `DocumentIssued` event on the register's
stream, so the number is the register's next one at the version the issue was decided on:
two issues decided on the same version collide in the event store, and the later one is
decided again (services/documents/service.py), never numbered twice.

The event records what an auditor needs to prove what was sent: kind, number, recipient,
subject, title and the SHA-256 of the exact bytes sent; who issued it (`actor`) and when (the
document date `issued_on`, and the recorded time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.documents.values import DocumentKind, document_number
from domain.errors import RuleViolation, ValidationFailed
from domain.text import required_text

SHA256_HEX_LENGTH = 64


def register_id_for(office_id: UUID, year: int) -> UUID:
    return uuid5(office_id, f"document-register/{year}")


def document_id_for(register_id: UUID, serial: int) -> UUID:
    return uuid5(register_id, f"document/{serial}")


@dataclass(frozen=True)
class Issue:
    """A document ready to be issued: everything but its number, which the register gives."""

    kind: DocumentKind
    subject_id: UUID
    recipient: str
    title: str
    issued_on: date
    reader_ids: frozenset[UUID] = frozenset()  # offices reading the subject


@dataclass(frozen=True)
class IssuedDocument:
    """One issued document as the register recorded it."""

    document_id: UUID
    serial: int
    number: str
    kind: DocumentKind
    subject_id: UUID
    recipient: str
    title: str
    sha256: str
    size: int
    issued_on: date
    reader_ids: frozenset[UUID] = frozenset()


class DocumentRegister(AuditedAggregate):
    @staticmethod
    def create_id(tenant_id: UUID, year: int) -> UUID:
        return register_id_for(tenant_id, year)

    @classmethod
    def open(cls, *, office_id: UUID, office_name: str, year: int) -> DocumentRegister:
        """The register of `office_id`'s documents of `year`, opened by its first issue."""
        return cls(tenant_id=office_id, office_name=office_name, year=year)

    class Opened(AuditedAggregate.Created):
        """v1: the office, the name its numbers are coded from (机关代字), the year."""

        class_version = 1
        office_name: str
        year: int

    @event(Opened)
    def __init__(self, tenant_id: UUID, office_name: str, year: int) -> None:
        self.tenant_id = tenant_id
        self.office_name = office_name
        self.year = year
        self.issued: list[IssuedDocument] = []

    @property
    def next_number(self) -> str:
        return document_number(self.office_name, self.year, len(self.issued) + 1)

    def number_for(self, issued_on: date) -> str:
        """The number a document dated `issued_on` takes, once the register's rules allow
        it: dated in the register's year, not before the previous document."""
        if issued_on.year != self.year:
            raise RuleViolation(
                "DOCUMENT_YEAR",
                f"A document dated {issued_on.isoformat()} is not numbered in the "
                f"register of {self.year}",
                year=self.year,
            )
        latest = self.issued[-1].issued_on if self.issued else None
        if latest is not None and issued_on < latest:
            raise RuleViolation(
                "DOCUMENT_DATE_BEFORE_PREVIOUS",
                f"Document {self.next_number} cannot be dated {issued_on.isoformat()}, "
                f"before the previous one ({latest.isoformat()})",
                on=issued_on.isoformat(),
                previous=latest.isoformat(),
            )
        return self.next_number

    def issue(self, issue: Issue, *, sha256: str, size: int) -> IssuedDocument:
        """Record `issue` under the next number, with the SHA-256 of the bytes sent (which
        carry that number: the bytes are made after `number_for`)."""
        number = self.number_for(issue.issued_on)
        if len(sha256) != SHA256_HEX_LENGTH or sha256 != sha256.lower():
            raise ValidationFailed("sha256 is 64 lower-case hex digits", field="sha256")
        serial = len(self.issued) + 1
        self._issue(
            document_id=document_id_for(self.id, serial),
            serial=serial,
            number=number,
            kind=DocumentKind(issue.kind).value,
            subject_id=issue.subject_id,
            recipient=required_text(issue.recipient, "recipient", max_length=200),
            title=required_text(issue.title, "title", max_length=200),
            sha256=sha256,
            size=size,
            issued_on=issue.issued_on,
            reader_ids=sorted(issue.reader_ids | {self.tenant_id}),
        )
        return self.issued[-1]

    class DocumentIssued(AuditedAggregate.Event):
        """v1: the document's id and number (serial within the register), its kind, the clue
        or feedback it is about, its main recipient (主送机关) and title, the SHA-256 (hex)
        and size of its bytes, its date (成文日期), and the offices that read it: the issuing
        office and those reading its subject (a clue's receiving office, the owner of the
        inspected unit), as they were when it was issued."""

        class_version = 1
        document_date = "issued_on"
        document_id: UUID
        serial: int
        number: str
        kind: str
        subject_id: UUID
        recipient: str
        title: str
        sha256: str
        size: int
        issued_on: date
        reader_ids: list[UUID]

    @event(DocumentIssued)
    def _issue(
        self,
        document_id: UUID,
        serial: int,
        number: str,
        kind: str,
        subject_id: UUID,
        recipient: str,
        title: str,
        sha256: str,
        size: int,
        issued_on: date,
        reader_ids: list[UUID],
    ) -> None:
        self.issued.append(
            IssuedDocument(
                document_id=document_id,
                serial=serial,
                number=number,
                kind=DocumentKind(kind),
                subject_id=subject_id,
                recipient=recipient,
                title=title,
                sha256=sha256,
                size=size,
                issued_on=issued_on,
                reader_ids=frozenset(UUID(str(r)) for r in reader_ids),
            )
        )
