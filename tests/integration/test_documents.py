"""Issuing official documents (公文) against a real PostgreSQL: the DocumentIssued event
carries the SHA-256 of the bytes stored with it, numbers run without gaps or repeats even when
issued at once, refusals write nothing, and `verify` finds stored bytes that were altered."""

from __future__ import annotations

import hashlib
import threading
from contextlib import nullcontext

import pytest

from domain.documents.register import DocumentRegister, register_id_for
from domain.documents.values import DocumentKind
from domain.errors import NotFound, RuleViolation, XunChaError
from projections import documents as documents_view
from projections.documents import DocumentFilter, DocumentsView
from services.authorization import CONSOLE, Acting
from services.documents.service import DocumentService
from services.reads import ReadSession
from services.runtime import Runtime
from tests.support.documents import DocumentWorld, build_world, transferred_to


@pytest.fixture
def world(runtime: Runtime) -> DocumentWorld:
    return build_world(runtime)


def _register(runtime: Runtime, world: DocumentWorld) -> DocumentRegister:
    register_id = register_id_for(world.county, world.today.year)
    return runtime.store.load(DocumentRegister, register_id, what="register")


def test_issuing_records_the_number_recipient_and_hash_of_the_stored_bytes(
    runtime: Runtime, world: DocumentWorld
) -> None:
    issued = runtime.documents.issue_document(
        acting=CONSOLE, kind=DocumentKind.CLUE_TRANSFER, subject_id=world.transferred_clue
    )

    recorded = _register(runtime, world).issued[0]
    assert recorded.number == f"历巡办〔{world.today.year}〕1号"
    assert recorded.recipient == "历下区纪委监委"
    assert recorded.subject_id == world.transferred_clue
    assert recorded.kind is DocumentKind.CLUE_TRANSFER
    download = runtime.documents.download(CONSOLE, issued.id)
    assert hashlib.sha256(download.content).hexdigest() == recorded.sha256 == issued.document.sha256
    assert download.filename == f"历巡办〔{world.today.year}〕1号关于移交问题线索的函.docx"
    assert [v.ok for v in runtime.documents.verify()] == [True]


def test_numbers_follow_on_across_kinds_within_the_office_and_year(
    runtime: Runtime, world: DocumentWorld
) -> None:
    for kind, subject in (
        (DocumentKind.FEEDBACK, world.feedback),
        (DocumentKind.RECTIFICATION_LEDGER, world.feedback),
        (DocumentKind.SUPERVISION_LETTER, world.transferred_clue),
    ):
        runtime.documents.issue_document(acting=CONSOLE, kind=kind, subject_id=subject)

    numbers = [d.number for d in _register(runtime, world).issued]
    year = world.today.year
    assert numbers == [f"历巡办〔{year}〕{n}号" for n in (1, 2, 3)]


@pytest.mark.parametrize("taking_turns", [True, False], ids=["in-turn", "colliding"])
def test_concurrent_issues_take_each_number_once_without_gaps(
    runtime: Runtime, world: DocumentWorld, taking_turns: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not taking_turns:  # as processes that do not take turns: the register's version decides
        monkeypatch.setattr(DocumentService, "_in_turn", lambda *_: nullcontext())
    failures: list[BaseException] = []

    def issue() -> None:
        try:
            runtime.documents.issue_document(
                acting=CONSOLE, kind=DocumentKind.FEEDBACK, subject_id=world.feedback
            )
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    serials = [d.serial for d in _register(runtime, world).issued]
    assert serials == list(range(1, 9))
    assert len({d.document_id for d in _register(runtime, world).issued}) == 8
    assert all(v.ok for v in runtime.documents.verify())


def _refused(runtime: Runtime, acting: Acting, kind: DocumentKind, subject: object) -> XunChaError:
    before = runtime.store.max_position()
    with pytest.raises(XunChaError) as refused:
        runtime.documents.issue_document(acting=acting, kind=kind, subject_id=subject)  # type: ignore[arg-type]
    assert runtime.store.max_position() == before  # nothing written
    return refused.value


def test_refusals_name_their_rule_and_write_nothing(runtime: Runtime, world: DocumentWorld) -> None:
    not_transferred = _refused(runtime, CONSOLE, DocumentKind.CLUE_TRANSFER, world.registered_clue)
    assert isinstance(not_transferred, RuleViolation)
    assert not_transferred.rule == "DOCUMENT_CLUE_NOT_TRANSFERRED"

    wrong_kind = _refused(runtime, CONSOLE, DocumentKind.RECTIFICATION_LEDGER, world.round_id)
    assert isinstance(wrong_kind, RuleViolation)
    assert wrong_kind.rule == "DOCUMENT_SUBJECT_KIND"

    not_reached = _refused(runtime, CONSOLE, DocumentKind.REMINDER_LETTER, world.transferred_clue)
    assert isinstance(not_reached, RuleViolation)
    assert not_reached.details["step"] == "REMINDER"


def test_another_county_is_told_the_subject_does_not_exist(
    runtime: Runtime, world: DocumentWorld
) -> None:
    other = Acting(role="COUNTY_TEAM", tenant_id=world.other_county)
    refused = _refused(runtime, other, DocumentKind.CLUE_TRANSFER, world.transferred_clue)
    assert isinstance(refused, NotFound)


def test_the_office_a_clue_was_transferred_to_lists_and_downloads_its_letter(
    runtime: Runtime, world: DocumentWorld
) -> None:
    clue = transferred_to(runtime, world, world.other_county)  # 交叉办理
    issued = runtime.documents.issue_document(
        acting=CONSOLE, kind=DocumentKind.CLUE_TRANSFER, subject_id=clue
    )
    receiver = Acting(role="COUNTY_TEAM", tenant_id=world.other_county)

    assert issued.document.recipient == "槐荫区纪委监委"
    content = runtime.documents.download(receiver, issued.id).content
    assert hashlib.sha256(content).hexdigest() == issued.document.sha256
    runtime.wait_for_projections(issued.position, [DocumentsView.name])
    session = ReadSession(runtime.reads, receiver, runtime.settings.read_statement_timeout_ms)
    with session.reading() as conn:  # row-level security as the receiving county
        listed = documents_view.documents(conn, DocumentFilter(), first=10)
    assert [row.document_id for row in listed] == [issued.id]
    assert listed[0].tenant_id == world.county  # issued by the county that found it


def test_verify_names_a_document_whose_stored_bytes_were_altered(
    runtime: Runtime, world: DocumentWorld
) -> None:
    issued = runtime.documents.issue_document(
        acting=CONSOLE, kind=DocumentKind.RECTIFICATION_REPORT, subject_id=world.feedback
    )
    with runtime.reads.connection() as conn:
        conn.execute(
            "UPDATE issued_documents SET content = content || '\\x00'::bytea "
            "WHERE document_id = %s",
            (issued.id,),
        )

    (check,) = runtime.documents.verify()
    assert not check.ok
    assert check.number == issued.document.number
    assert check.recorded_sha256 == issued.document.sha256
