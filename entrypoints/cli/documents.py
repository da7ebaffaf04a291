"""`xuncha documents issue|list|download|verify`: official documents (公文) from the console
(docs/DOCUMENTS.md). `verify` is the auditor's proof: every DocumentIssued event of the log
against the bytes stored for it; it exits 1 when any differs or is missing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer

from domain.documents.values import DocumentKind
from domain.errors import NotFound, XunChaError
from domain.messages import message_zh
from entrypoints.cli.deadlines import caught_up
from infrastructure.settings import Settings
from projections import documents as documents_view
from projections.documents import DocumentFilter, DocumentRow, DocumentsView
from services.authorization import CONSOLE
from services.reads import ReadSession
from services.runtime import Runtime, running

app = typer.Typer(
    help="Official documents (公文): issue, list, download, verify.", no_args_is_help=True
)


def _refused(error: XunChaError) -> typer.Exit:
    typer.echo(f"Refused [{error.code.value}]: {message_zh(error)} ({error.message})", err=True)
    return typer.Exit(1)


@app.command("issue")
def issue(
    kind: Annotated[DocumentKind, typer.Option(help="What to issue.")],
    subject: Annotated[UUID, typer.Option(help="The clue or feedback it is about.")],
    recipient: Annotated[str | None, typer.Option(help="主送机关 (default: derived).")] = None,
    on: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="成文日期 (default: today).")
    ] = None,
) -> None:
    """Issue a document in the name of its subject's office, under its next number."""
    with running(Settings()) as runtime:
        try:
            issued = runtime.documents.issue_document(
                acting=CONSOLE,
                kind=kind,
                subject_id=subject,
                recipient=recipient,
                occurred_on=on.date() if on else None,
            )
        except XunChaError as error:
            raise _refused(error) from None
    document = issued.document
    typer.echo(f"{document.number}\t{document.document_id}\t{document.title}")
    typer.echo(f"sha256 {document.sha256}  ({document.size} bytes, position {issued.position})")


def _listed(runtime: Runtime, where: DocumentFilter, first: int) -> list[DocumentRow]:
    caught_up(runtime, [DocumentsView.name])
    session = ReadSession(runtime.reads, CONSOLE, runtime.settings.read_statement_timeout_ms)
    with session.reading() as conn:
        return documents_view.documents(conn, where, first=first)


@app.command("list")
def list_documents(
    tenant: Annotated[
        UUID | None, typer.Option(help="Only this office's: issued by it or addressed to it.")
    ] = None,
    kind: Annotated[DocumentKind | None, typer.Option()] = None,
    subject: Annotated[UUID | None, typer.Option(help="Only about this clue or feedback.")] = None,
    year: Annotated[int | None, typer.Option()] = None,
    first: Annotated[int, typer.Option(help="At most this many, latest first.")] = 100,
) -> None:
    """Issued documents: number, date, kind, id, SHA-256, recipient, title."""
    where = DocumentFilter(
        office_ids=frozenset({tenant}) if tenant else None,
        kind=kind.value if kind else None,
        subject_id=subject,
        year=year,
    )
    with running(Settings()) as runtime:
        rows = _listed(runtime, where, first)
    for row in rows:
        typer.echo(
            f"{row.number}\t{row.issued_on}\t{row.kind}\t{row.document_id}\t{row.sha256}\t"
            f"{row.recipient}\t{row.title}"
        )


@app.command("download")
def download(
    document: Annotated[str, typer.Argument(help="The document's id or number (发文字号).")],
    out: Annotated[Path | None, typer.Option(help="File to write (default: its name).")] = None,
) -> None:
    """Write a document's stored bytes, exactly as issued, to a file."""
    with running(Settings()) as runtime:
        try:
            found = runtime.documents.download(CONSOLE, _document_id(runtime, document))
        except XunChaError as error:
            raise _refused(error) from None
    target = out or Path(found.filename)
    target.write_bytes(found.content)
    typer.echo(f"{target} ({len(found.content)} bytes, {found.media_type})")


def _document_id(runtime: Runtime, given: str) -> UUID:
    try:
        return UUID(given)
    except ValueError:
        rows = _listed(runtime, DocumentFilter(number=given), 2)
    if len(rows) != 1:  # a number is unique per office; two offices may share a code
        raise NotFound(f"No single document numbered {given}; give its id", number=given)
    return rows[0].document_id


@app.command("verify")
def verify() -> None:
    """Hash every issued document's stored bytes against the SHA-256 its event recorded."""
    with running(Settings()) as runtime:
        checked = runtime.documents.verify()
    failed = [c for c in checked if not c.ok]
    for check in failed:
        found = check.stored_sha256 or "no bytes stored"
        typer.echo(
            f"ALTERED {check.number} {check.document_id}: event {check.recorded_sha256}, "
            f"stored {found}"
        )
    typer.echo(f"{len(checked)} documents checked, {len(checked) - len(failed)} verified")
    if failed:
        raise typer.Exit(1)
